package config

import (
	"net/netip"
	"os"
	"path/filepath"
	"testing"
)

// FuzzInterpretLVS feeds arbitrary text through the parser and the LVS interpretation and checks
// the invariants finishLVS promises: every kept service has a family and a known group, real servers
// are unique, and every checker has positive resolved timers.
func FuzzInterpretLVS(f *testing.F) {
	files, _ := filepath.Glob("testdata/lvs/*.conf")
	for _, name := range files {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(string(b))
		}
	}
	f.Add("virtual_server 203.0.113.1 {\n real_server 198.51.100.1 {\n  TCP_CHECK {\n  }\n }\n}\n")
	f.Add("virtual_server_group g {\n ae00::2-9 80\n fwmark 1 inet6\n}\nvirtual_server group g {\n lvs_method TUN type gue port 1 remcsum\n}\n")
	f.Add("virtual_server fwmark 1 {\n real_server 2001:db8::1 {\n  lvs_method TUN\n }\n real_server 198.51.100.1 {\n  lvs_method TUN\n }\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, diags := LoadString("f.conf", src, LoadOptions{})
		for _, d := range diags {
			if d.Pos.Line < 0 {
				t.Fatalf("diagnostic with a negative line: %v", d)
			}
		}
		if cfg == nil {
			return
		}
		for _, vs := range cfg.VirtualServers {
			if vs.Family == AFUnspec {
				t.Fatalf("virtual server %s has no family", vs.Name())
			}
			if vs.Kind == VSByGroup && cfg.VirtualServerGroup(vs.Group) == nil {
				t.Fatalf("virtual server %s names a missing group", vs.Name())
			}
			seen := map[netip.AddrPort]bool{}
			for _, rs := range vs.RealServers {
				k := netip.AddrPortFrom(rs.Addr, rs.Port)
				if seen[k] {
					t.Fatalf("virtual server %s: duplicate real server %s kept", vs.Name(), k)
				}
				seen[k] = true
				for _, c := range rs.Checkers {
					if c.Resolved.DelayLoop <= 0 || c.Resolved.ConnectTimeout <= 0 || c.Resolved.Retry < 0 {
						t.Fatalf("checker %s at %s: bad resolved timers %+v", c.Type, c.Pos, c.Resolved)
					}
				}
			}
		}
		for _, g := range cfg.VirtualServerGroups {
			for _, e := range g.Entries {
				if !e.IsFwmark && (!e.First.IsValid() || e.Last.Less(e.First)) {
					t.Fatalf("group %s: bad range %s-%s", g.Name, e.First, e.Last)
				}
			}
		}
	})
}
