package daemon

import (
	"context"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
	"github.com/gokeepalived/gokeepalived/internal/status"
)

// reporter builds the status report from the daemon's running parts. The parts are set once
// they are started; a part that is not running leaves its section empty.
type reporter struct {
	configFile string
	started    time.Time
	log        *slog.Logger

	mu         sync.Mutex
	vrrp       *vrrpRuntime
	chk        *checkers
	lvsrt      *lvsRuntime
	reloads    int
	lastReload time.Time
}

func newReporter(opts *cli.Options, started time.Time, log *slog.Logger) *reporter {
	return &reporter{configFile: opts.ConfigFile, started: started, log: log}
}

// set records the running parts.
func (r *reporter) set(vrrp *vrrpRuntime, chk *checkers, lvsrt *lvsRuntime) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.vrrp, r.chk, r.lvsrt = vrrp, chk, lvsrt
}

// reloaded counts a SIGHUP reload.
func (r *reporter) reloaded(at time.Time) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reloads++
	r.lastReload = at
}

// report builds the current report. ctx bounds nothing yet (every part answers from memory
// or from the VRRP loop, which never blocks for long); it is there for the HTTP handler.
func (r *reporter) report(ctx context.Context) (status.Report, error) {
	if err := ctx.Err(); err != nil {
		return status.Report{}, err
	}
	r.mu.Lock()
	vrrp, chk, lvsrt := r.vrrp, r.chk, r.lvsrt
	rep := status.Report{
		Version: status.FormatVersion,
		Daemon: status.Daemon{
			PID: os.Getpid(), Version: cli.BuildVersion(), Follows: cli.KeepalivedVersion, ConfigFile: r.configFile, Started: r.started,
			Reloads: r.reloads, LastReload: r.lastReload,
		},
	}
	r.mu.Unlock()
	// Empty sections are [] rather than null in the JSON, so that consumers can iterate.
	rep.VRRP, rep.Scripts, rep.RealServers, rep.VirtualServers = nil, []status.Script{}, []status.RealServer{}, []status.VirtualServer{}
	if vrrp != nil {
		st, err := vrrp.eng.Snapshot()
		if err != nil {
			return status.Report{}, err
		}
		rep.Daemon.VRRP = true
		rep.VRRP = st
		for _, s := range vrrp.scripts() {
			sc := status.Script{Name: s.Name, Status: status.ScriptBad, State: status.ScriptIdle}
			if s.Good {
				sc.Status = status.ScriptGood
			}
			if s.Running {
				sc.State = status.ScriptRunning
			}
			rep.Scripts = append(rep.Scripts, sc)
		}
	}
	if rep.VRRP == nil {
		rep.VRRP = rep.VRRP[:0:0]
	}
	if chk != nil {
		snap := chk.snapshot()
		rep.Daemon.Checkers = snap != nil
		for _, rs := range snap {
			out := status.RealServer{VirtualServer: rs.VirtualServer, RealServer: rs.RealServer, Up: rs.Up, Checkers: []status.Checker{}}
			for i, up := range rs.CheckersUp {
				name := ""
				if i < len(rs.CheckerNames) {
					name = rs.CheckerNames[i]
				}
				out.Checkers = append(out.Checkers, status.Checker{Name: name, Up: up})
			}
			rep.RealServers = append(rep.RealServers, out)
		}
	}
	if lvsrt != nil && lvsrt.mgr != nil {
		rep.Daemon.LVS = true
		traffic := map[string][]status.LVSService{}
		if tr, err := lvsrt.mgr.Traffic(); err == nil {
			for _, st := range tr {
				svc := status.LVSService{Service: st.Service, Traffic: trafficOf(st.Stats), Destinations: []status.LVSDestination{}}
				for _, d := range st.Dests {
					svc.Destinations = append(svc.Destinations, status.LVSDestination{
						RealServer: d.RealServer, ActiveConns: d.ActiveConns, InactiveConns: d.InactiveConns, Traffic: trafficOf(d.Stats),
					})
				}
				traffic[st.VirtualServer] = append(traffic[st.VirtualServer], svc)
			}
		} else {
			r.log.Debug("cannot read IPVS counters", "err", err)
		}
		for _, vs := range lvsrt.mgr.Status() {
			out := status.VirtualServer{Name: vs.Name, QuorumUp: vs.QuorumUp, AliveWeight: vs.AliveWeight, Quorum: vs.Quorum, Suspended: vs.Suspended, RealServers: []status.LVSRealServer{}, Services: traffic[vs.Name]}
			for _, r := range vs.RealServers {
				out.RealServers = append(out.RealServers, status.LVSRealServer{Name: r.Name, Alive: r.Alive, Weight: r.Weight})
			}
			rep.VirtualServers = append(rep.VirtualServers, out)
		}
	}
	return rep, nil
}

// trafficOf converts the kernel's counters.
func trafficOf(s ipvs.Stats) status.Traffic {
	return status.Traffic{Connections: s.Connections, PacketsIn: s.PacketsIn, PacketsOut: s.PacketsOut, BytesIn: s.BytesIn, BytesOut: s.BytesOut}
}
