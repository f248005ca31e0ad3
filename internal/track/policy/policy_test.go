package policy

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
)

// users is a fake user database.
func users(known map[string]uint32) func(string, string) (*script.Credential, error) {
	return func(u, g string) (*script.Credential, error) {
		uid, ok := known[u]
		if !ok {
			return nil, fmt.Errorf("user %s: unknown", u)
		}
		return &script.Credential{UID: uid, GID: uid}, nil
	}
}

func TestCredentialChoice(t *testing.T) {
	db := users(map[string]uint32{"alice": 1000, "keepalived_script": 999, "root": 0})
	noDefault := users(map[string]uint32{"alice": 1000})
	tests := []struct {
		name    string
		pol     Policy
		s       config.Script
		wantUID int // -1: nil credential (root, the daemon's own user)
		wantErr bool
	}{
		{"script's own user", Policy{User: "root", Lookup: db}, config.Script{Args: []string{"/bin/true"}, User: "alice"}, 1000, false},
		{"script_user", Policy{User: "alice", Lookup: db}, config.Script{Args: []string{"/bin/true"}}, 1000, false},
		{"keepalived_script when it exists", Policy{Lookup: db}, config.Script{Args: []string{"/bin/true"}}, 999, false},
		{"root otherwise", Policy{Lookup: noDefault}, config.Script{Args: []string{"/bin/true"}}, -1, false},
		{"unknown script_user disables", Policy{User: "bob", Lookup: db}, config.Script{Args: []string{"/bin/true"}}, 0, true},
		{"empty command", Policy{Lookup: db}, config.Script{}, 0, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cmd, err := tt.pol.Prepare(tt.s)
			if tt.wantErr {
				if !errors.Is(err, ErrDisabled) {
					t.Fatalf("err = %v, want ErrDisabled", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got := -1
			if cmd.Cred != nil {
				got = int(cmd.Cred.UID)
			}
			if got != tt.wantUID {
				t.Errorf("uid = %d, want %d", got, tt.wantUID)
			}
		})
	}
}

func TestSecurityRefusesWritablePath(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root-owned files")
	}
	dir := filepath.Join(t.TempDir(), "ww")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil { // world-writable: unsafe for root
		t.Fatal(err)
	}
	p := filepath.Join(dir, "s.sh")
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	root := Policy{Secure: true, Lookup: users(nil)}
	_, err := root.Prepare(config.Script{Command: p, Args: []string{p}})
	if !errors.Is(err, ErrDisabled) || !strings.Contains(err.Error(), "Unsafe permissions found for script '"+p+"' - disabling.") {
		t.Fatalf("err = %v, want keepalived's unsafe-permissions refusal", err)
	}
	// Without enable_script_security the same script runs.
	if _, err := (Policy{Lookup: users(nil)}).Prepare(config.Script{Command: p, Args: []string{p}}); err != nil {
		t.Fatalf("without security: %v", err)
	}
	// A non-root user may run it: the check only protects root.
	nonRoot := Policy{Secure: true, User: "alice", Lookup: users(map[string]uint32{"alice": 1000})}
	if _, err := nonRoot.Prepare(config.Script{Command: p, Args: []string{p}}); err != nil {
		t.Fatalf("as alice: %v", err)
	}
}

func TestSecurityResolvesBareNames(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root-owned system files")
	}
	pol := Policy{Secure: true, Lookup: users(nil)}
	cmd, err := pol.Prepare(config.Script{Command: "true", Args: []string{"true", "x"}})
	if err != nil {
		t.Skipf("system PATH is not secure here: %v", err)
	}
	if !filepath.IsAbs(cmd.Argv[0]) || cmd.Argv[1] != "x" {
		t.Errorf("argv = %q, want the resolved absolute path and the arguments", cmd.Argv)
	}
}
