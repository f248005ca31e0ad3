package policy

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestConfigTestScriptSecurity(t *testing.T) {
	dir := t.TempDir()
	present := filepath.Join(dir, "chk.sh")
	if err := os.WriteFile(present, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	conf := func(global, prog string) string {
		return "global_defs {\n" + global + "\n}\nvrrp_script chk {\n script \"" + prog + "\"\n}\n" +
			"vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n track_script {\n  chk\n }\n" +
			" virtual_ipaddress {\n  198.51.100.1\n }\n}\n"
	}
	tests := []struct {
		name     string
		text     string
		exit     int
		violates bool
	}{
		{"existing script without security", conf("", present), syntax.ExitSecurity, true},
		{"missing script without security", conf("", filepath.Join(dir, "missing.sh")), syntax.ExitOK, false},
		{"shell redirect script without security", conf("", "</dev/tcp/127.0.0.1/80"), syntax.ExitSecurity, true},
		{"existing script with security", conf(" enable_script_security\n script_user root", present), syntax.ExitOK, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg, diags := config.LoadString("t.conf", tc.text, config.LoadOptions{})
			if diags.ExitCode() != syntax.ExitOK {
				t.Fatalf("config: %s", diags)
			}
			ds := ConfigTest(cfg)
			if got := ds.ExitCode(); got != tc.exit {
				t.Errorf("exit code %d, want %d:\n%s", got, tc.exit, ds)
			}
			if got := strings.Contains(ds.String(), "SECURITY VIOLATION - scripts are being executed"); got != tc.violates {
				t.Errorf("SECURITY VIOLATION reported = %v, want %v:\n%s", got, tc.violates, ds)
			}
		})
	}
}
