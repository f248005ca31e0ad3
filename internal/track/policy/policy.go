// Package policy turns a configured keepalived script into a runnable
// script.Command: who it runs as (script_user, the keepalived_script user,
// root) and whether enable_script_security lets it run at all
// (reference §1a.8.2, core/notify.c check_script_secure()). The trackers and
// the notifier share it so every script obeys the same rules.
package policy

import (
	"errors"
	"fmt"
	"os/exec"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
)

// DefaultUser is the user keepalived runs scripts as when script_user is not set and
// the user exists.
const DefaultUser = "keepalived_script"

// ErrDisabled wraps every reason a script is not run.
var ErrDisabled = errors.New("script disabled")

// Policy is the global script settings.
type Policy struct {
	// User and Group are script_user [group]; empty means keepalived_script, else root.
	User, Group string
	// Secure is enable_script_security.
	Secure bool
	// Lookup resolves a user and group; nil means script.LookupCredential.
	Lookup func(user, group string) (*script.Credential, error)
}

// FromGlobal reads the script settings of global_defs.
func FromGlobal(g *config.GlobalDefs) Policy {
	return Policy{User: g.ScriptUser, Group: g.ScriptGroup, Secure: g.EnableScriptSecurity}
}

// Prepare resolves s into a command, or returns an error wrapping ErrDisabled whose
// text is keepalived's log line ("Unsafe permissions found for script '…' - disabling.").
func (p Policy) Prepare(s config.Script) (script.Command, error) {
	if len(s.Args) == 0 || s.Args[0] == "" {
		return script.Command{}, fmt.Errorf("%w: %w", ErrDisabled, script.ErrEmpty)
	}
	cred, err := p.credential(s)
	if err != nil {
		return script.Command{}, fmt.Errorf("%w: %w", ErrDisabled, err)
	}
	argv := append([]string(nil), s.Args...)
	if strings.HasPrefix(argv[0], "</") || !p.Secure {
		return script.Command{Argv: argv, Cred: cred}, nil
	}
	path := argv[0]
	if !strings.Contains(path, "/") {
		lp, err := exec.LookPath(path)
		if err != nil {
			return script.Command{}, fmt.Errorf("%w: check_script_secure could not find script '%s': %w", ErrDisabled, path, err)
		}
		path = lp
	}
	root := cred == nil || cred.UID == 0 || cred.GID == 0
	real, err := script.CheckSecure(path, root)
	if err != nil {
		if errors.Is(err, script.ErrInsecure) {
			return script.Command{}, fmt.Errorf("%w: Unsafe permissions found for script '%s' - disabling. (%w)", ErrDisabled, s.Command, err)
		}
		return script.Command{}, fmt.Errorf("%w: check_script_secure could not find script '%s': %w", ErrDisabled, s.Command, err)
	}
	argv[0] = real
	return script.Command{Argv: argv, Cred: cred}, nil
}

// credential picks the user: the script's own, then script_user, then keepalived_script
// if it exists, then root (nil).
func (p Policy) credential(s config.Script) (*script.Credential, error) {
	lookup := p.Lookup
	if lookup == nil {
		lookup = script.LookupCredential
	}
	switch {
	case s.User != "":
		return lookup(s.User, s.Group)
	case p.User != "":
		return lookup(p.User, p.Group)
	}
	if c, err := lookup(DefaultUser, ""); err == nil {
		return c, nil
	}
	return nil, nil
}
