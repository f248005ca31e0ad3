package conformance

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

func TestCompare(t *testing.T) {
	keepalived := Record{Exit: 5, Lines: []Line{
		{29, "Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking"},
		{30, `"or" for routes is deprecated. Please use "nexthop"`},
	}}
	tests := []struct {
		name  string
		ours  Record
		items []string
	}{
		{"same kinds, other words and lines", Record{Exit: 5, Lines: []Line{
			{30, "route 'or' keyword is deprecated, use nexthop"},
			{29, "virtual route 192.168.112.0/24 without an interface cannot be tracked"},
		}}, nil},
		{"missing one", Record{Exit: 5, Lines: []Line{{30, "deprecated 'or'"}}}, []string{"-route-untracked"}},
		{"nothing", Record{Exit: 0}, []string{"exit", "-deprecated", "-route-untracked"}},
		{"extra", Record{Exit: 5, Lines: []Line{
			{29, "cannot track route x"}, {30, "deprecated"}, {3, "unknown keyword 'y'"},
		}}, []string{"+unknown-keyword"}},
	}
	for _, tt := range tests {
		var items []string
		for _, d := range Compare("vrrp.routes", keepalived, tt.ours) {
			if d.Case != "vrrp.routes" || d.Detail == "" {
				t.Errorf("%s: incomplete difference %+v", tt.name, d)
			}
			items = append(items, d.Item)
		}
		if !reflect.DeepEqual(items, tt.items) {
			t.Errorf("%s: differences %q, want %q", tt.name, items, tt.items)
		}
	}
}

func TestParseKnown(t *testing.T) {
	k, err := ParseKnown("# comment\n\nvrrp.routes  -route-untracked  model-incomplete  not checked yet\nsample exit deliberate we exit 4 on a missing file\n")
	if err != nil {
		t.Fatal(err)
	}
	want := Known{Case: "vrrp.routes", Item: "-route-untracked", Tag: TagModelIncomplete, Reason: "not checked yet"}
	if k[want.Key()] != want || len(k) != 2 {
		t.Errorf("ParseKnown = %+v", k)
	}
	for _, bad := range []string{
		"vrrp.routes -route-untracked model-incomplete\n",  // no reason
		"vrrp.routes -route-untracked someday reason\n",    // unknown tag
		"vrrp.routes route-untracked deliberate reason\n",  // item without sign
		"a exit deliberate one\na exit deliberate twice\n", // duplicate
	} {
		if _, err := ParseKnown(bad); err == nil {
			t.Errorf("ParseKnown(%q) succeeded, want an error", bad)
		}
	}
}

func TestCases(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"keepalived.conf.vrrp", "keepalived.conf.conditional_conf", "sample_notify_fifo.sh.gz"} {
		writeFile(t, dir, n)
	}
	own := t.TempDir()
	writeFile(t, own, "neg.conf")
	if err := os.WriteFile(filepath.Join(own, "inc.conf"), []byte("# args: -e -D\ninclude x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	writeFile(t, own, "notes.txt")
	cs, err := Cases(dir, "/etc/keepalived/keepalived.conf.sample", own)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, c := range cs {
		names = append(names, c.Name)
	}
	want := []string{"conditional_conf", "conditional_conf@high", "conditional_conf@low", "vrrp", "etc-default", "x-inc", "x-neg", "x-missing-file"}
	if !reflect.DeepEqual(names, want) {
		t.Errorf("cases %q, want %q", names, want)
	}
	if a := cs[1].Args(); !reflect.DeepEqual(a, []string{"-t", "-f", cs[1].File, "-i", "high"}) {
		t.Errorf("Args = %q", a)
	}
	if a := cs[5].Args(); !reflect.DeepEqual(a, []string{"-t", "-f", cs[5].File, "-e", "-D"}) {
		t.Errorf("Args with # args: = %q", a)
	}
}

func writeFile(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCompareLines(t *testing.T) {
	keepalived := Record{Exit: 5, Lines: []Line{
		{15, "number '0' outside range [0.000001, 4294.967295]"},
		{15, "vrrp_garp_interval '0' is invalid"},
		{16, "vrrp_gna_interval '0' is invalid"},
		{0, "(VI_1) State MASTER must match being address owner"},
	}}
	tests := []struct {
		name  string
		ours  []Line
		items []string
	}{
		{"same lines", []Line{{15, "vrrp_garp_interval: invalid value"}, {16, "vrrp_gna_interval: invalid value"}, {20, "address owner"}}, nil},
		{"second problem missed", []Line{{15, "vrrp_garp_interval: invalid value"}, {20, "address owner"}}, []string{"-invalid-value@16"}},
		{"extra line", []Line{{15, "invalid value"}, {16, "invalid value"}, {17, "invalid value"}, {20, "address owner"}}, []string{"+invalid-value@17"}},
		// keepalived gave no line for strict-owner: our line cannot be compared.
		{"no keepalived line", []Line{{15, "invalid value"}, {16, "invalid value"}, {99, "address owner"}}, nil},
	}
	for _, tt := range tests {
		var items []string
		for _, d := range Compare("etc-default", keepalived, Record{Exit: 5, Lines: tt.ours}) {
			items = append(items, d.Item)
		}
		if !reflect.DeepEqual(items, tt.items) {
			t.Errorf("%s: differences %q, want %q", tt.name, items, tt.items)
		}
	}
}

func FuzzParseKnown(f *testing.F) {
	f.Add("vrrp.routes -route-untracked model-incomplete not checked yet\n")
	f.Add("# c\n\na exit deliberate b\n")
	f.Add("a +x@3 version-delta r\n")
	f.Fuzz(func(t *testing.T, text string) {
		known, err := ParseKnown(text)
		if err != nil {
			return
		}
		for key, k := range known {
			if key != k.Key() || k.Reason == "" || k.Tag == "" || k.Case == "" {
				t.Fatalf("entry %q = %+v from %q", key, k, text)
			}
		}
	})
}
