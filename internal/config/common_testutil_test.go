package config

import (
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// load interprets src and fails on a nil config.
func load(t *testing.T, src string) (*Config, syntax.Diagnostics) {
	t.Helper()
	cfg, d := LoadString("t.conf", src, LoadOptions{})
	if cfg == nil {
		t.Fatalf("LoadString returned nil config; diagnostics:\n%s", d)
	}
	return cfg, d
}

// wantDiag is an expected diagnostic: line (0 = any), severity and a message substring.
type wantDiag struct {
	line int
	sev  syntax.Severity
	msg  string
}

// checkDiags asserts that got holds exactly the wanted diagnostics of severity Warning and above
// (Info notes are only checked when listed) in any order.
func checkDiags(t *testing.T, got syntax.Diagnostics, want ...wantDiag) {
	t.Helper()
	used := make([]bool, len(got))
	for _, w := range want {
		found := false
		for i, d := range got {
			if used[i] || d.Severity != w.sev || !strings.Contains(d.Msg, w.msg) || (w.line != 0 && d.Pos.Line != w.line) {
				continue
			}
			used[i], found = true, true
			break
		}
		if !found {
			t.Errorf("missing diagnostic line %d %s %q; got:\n%s", w.line, w.sev, w.msg, got)
		}
	}
	for i, d := range got {
		if !used[i] && d.Severity >= syntax.Warning {
			t.Errorf("unexpected diagnostic: %s", d)
		}
	}
}

// inst returns the named instance or fails.
func inst(t *testing.T, cfg *Config, name string) *Instance {
	t.Helper()
	v := cfg.Instance(name)
	if v == nil {
		t.Fatalf("instance %s not found (have %d instances)", name, len(cfg.Instances))
	}
	return v
}

// vi wraps instance body lines in a vrrp_instance VI_1 block on interface eth0 with VRID 1. The
// body starts on line 4.
func vi(body string) string {
	return "vrrp_instance VI_1 {\n interface eth0\n virtual_router_id 1\n" + body + "\n}\n"
}
