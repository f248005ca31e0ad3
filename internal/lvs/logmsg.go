package lvs

import "fmt"

// The LVS log lines use keepalived 2.2.x's words (check/ipwrapper.c perform_svr_state(),
// update_quorum_state(), perform_quorum_state(), update_svr_wgt()), so that what operators grep
// for keeps matching; the records also carry the usual keys (instance, rs, from, to, reason).

// rsStateMessage is "Adding service RS to VS VS" when a real server comes up ("Enabling" with
// inhibit_on_failure) and "Removing service RS from VS VS" when it goes down ("Disabling").
func rsStateMessage(v *vsState, r *rsState, up bool) string {
	rs := rsName(v.cfg, r.cfg.Addr, r.cfg.Port)
	inhibit := r.cfg.Resolved.InhibitOnFailure
	switch {
	case up && inhibit:
		return fmt.Sprintf("Enabling service %s to VS %s", rs, v.name)
	case up:
		return fmt.Sprintf("Adding service %s to VS %s", rs, v.name)
	case inhibit:
		return fmt.Sprintf("Disabling service %s from VS %s", rs, v.name)
	}
	return fmt.Sprintf("Removing service %s from VS %s", rs, v.name)
}

// weightMessage is "Changing weight from OLD to NEW for active|inactive service RS of VS VS".
func weightMessage(v *vsState, r *rsState, from, to int) string {
	state := "inactive"
	if r.alive {
		state = "active"
	}
	return fmt.Sprintf("Changing weight from %d to %d for %s service %s of VS %s", from, to, state, rsName(v.cfg, r.cfg.Addr, r.cfg.Port), v.name)
}

// quorumMessage is "Gained quorum Q+H=T <= SUM for VS VS" or "Lost quorum Q-H=T > SUM for VS VS".
func quorumMessage(v *vsState, up bool) string {
	q, h, sum := v.cfg.Quorum, v.cfg.Hysteresis, v.weightSum()
	if up {
		return fmt.Sprintf("Gained quorum %d+%d=%d <= %d for VS %s", q, h, q+h, sum, v.name)
	}
	return fmt.Sprintf("Lost quorum %d-%d=%d > %d for VS %s", q, h, q-h, sum, v.name)
}

// sorryMessages are the lines of the sorry server taking over (quorum lost) or handing back
// (quorum gained): "Adding sorry server S to VS V" ("Enabling" with sorry_server_inhibit), then
// "Removing alive servers from the pool for VS V"; or "Removing sorry server S from VS V"
// ("Disabling"), then "Adding alive servers to the pool for VS V". None without a sorry server.
func sorryMessages(v *vsState, up bool) []string {
	s := v.cfg.SorryServer
	if s == nil {
		return nil
	}
	name := rsName(v.cfg, s.Addr, s.Port)
	if up {
		verb := "Removing"
		if s.Inhibit {
			verb = "Disabling"
		}
		return []string{
			fmt.Sprintf("%s sorry server %s from VS %s", verb, name, v.name),
			fmt.Sprintf("Adding alive servers to the pool for VS %s", v.name),
		}
	}
	verb := "Adding"
	if s.Inhibit {
		verb = "Enabling"
	}
	return []string{
		fmt.Sprintf("%s sorry server %s to VS %s", verb, name, v.name),
		fmt.Sprintf("Removing alive servers from the pool for VS %s", v.name),
	}
}

// String names the cause in logs.
func (c quorumCause) String() string {
	switch c {
	case quorumInit:
		return "start"
	case quorumStopping:
		return "shutdown"
	}
	return "checker"
}
