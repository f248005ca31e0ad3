package config

import "github.com/gokeepalived/gokeepalived/internal/config/syntax"

// checkVRIDConflicts reports instances that would share a socket and a VRID (check_vrid_conflicts()):
// same interface, family and VRID, unless both are unicast with disjoint peers, or both multicast
// to different groups.
func (p *parser) checkVRIDConflicts() {
	is := p.cfg.Instances
	for j := 1; j < len(is); j++ {
		b := is[j]
		for _, a := range is[:j] {
			if a.VRID != b.VRID || a.Family != b.Family || a.Interface != b.Interface {
				continue
			}
			ua, ub := len(a.UnicastPeers) > 0, len(b.UnicastPeers) > 0
			switch {
			case ua && ub:
				if !peersOverlap(a, b) {
					continue
				}
			case !ua && !ub:
				if a.McastDstIP != b.McastDstIP {
					continue
				}
			}
			where := b.Interface
			if where == "" {
				where = "(no interface)"
			}
			p.report(b.Pos, syntax.Error, "(%s) VRID %d is already used by instance %s on interface %s (%s) - both instances would receive each other's adverts",
				b.Name, b.VRID, a.Name, where, b.Family)
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
