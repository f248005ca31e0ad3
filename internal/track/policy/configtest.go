package policy

import (
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// ConfigTest runs keepalived's script-security checks for the configuration test (-t): the VRRP
// side (check_vrrp_script_security()) and the checker side (check_check_script_security()).
//
// A script that is not found is not counted (keepalived disables it and its -t says nothing). A
// script that exists and would run while enable_script_security is off makes keepalived say "SECURITY VIOLATION - scripts are being
// executed but script_security not enabled." (or "check scripts" for the checker side), which is
// config-test exit code 6. With enable_script_security on, a root script with an unsafe path is
// reported and disabled (exit code unchanged), as keepalived does.
func ConfigTest(cfg *config.Config) syntax.Diagnostics {
	p := FromGlobal(&cfg.Global)
	var ds syntax.Diagnostics
	var vrrp []config.ScriptUse
	vrrp = append(vrrp, cfg.VRRPScriptUses()...)
	vrrp = append(vrrp, cfg.Global.GlobalScriptUses()...)
	if p.scan(vrrp, &ds) && !p.Secure {
		ds = append(ds, syntax.Diagnostic{Pos: firstPos(vrrp), Severity: syntax.Security,
			Msg: "SECURITY VIOLATION - scripts are being executed but script_security not enabled."})
	}
	var chk []config.ScriptUse
	for _, s := range cfg.CheckerScripts() {
		chk = append(chk, config.ScriptUse{Pos: s.Pos, Owner: "checker script",
			Script: &config.Script{Command: s.Command, Args: s.Args, User: s.User, Group: s.Group}})
	}
	if p.scan(chk, &ds) && !p.Secure {
		ds = append(ds, syntax.Diagnostic{Pos: firstPos(chk), Severity: syntax.Security,
			Msg: "SECURITY VIOLATION - check scripts are being executed but script_security not enabled."})
	}
	return ds
}

// scan checks every script and reports whether any of them exists (keepalived's SC_ISSCRIPT).
func (p Policy) scan(uses []config.ScriptUse, ds *syntax.Diagnostics) bool {
	found := false
	for _, u := range uses {
		if u.Script == nil || len(u.Script.Args) == 0 {
			continue
		}
		if !scriptExists(u.Script.Args[0]) {
			continue // the daemon disables it ("… since not found") when it starts
		}
		found = true
		if p.Secure {
			if _, err := p.Prepare(*u.Script); err != nil {
				*ds = append(*ds, syntax.Diagnostic{Pos: u.Pos, Severity: syntax.Info,
					Msg: fmt.Sprintf("%s: %v", u.Owner, err)})
			}
		}
	}
	return found
}

// scriptExists resolves a script's program as keepalived does: a path as is, a bare name on
// PATH, and "</dev/…" commands through the shell (which always exists).
func scriptExists(prog string) bool {
	switch {
	case strings.HasPrefix(prog, "</"):
		return true
	case strings.Contains(prog, "/"):
		_, err := os.Stat(prog)
		return err == nil
	default:
		_, err := exec.LookPath(prog)
		return err == nil
	}
}

func firstPos(uses []config.ScriptUse) syntax.Pos {
	for _, u := range uses {
		if u.Pos.Line > 0 {
			return u.Pos
		}
	}
	return syntax.Pos{}
}
