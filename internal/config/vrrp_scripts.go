package config

import "github.com/gokeepalived/gokeepalived/internal/config/syntax"

// ScriptUse is one script the VRRP process will run, with where it was configured.
type ScriptUse struct {
	// Pos is the vrrp_script block or the notify line.
	Pos syntax.Pos
	// Owner names what runs it: "vrrp_script NAME", "vrrp_instance NAME notify_master", ...
	Owner  string
	Script *Script
}

// VRRPScriptUses returns every script the VRRP process runs: tracked vrrp_scripts and the notify
// scripts of instances and sync groups, in file order. keepalived's check_vrrp_script_security()
// (which also inspects the files and users) is applied by the caller: with scripts present and
// enable_script_security off it reports "SECURITY VIOLATION - scripts are being executed but
// script_security not enabled." (syntax.Security, config test exit 6). Unused vrrp_scripts are left
// out because keepalived never runs them.
func (s *VRRPSection) VRRPScriptUses() []ScriptUse {
	var out []ScriptUse
	for _, name := range s.scriptOrder {
		if sc := s.Scripts[name]; sc != nil && sc.Used {
			out = append(out, ScriptUse{Pos: sc.Pos, Owner: "vrrp_script " + name, Script: &sc.Script})
		}
	}
	notify := func(pos syntax.Pos, owner string, n *Notify) {
		for _, e := range []struct {
			kw string
			s  *Script
		}{{"notify_master", &n.Master}, {"notify_backup", &n.Backup}, {"notify_fault", &n.Fault},
			{"notify_stop", &n.Stop}, {"notify_deleted", &n.Deleted}, {"notify", &n.Generic},
			{"notify_master_rx_lower_pri", &n.MasterRxLowerPri}} {
			if !e.s.IsZero() {
				out = append(out, ScriptUse{Pos: pos, Owner: owner + " " + e.kw, Script: e.s})
			}
		}
	}
	for _, v := range s.Instances {
		notify(v.Pos, "vrrp_instance "+v.Name, &v.Notify)
	}
	for _, g := range s.SyncGroups {
		notify(g.Pos, "vrrp_sync_group "+g.Name, &g.Notify)
	}
	return out
}

// GlobalScriptUses returns the global scripts: startup/shutdown scripts and the notify FIFO
// readers.
func (g *GlobalDefs) GlobalScriptUses() []ScriptUse {
	var out []ScriptUse
	for _, e := range []struct {
		owner string
		s     *Script
	}{{"startup_script", &g.StartupScript}, {"shutdown_script", &g.ShutdownScript},
		{"notify_fifo_script", &g.NotifyFIFO.Script}, {"vrrp_notify_fifo_script", &g.VRRPNotifyFIFO.Script},
		{"lvs_notify_fifo_script", &g.LVSNotifyFIFO.Script}} {
		if !e.s.IsZero() {
			out = append(out, ScriptUse{Owner: e.owner, Script: e.s})
		}
	}
	return out
}
