package config

import (
	"fmt"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// finishTrackers resolves tracker names and applies the weight rules for sync-group members and
// address owners (vrrp_complete_instance() ~L4295-4375, reference §1a.6, §1a.7, §7.16).
//
// keepalived drops weighted trackers on sync-group members (unless sync_group_tracking_weight) and
// on priority-255 instances with a single config-error line; users then wonder why their weighted
// track_script does nothing. We keep the behaviour and say exactly what happened and why.
func (p *parser) finishTrackers(v *Instance) {
	why := ""
	if v.SyncGroup != "" {
		if g := p.syncGroup(v.SyncGroup); g != nil && !g.TrackingWeight {
			why = fmt.Sprintf("%s is a member of sync group %s, whose members cannot use weighted trackers unless the group sets sync_group_tracking_weight", v.Name, g.Name)
		}
	}
	if v.IsOwner() {
		// The owner's priority is never changed by trackers.
		why = fmt.Sprintf("%s is the address owner (priority 255), whose priority trackers never change", v.Name)
	}
	lost := func(pos syntax.Pos, kind, name string, w int, consequence string) {
		p.report(pos, syntax.Warning, "(%s) WEIGHT IGNORED: %s %s has weight %d but %s; %s", v.Name, kind, name, w, why, consequence)
	}

	ifs := v.TrackInterfaces[:0]
	for _, t := range v.TrackInterfaces {
		if t.Weight != 0 && why != "" {
			if v.IsOwner() {
				lost(t.Pos, "track_interface", t.Name, t.Weight, "the tracker is removed")
				continue
			}
			lost(t.Pos, "track_interface", t.Name, t.Weight, "interface down now means FAULT instead")
			t.Weight, t.WeightSet, t.Reverse = 0, false, false
		}
		ifs = append(ifs, t)
	}
	v.TrackInterfaces = ifs

	scripts := v.TrackScripts[:0]
	for _, t := range v.TrackScripts {
		s := p.cfg.Scripts[t.Name]
		if s == nil {
			p.report(t.Pos, syntax.Error, "(%s) track script %s not found, ignoring...", v.Name, t.Name)
			continue
		}
		s.Used = true
		if !t.WeightSet {
			t.Weight = s.Weight
		}
		if !t.ReverseSet {
			t.Reverse = s.WeightReverse
		}
		if t.Weight != 0 && why != "" {
			lost(t.Pos, "track_script", t.Name, t.Weight, "the tracker is removed and the script has no effect on this instance")
			continue
		}
		scripts = append(scripts, t)
	}
	v.TrackScripts = scripts

	files := v.TrackFiles[:0]
	for _, t := range v.TrackFiles {
		f := p.cfg.TrackFiles[t.Name]
		if f == nil {
			p.report(t.Pos, syntax.Error, "(%s) track file %s not found, ignoring...", v.Name, t.Name)
			continue
		}
		explicit := t.WeightSet || f.WeightSet
		if !t.WeightSet {
			t.Weight = f.Weight
		}
		if !t.ReverseSet {
			t.Reverse = f.WeightReverse
		}
		if why != "" && t.Weight != 0 {
			if explicit {
				lost(t.Pos, "track_file", t.Name, t.Weight, "the tracker is removed")
				continue
			}
			// The default weight 1 silently becomes "non-zero value means FAULT".
			t.Weight = 0
		}
		files = append(files, t)
	}
	v.TrackFiles = files

	procs := v.TrackProcesses[:0]
	for _, t := range v.TrackProcesses {
		tp := p.cfg.TrackProcesses[t.Name]
		if tp == nil {
			p.report(t.Pos, syntax.Error, "(%s) track process %s not found, ignoring...", v.Name, t.Name)
			continue
		}
		if !t.WeightSet {
			t.Weight = tp.Weight
		}
		if !t.ReverseSet {
			t.Reverse = tp.WeightReverse
		}
		if t.Weight != 0 && why != "" {
			lost(t.Pos, "track_process", t.Name, t.Weight, "the tracker is removed")
			continue
		}
		procs = append(procs, t)
	}
	v.TrackProcesses = procs

	bfds := v.TrackBFDs[:0]
	for _, t := range v.TrackBFDs {
		b := p.cfg.BFDInstances[t.Name]
		if b == nil {
			p.report(t.Pos, syntax.Error, "(%s) track bfd %s not found, ignoring...", v.Name, t.Name)
			continue
		}
		if !t.WeightSet {
			t.Weight = b.Weight
		}
		if t.Weight != 0 && why != "" {
			lost(t.Pos, "track_bfd", t.Name, t.Weight, "the tracker is removed")
			continue
		}
		bfds = append(bfds, t)
	}
	v.TrackBFDs = bfds
}

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
