package config

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// checkVRIDConflicts reports instances that would share a socket and a VRID (check_vrid_conflicts()).
// Unicast and multicast instances are separate VRID spaces. Two multicast instances conflict on the
// same interface and family unless they use different groups (mcast_dst_ip). Two unicast instances
// conflict on the same (or an unspecified) interface when their unicast_src_ip is the same; when
// either source is left to the interface, keepalived cannot tell at config time and says nothing,
// so the peer sets decide instead: overlapping peers conflict.
func (p *parser) checkVRIDConflicts() {
	is := p.cfg.Instances
	for j := 1; j < len(is); j++ {
		b := is[j]
		for _, a := range is[:j] {
			if a.VRID != b.VRID || a.Family != b.Family {
				continue
			}
			ua, ub := len(a.UnicastPeers) > 0, len(b.UnicastPeers) > 0
			if ua != ub {
				continue
			}
			ipv := 4
			if a.Family == FamilyIPv6 {
				ipv = 6
			}
			if ua {
				if a.Interface != "" && b.Interface != "" && a.Interface != b.Interface {
					continue
				}
				if a.UnicastSrcIP.IsValid() && b.UnicastSrcIP.IsValid() {
					if a.UnicastSrcIP != b.UnicastSrcIP {
						continue
					}
				} else if !peersOverlap(a, b) {
					continue
				}
				p.report(b.Pos, syntax.Error, "(%s) duplicate VRID conflict with %s VRID %d", b.Name, a.Name, b.VRID)
				break
			}
			if a.Interface != b.Interface || a.McastDstIP != b.McastDstIP {
				continue
			}
			p.report(b.Pos, syntax.Error, "%s and %s both use VRID %d with IPv%d on interface %s", a.Name, b.Name, b.VRID, ipv, b.Interface)
			break
		}
	}
}

func peersOverlap(a, b *Instance) bool {
	for _, x := range a.UnicastPeers {
		for _, y := range b.UnicastPeers {
			if x.Addr == y.Addr {
				return true
			}
		}
	}
	return false
}

// checkSyncGroupStartStates makes a sync group start as BACKUP when some members want MASTER and
// others cannot start as master (vrrp_complete_init()): a group only moves together.
func (p *parser) checkSyncGroupStartStates() {
	for _, g := range p.cfg.SyncGroups {
		master, backup := false, false
		for _, m := range g.Members {
			v := p.cfg.Instance(m)
			if v == nil {
				continue
			}
			if v.State == StateBackup || !v.IsOwner() {
				backup = true
			}
			if v.State == StateMaster {
				master = true
			}
		}
		if !master || !backup {
			continue
		}
		for _, m := range g.Members {
			if v := p.cfg.Instance(m); v != nil && v.State == StateMaster {
				p.report(v.Pos, syntax.Info, "(%s) starts as BACKUP: sync group %s has members that cannot start as MASTER", v.Name, g.Name)
				v.State = StateBackup
			}
		}
	}
}

// assignRulePreferences gives every rule without a preference one, counting down from 16384 per
// family, with a warning (vrrp_iprule.c), so that rules are installed in a stable order.
func (p *parser) assignRulePreferences() {
	next := map[Family]uint32{FamilyIPv4: rulePrefStart, FamilyIPv6: rulePrefStart}
	fix := func(rs []Rule) {
		for k := range rs {
			r := &rs[k]
			if r.PreferenceSet {
				continue
			}
			r.Preference = next[r.Family]
			next[r.Family]--
			p.report(r.Pos, syntax.Warning, "%s rule has no preference specified - setting to %d", r.Family, r.Preference)
		}
	}
	fix(p.cfg.StaticRules)
	for _, v := range p.cfg.Instances {
		fix(v.Rules)
	}
}

// checkStaticTrackGroups reports static items naming an undefined track_group.
func (p *parser) checkStaticTrackGroups() {
	check := func(pos syntax.Pos, name string) bool {
		if name == "" || p.cfg.TrackGroups[name] != nil {
			return true
		}
		p.report(pos, syntax.Error, "track_group %s not found - ignoring it", name)
		return false
	}
	for k := range p.cfg.StaticAddresses {
		if a := &p.cfg.StaticAddresses[k]; !check(a.Pos, a.TrackGroup) {
			a.TrackGroup = ""
		}
	}
	for k := range p.cfg.StaticRoutes {
		if r := &p.cfg.StaticRoutes[k]; !check(r.Pos, r.TrackGroup) {
			r.TrackGroup = ""
		}
	}
	for k := range p.cfg.StaticRules {
		if r := &p.cfg.StaticRules[k]; !check(r.Pos, r.TrackGroup) {
			r.TrackGroup = ""
		}
	}
}

// checkDebounceDelays caps each interface's down delay so that a backup on the interface does not
// time out the master while the link change is still being debounced (check_debounce_timers()):
// the limit is (down_timer_adverts - 1) × advert_int of every instance on the interface.
func (p *parser) checkDebounceDelays() {
	for name, d := range p.cfg.InterfaceUpDownDelays {
		for _, v := range p.cfg.Instances {
			if v.Interface != name {
				continue
			}
			limit := time.Duration(v.DownTimerAdverts-1) * v.AdvertInt
			if d.Down > limit {
				p.report(d.Pos, syntax.Warning, "interface %s down delay %ss is longer than (down_timer_adverts - 1) x advert_int = %ss of instance %s - reducing it to %ss",
					name, fmtSeconds(d.Down), fmtSeconds(limit), v.Name, fmtSeconds(limit))
				d.Down = limit
			}
		}
		p.cfg.InterfaceUpDownDelays[name] = d
	}
}

// rtprotKeepalived is RTPROT_KEEPALIVED, the protocol keepalived marks its routes with.
const rtprotKeepalived = 18

// checkRoutes applies keepalived's tracking rules to routes (vrrp_iproute.c): a virtual route
// without an interface cannot be tracked, a tracked route must carry RTPROT_KEEPALIVED, and a
// static route needs an interface to have a track_group. It also puts static addresses without
// dev on default_interface. instances are all vrrp_instances read, including those dropped for
// another error: keepalived reports route problems while parsing, before it drops an instance.
func (p *parser) checkRoutes(instances []*Instance) {
	hasDev := func(r *Route) bool {
		if r.Dev != "" {
			return true
		}
		for _, nh := range r.Nexthops {
			if nh.Dev != "" {
				return true
			}
		}
		return false
	}
	for _, v := range instances {
		for k := range v.Routes {
			r := &v.Routes[k]
			if r.NoTrack {
				continue
			}
			if !hasDev(r) {
				p.report(r.Pos, syntax.Warning, "(%s) Warning - cannot track route %s with no interface specified, not tracking", v.Name, r.Dst)
				r.NoTrack = true
				continue
			}
			if r.Protocol != 0 && r.Protocol != rtprotKeepalived {
				p.report(r.Pos, syntax.Warning, "(%s) Route cannot be tracked if protocol is not RTPROT_KEEPALIVED(%d), resetting protocol", v.Name, rtprotKeepalived)
				r.Protocol = rtprotKeepalived
			}
		}
	}
	for k := range p.cfg.StaticAddresses {
		// Static addresses without dev go on default_interface (eth0 unless configured).
		if a := &p.cfg.StaticAddresses[k]; a.Dev == "" {
			a.Dev = p.cfg.Global.DefaultInterface
		}
	}
	for k := range p.cfg.StaticRoutes {
		r := &p.cfg.StaticRoutes[k]
		if r.TrackGroup != "" && !hasDev(r) {
			p.report(r.Pos, syntax.Error, "Static route cannot have track group if no oif specified")
			r.TrackGroup = ""
		}
	}
}
