package lvs

import (
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// rsState is a real server's runtime state.
type rsState struct {
	cfg       *config.RealServer
	key       RSKey
	alive     bool
	dynWeight int
	hasDyn    bool
	// isNew marks a server not yet announced (initialNotifies).
	isNew bool
}

// weight is the effective IPVS weight of an alive server.
func (r *rsState) weight() int {
	if r.hasDyn {
		return r.dynWeight
	}
	return r.cfg.Weight
}

// vsState is a virtual server's runtime state.
type vsState struct {
	cfg      *config.VirtualServer
	name     string
	services []ipvs.Service
	addrs    []netip.Addr
	rs       []*rsState
	quorumUp bool
	// isNew marks a virtual server not yet announced (initialNotifies).
	isNew bool
}

// weightSum is the sum of the alive servers' weights (ipwrapper.c weigh_live_realservers()).
func (v *vsState) weightSum() int {
	sum := 0
	for _, r := range v.rs {
		if r.alive {
			sum += r.weight()
		}
	}
	return sum
}

// quorumAfter returns the quorum state after a change, with keepalived's hysteresis
// (ipwrapper.c update_quorum_state()): the quorum is lost when the sum is 0 or below
// quorum-hysteresis, and gained when the sum is not 0 and at least quorum+hysteresis.
func (v *vsState) quorumAfter() bool {
	sum := v.weightSum()
	q, h := v.cfg.Quorum, v.cfg.Hysteresis
	if v.quorumUp {
		return !(sum == 0 || sum < q-h)
	}
	return sum != 0 && sum >= q+h
}

// initialQuorum is the quorum state of a new virtual server: up when the live weight reaches
// quorum+hysteresis (ipwrapper.c set_quorum_states()).
func (v *vsState) initialQuorum() bool {
	return v.weightSum() >= v.cfg.Quorum+v.cfg.Hysteresis
}
