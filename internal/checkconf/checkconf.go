// Package checkconf maps the LVS part of the configuration (virtual_server →
// real_server → checker blocks) onto the health-check engine of
// internal/check: one check.RealServer per real server with its checker
// Specs, and the notify_up/notify_down scripts keyed as check.Notifier wants.
//
// It is a pure translation: the VS → RS → checker cascade, the per-checker
// defaults and the connect targets are already resolved by internal/config
// (Checker.Resolved, MiscCheck.ResolvedTimeout, SMTPCheck.Targets, ...), so
// nothing here re-derives a keepalived default. The only outside lookups are
// the script users (injectable through Options.Lookup).
package checkconf

import (
	"fmt"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// Options are the run-time resources the translation needs.
type Options struct {
	// Deps are the shared checker resources; a nil Pinger skips every PING_CHECK with a warning.
	Deps check.Deps
	// Lookup resolves a user and group for scripts; nil means script.LookupCredential.
	Lookup func(user, group string) (*script.Credential, error)
}

// Result is the checker side of a configuration.
type Result struct {
	// Servers are the real servers with at least one runnable checker, in file order. A real
	// server without checkers is never probed, so it stays as configured (keepalived keeps it up).
	Servers []check.RealServer
	// Scripts are the notify_up/notify_down commands keyed by check.ScriptKey(vs, rs).
	Scripts map[string]check.NotifyScripts
	// Warnings say which checkers or scripts were left out and why, one line each, meant for
	// the log at warning level.
	Warnings []string
}

// Build translates cfg. Checkers that cannot run (BFD_CHECK, PING_CHECK without a Pinger, a
// checker the engine rejects, an insecure MISC_CHECK script) are left out with a warning, as
// keepalived drops a checker it cannot set up; the real server's other checkers still run.
func Build(cfg *config.Config, o Options) (*Result, error) {
	lookup := o.Lookup
	if lookup == nil {
		lookup = script.LookupCredential
	}
	pol := policy.FromGlobal(&cfg.Global)
	pol.Lookup = lookup
	res := &Result{Scripts: map[string]check.NotifyScripts{}}
	warn := func(format string, args ...any) { res.Warnings = append(res.Warnings, fmt.Sprintf(format, args...)) }
	seen := map[string]bool{}
	for _, vs := range cfg.VirtualServers {
		vsName := vs.Name()
		for _, rs := range vs.RealServers {
			rsAddr := netip.AddrPortFrom(rs.Addr, rs.Port)
			rsName := check.FormatRS(rsAddr, vs.Protocol.String())
			key := check.ScriptKey(vsName, rsName)
			if seen[key] {
				// config removes duplicates; a second identical entry would confuse the scheduler.
				warn("VS %s: real server %s listed twice - ignoring the second", vsName, rsName)
				continue
			}
			seen[key] = true
			if ns, ok := notifyScripts(rs, pol, warn, vsName, rsName); ok {
				res.Scripts[key] = ns
			}
			var specs []check.Spec
			names := map[string]int{}
			for _, c := range rs.Checkers {
				sp, err := Specs(cfg, rsAddr, c, o.Deps, pol)
				if err != nil {
					warn("VS %s: %s of real server %s (%s) not started: %v", vsName, c.Type, rsName, c.Pos, err)
					continue
				}
				for i := range sp {
					sp[i].Name = uniqueName(names, sp[i])
				}
				specs = append(specs, sp...)
			}
			if len(specs) == 0 {
				continue
			}
			res.Servers = append(res.Servers, check.RealServer{VirtualServer: vsName, ID: rsName, Checkers: specs})
		}
	}
	return res, nil
}

// uniqueName labels a spec so that two checkers of the same kind on one real server stay
// distinguishable in events and logs: the first keeps its plain name, later ones get "#2", "#3".
func uniqueName(names map[string]int, sp check.Spec) string {
	n := sp.Name
	if n == "" {
		n = string(sp.Kind)
	}
	names[n]++
	if names[n] == 1 {
		return n
	}
	return fmt.Sprintf("%s#%d", n, names[n])
}

// notifyScripts prepares a real server's notify_up/notify_down with the global script policy
// (script_user, keepalived_script, enable_script_security). An insecure script is dropped with a
// warning, as keepalived disables it.
func notifyScripts(rs *config.RealServer, pol policy.Policy, warn func(string, ...any), vs, name string) (check.NotifyScripts, bool) {
	var ns check.NotifyScripts
	prep := func(cs *config.CheckScript, what string) []string {
		if cs == nil {
			return nil
		}
		cmd, err := pol.Prepare(config.Script{Command: cs.Command, Args: cs.Args, User: cs.User, Group: cs.Group})
		if err != nil {
			warn("VS %s: %s of real server %s disabled: %v", vs, what, name, err)
			return nil
		}
		if ns.Cred == nil {
			ns.Cred = cmd.Cred
		}
		return cmd.Argv
	}
	ns.Up = prep(rs.NotifyUp, "notify_up")
	ns.Down = prep(rs.NotifyDown, "notify_down")
	return ns, ns.Up != nil || ns.Down != nil
}
