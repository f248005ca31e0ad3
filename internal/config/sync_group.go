package config

import "github.com/gokeepalived/gokeepalived/internal/config/syntax"

// SyncGroup is a vrrp_sync_group block: instances that change state together (reference §1a.7).
type SyncGroup struct {
	Pos  syntax.Pos
	Name string
	// Members are the instance names from "group { … }" that exist and belong to no other group.
	Members []string
	// Trackers here apply to every member.
	TrackInterfaces []TrackInterface
	TrackScripts    []TrackRef
	TrackFiles      []TrackRef
	TrackProcesses  []TrackRef
	TrackBFDs       []TrackRef
	// Notify holds the group notifies; "notify" gets GROUP NAME STATE 0.
	Notify                Notify
	SMTPAlert             *bool
	NotifyPriorityChanges bool
	// notifyPrioSet records an explicit notify_priority_changes, which members inherit.
	notifyPrioSet bool
	// TrackingWeight keeps weighted trackers on members (sync_group_tracking_weight).
	TrackingWeight bool

	memberPos []syntax.Pos
}

// syncGroupDef parses a vrrp_sync_group block.
func (p *parser) syncGroupDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	g := &SyncGroup{Pos: n.Pos, Name: name}
	p.block(n, keywords{
		"group": func(n *syntax.Node) {
			if !n.HasBlock {
				p.errorf(n, "'group' expects a block: 'group {'")
				return
			}
			for _, c := range n.Block {
				for _, a := range c.Args {
					g.Members = append(g.Members, a)
					g.memberPos = append(g.memberPos, c.Pos)
				}
			}
		},
		"track_interface": func(n *syntax.Node) { g.TrackInterfaces = append(g.TrackInterfaces, p.trackIfBlock(n)...) },
		"track_script":    func(n *syntax.Node) { g.TrackScripts = append(g.TrackScripts, p.trackRefBlock(n, true)...) },
		"track_file":      func(n *syntax.Node) { g.TrackFiles = append(g.TrackFiles, p.trackRefBlock(n, true)...) },
		"track_process":   func(n *syntax.Node) { g.TrackProcesses = append(g.TrackProcesses, p.trackRefBlock(n, true)...) },
		"track_bfd":       func(n *syntax.Node) { g.TrackBFDs = append(g.TrackBFDs, p.trackRefBlock(n, true)...) },
		"notify_backup":   p.hNotify(name, &g.Notify.Backup),
		"notify_master":   p.hNotify(name, &g.Notify.Master),
		"notify_fault":    p.hNotify(name, &g.Notify.Fault),
		"notify_stop":     p.hNotify(name, &g.Notify.Stop),
		"notify":          p.hNotify(name, &g.Notify.Generic),
		"smtp_alert":      p.hOptBool(&g.SMTPAlert),
		"global_tracking": p.deprecated("sync_group_tracking_weight", func(n *syntax.Node) {
			g.TrackingWeight = true
		}),
		"sync_group_tracking_weight": p.hBool(&g.TrackingWeight),
		"notify_priority_changes": func(n *syntax.Node) {
			p.boolean(n, &g.NotifyPriorityChanges)
			g.notifyPrioSet = true
		},
	})
	for _, o := range p.cfg.SyncGroups {
		if o.Name == name {
			p.errorf(n, "vrrp_sync_group %s is defined more than once - ignoring this one", name)
			return
		}
	}
	p.cfg.SyncGroups = append(p.cfg.SyncGroups, g)
}

// finishSyncGroups checks membership (vrrp_sync.c); group trackers are handed to the members
// later, by finishGroupTrackers.
func (p *parser) finishSyncGroups() {
	kept := p.cfg.SyncGroups[:0]
	for _, g := range p.cfg.SyncGroups {
		members := g.Members
		g.Members = nil
		for k, m := range members {
			pos := g.memberPos[k]
			v := p.cfg.Instance(m)
			switch {
			case v == nil:
				p.report(pos, syntax.Error, "Virtual router %s specified in sync group %s doesn't exist - ignoring", m, g.Name)
			case v.SyncGroup == g.Name:
				p.report(pos, syntax.Warning, "Virtual router %s is listed more than once in sync group %s", m, g.Name)
			case v.SyncGroup != "":
				p.report(pos, syntax.Error, "Virtual router %s cannot exist in more than one sync group; ignoring it in %s (already in %s)", m, g.Name, v.SyncGroup)
			default:
				v.SyncGroup = g.Name
				g.Members = append(g.Members, m)
			}
		}
		switch len(g.Members) {
		case 0:
			p.report(g.Pos, syntax.Warning, "Sync group %s has no virtual router(s). removing", g.Name)
			continue
		case 1:
			p.report(g.Pos, syntax.Warning, "Sync group %s has only 1 virtual router(s) - this probably isn't what you want", g.Name)
		}
		kept = append(kept, g)
	}
	p.cfg.SyncGroups = kept
}

// syncGroup returns the group called name, or nil.
func (p *parser) syncGroup(name string) *SyncGroup {
	for _, g := range p.cfg.SyncGroups {
		if g.Name == name {
			return g
		}
	}
	return nil
}
