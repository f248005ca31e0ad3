package config

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// finishTrackers resolves an instance's own tracker names and applies the weight rules for
// sync-group members and address owners (vrrp_complete_instance(), reference §1a.6, §1a.7, §7.16).
//
// keepalived drops weighted trackers on sync-group members (unless sync_group_tracking_weight) and
// on priority-255 instances with one terse config-error line, and users then wonder why their
// weighted track_script does nothing. The behaviour is kept; the warning starts with keepalived's
// text (people grep it) and then says exactly which tracker lost its weight, why, and what it does
// now.
func (p *parser) finishTrackers(v *Instance) {
	ifName := v.Interface
	parent, _ := vlanParent(ifName)
	ifs := v.TrackInterfaces[:0]
	for _, t := range v.TrackInterfaces {
		switch {
		case ifName != "" && t.Name == ifName:
			p.report(t.Pos, syntax.Error, "(%s) Ignoring track_interface %s since own interface", v.Name, t.Name)
			continue
		case parent != "" && t.Name == parent:
			p.report(t.Pos, syntax.Error, "(%s) Ignoring track_interface %s since own interface (by its name, %s sits on %s and goes down with it)",
				v.Name, t.Name, ifName, parent)
			continue
		}
		ifs = append(ifs, t)
	}
	v.TrackInterfaces = ifs
	for k := range v.TrackScripts {
		t := &v.TrackScripts[k]
		if s := p.cfg.Scripts[t.Name]; s != nil {
			s.Used = true
			if !t.WeightSet {
				t.Weight = s.Weight
			}
			if !t.ReverseSet {
				t.Reverse = s.WeightReverse
			}
		}
	}
	v.TrackScripts = p.resolveRefs(v.Name, "track script", v.TrackScripts, func(n string) bool { return p.cfg.Scripts[n] != nil })
	for k := range v.TrackFiles {
		t := &v.TrackFiles[k]
		if f := p.cfg.TrackFiles[t.Name]; f != nil {
			if !t.WeightSet {
				t.Weight = f.Weight
			}
			if !t.ReverseSet {
				t.Reverse = f.WeightReverse
			}
		}
	}
	v.TrackFiles = p.resolveRefs(v.Name, "track file", v.TrackFiles, func(n string) bool { return p.cfg.TrackFiles[n] != nil })
	for k := range v.TrackProcesses {
		t := &v.TrackProcesses[k]
		if tp := p.cfg.TrackProcesses[t.Name]; tp != nil {
			if !t.WeightSet {
				t.Weight = tp.Weight
			}
			if !t.ReverseSet {
				t.Reverse = tp.WeightReverse
			}
		}
	}
	v.TrackProcesses = p.resolveRefs(v.Name, "track process", v.TrackProcesses, func(n string) bool { return p.cfg.TrackProcesses[n] != nil })
	for k := range v.TrackBFDs {
		t := &v.TrackBFDs[k]
		if b := p.cfg.BFDInstances[t.Name]; b != nil && !t.WeightSet {
			t.Weight = b.Weight
		}
	}
	v.TrackBFDs = p.resolveRefs(v.Name, "track bfd", v.TrackBFDs, func(n string) bool { return p.cfg.BFDInstances[n] != nil })

	sync := false
	if g := p.syncGroup(v.SyncGroup); g != nil && !g.TrackingWeight {
		sync = true
	}
	if !sync && !v.IsOwner() {
		return
	}
	// keepalived names the sync group as the reason when both apply.
	cause, why := "address owner", fmt.Sprintf("%s is the address owner (priority 255), whose priority trackers never change", v.Name)
	if sync {
		cause, why = "SYNC group", fmt.Sprintf("%s is a member of sync group %s, whose members cannot use weighted trackers unless the group sets sync_group_tracking_weight", v.Name, v.SyncGroup)
	}
	lost := func(pos syntax.Pos, head, kind, name string, w int, now string) {
		p.report(pos, syntax.Warning, "(%s) %s: WEIGHT IGNORED: %s %s has weight %d but %s; %s", v.Name, head, kind, name, w, why, now)
	}

	ifs = v.TrackInterfaces[:0]
	for _, t := range v.TrackInterfaces {
		if t.Weight != 0 {
			if sync {
				lost(t.Pos, fmt.Sprintf("ignoring %s tracked interface weight due to %s", t.Name, cause), "track_interface", t.Name, t.Weight,
					"the interface going down now puts the instance in FAULT instead")
				t.Weight, t.WeightSet, t.Reverse = 0, false, false
			} else {
				lost(t.Pos, fmt.Sprintf("ignoring %s tracked interface due to %s", t.Name, cause), "track_interface", t.Name, t.Weight,
					"the tracker is removed")
				continue
			}
		}
		ifs = append(ifs, t)
	}
	v.TrackInterfaces = ifs

	scripts := v.TrackScripts[:0]
	for _, t := range v.TrackScripts {
		if t.Weight != 0 {
			lost(t.Pos, fmt.Sprintf("ignoring tracked script %s with weights due to %s", t.Name, cause), "track_script", t.Name, t.Weight,
				"the tracker is removed and the script no longer affects this instance")
			continue
		}
		scripts = append(scripts, t)
	}
	v.TrackScripts = scripts

	files := v.TrackFiles[:0]
	for _, t := range v.TrackFiles {
		switch {
		case t.Weight == 1:
			// keepalived treats weight 1 as "the default" and makes the file unweighted.
			lost(t.Pos, fmt.Sprintf("ignoring weight from tracked file %s due to %s. specify weight 0", t.Name, cause), "track_file", t.Name, t.Weight,
				"a non-zero value in the file now puts the instance in FAULT instead")
			t.Weight = 0
		case t.Weight != 0:
			lost(t.Pos, fmt.Sprintf("ignoring tracked file %s with weight %d due to %s", t.Name, t.Weight, cause), "track_file", t.Name, t.Weight,
				"the tracker is removed")
			continue
		}
		files = append(files, t)
	}
	v.TrackFiles = files

	procs := v.TrackProcesses[:0]
	for _, t := range v.TrackProcesses {
		if t.Weight != 0 {
			lost(t.Pos, fmt.Sprintf("ignoring tracked process %s with weight %d due to %s", t.Name, t.Weight, cause), "track_process", t.Name, t.Weight,
				"the tracker is removed")
			continue
		}
		procs = append(procs, t)
	}
	v.TrackProcesses = procs

	bfds := v.TrackBFDs[:0]
	for _, t := range v.TrackBFDs {
		if t.Weight != 0 {
			lost(t.Pos, fmt.Sprintf("ignoring tracked bfd %s with weight %d due to %s", t.Name, t.Weight, cause), "track_bfd", t.Name, t.Weight,
				"the tracker is removed")
			continue
		}
		bfds = append(bfds, t)
	}
	v.TrackBFDs = bfds
}

// resolveRefs drops references to undefined objects with keepalived's "not found" error.
func (p *parser) resolveRefs(owner, kind string, refs []TrackRef, exists func(string) bool) []TrackRef {
	out := refs[:0]
	for _, t := range refs {
		if !exists(t.Name) {
			p.report(t.Pos, syntax.Error, "(%s) %s %s not found, ignoring...", owner, kind, t.Name)
			continue
		}
		out = append(out, t)
	}
	return out
}

// finishGroupTrackers resolves each sync group's own trackers and hands them to every member
// (sync_group_tracking_init()). Unlike a member's own trackers they keep their weights, except
// when a member is the address owner: then the weight is cleared and the tracker only causes FAULT.
func (p *parser) finishGroupTrackers() {
	for _, g := range p.cfg.SyncGroups {
		owner := ""
		for _, m := range g.Members {
			if v := p.cfg.Instance(m); v != nil && v.IsOwner() {
				owner = m
				break
			}
		}
		clear := func(pos syntax.Pos, kind, name string, w *int, verb string) {
			if owner == "" || *w == 0 {
				return
			}
			p.report(pos, syntax.Warning, "(%s) Cannot have weighted track %s '%s' with member having priority 255 - %s: WEIGHT IGNORED: weight %d dropped because member %s is the address owner; the tracker now only causes FAULT",
				g.Name, kind, name, verb, *w, owner)
			*w = 0
		}
		for k := range g.TrackInterfaces {
			t := &g.TrackInterfaces[k]
			clear(t.Pos, "interface", t.Name, &t.Weight, "clearing weight")
			if t.Weight == 0 {
				t.WeightSet, t.Reverse = false, false
			}
		}
		g.TrackScripts = p.resolveRefs(g.Name, "track script", g.TrackScripts, func(n string) bool { return p.cfg.Scripts[n] != nil })
		for k := range g.TrackScripts {
			t := &g.TrackScripts[k]
			s := p.cfg.Scripts[t.Name]
			s.Used = true
			if !t.WeightSet {
				t.Weight = s.Weight
			}
			if !t.ReverseSet {
				t.Reverse = s.WeightReverse
			}
			clear(t.Pos, "script", t.Name, &t.Weight, "clearing weight")
		}
		g.TrackFiles = p.resolveRefs(g.Name, "track file", g.TrackFiles, func(n string) bool { return p.cfg.TrackFiles[n] != nil })
		for k := range g.TrackFiles {
			t := &g.TrackFiles[k]
			f := p.cfg.TrackFiles[t.Name]
			if !t.WeightSet {
				t.Weight = f.Weight
			}
			if !t.ReverseSet {
				t.Reverse = f.WeightReverse
			}
			clear(t.Pos, "file", t.Name, &t.Weight, "setting weight 0")
		}
		g.TrackProcesses = p.resolveRefs(g.Name, "track process", g.TrackProcesses, func(n string) bool { return p.cfg.TrackProcesses[n] != nil })
		for k := range g.TrackProcesses {
			t := &g.TrackProcesses[k]
			tp := p.cfg.TrackProcesses[t.Name]
			if !t.WeightSet {
				t.Weight = tp.Weight
			}
			if !t.ReverseSet {
				t.Reverse = tp.WeightReverse
			}
			clear(t.Pos, "process", t.Name, &t.Weight, "setting weight 0")
		}
		g.TrackBFDs = p.resolveRefs(g.Name, "track bfd", g.TrackBFDs, func(n string) bool { return p.cfg.BFDInstances[n] != nil })
		for k := range g.TrackBFDs {
			t := &g.TrackBFDs[k]
			if !t.WeightSet {
				t.Weight = p.cfg.BFDInstances[t.Name].Weight
			}
			clear(t.Pos, "bfd", t.Name, &t.Weight, "setting weight 0")
		}
		for _, m := range g.Members {
			v := p.cfg.Instance(m)
			if v == nil {
				continue
			}
			for _, t := range g.TrackInterfaces {
				t.Group = g.Name
				v.TrackInterfaces = append(v.TrackInterfaces, t)
			}
			for _, list := range []struct {
				src []TrackRef
				dst *[]TrackRef
			}{{g.TrackScripts, &v.TrackScripts}, {g.TrackFiles, &v.TrackFiles}, {g.TrackProcesses, &v.TrackProcesses}, {g.TrackBFDs, &v.TrackBFDs}} {
				for _, t := range list.src {
					t.Group = g.Name
					*list.dst = append(*list.dst, t)
				}
			}
		}
		if g.SMTPAlert == nil {
			if gl := &p.cfg.Global; gl.SMTPAlertVRRP != nil {
				g.SMTPAlert = gl.SMTPAlertVRRP
			} else if gl.SMTPAlert != nil {
				g.SMTPAlert = gl.SMTPAlert
			}
		}
	}
}

// maxVLANID is the highest 802.1Q VLAN id.
const maxVLANID = 4095

// vlanParent returns the interface an interface named PARENT.VID sits on ("eth0" for "eth0.1").
// keepalived ignores a track_interface on the link its own interface is stacked on (the upper
// interface fails with it, so tracking it adds nothing); it asks the kernel (checked with a macvlan
// eth0.1 on eth0 and a macvlan mv1 on eth1). The configuration model reads no interfaces, so it goes
// by the name the kernel, ip(8) and vconfig give VLANs, which is also how keepalived's samples name
// the stacked interface; a stacked interface named otherwise is not recognised.
func vlanParent(name string) (string, bool) {
	i := strings.LastIndexByte(name, '.')
	if i <= 0 || i == len(name)-1 {
		return "", false
	}
	vid := name[i+1:]
	if strings.TrimLeft(vid, "0123456789") != "" {
		return "", false
	}
	if n, err := strconv.Atoi(vid); err != nil || n > maxVLANID {
		return "", false
	}
	return name[:i], true
}
