package track

import (
	"slices"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

func TestParseFileValue(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"", 0}, {"0\n", 0}, {"5\n", 5}, {"  -7 trailing", -7}, {"+3", 3},
		{"0x10", 16}, {"010", 8}, {"09", 0}, {"abc", 0}, {"1000", 254}, {"-1000", -254},
		{"99999999999999999999999", 254}, {"0x", 0},
	}
	for _, tt := range tests {
		if got := ParseFileValue([]byte(tt.in)); got != tt.want {
			t.Errorf("ParseFileValue(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func FuzzParseFileValue(f *testing.F) {
	for _, s := range []string{"", "0", "-254", "0x1f", "077", " 12\n", "+", "-"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if v := ParseFileValue(b); v < -254 || v > 254 {
			t.Fatalf("ParseFileValue(%q) = %d out of range", b, v)
		}
	})
}

func TestParseCmdline(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"sleep\x00100\x00", []string{"sleep", "100"}},
		{"/usr/sbin/nginx\x00-g\x00daemon off;\x00", []string{"/usr/sbin/nginx", "-g", "daemon off;"}},
		{"nginx: master process", []string{"nginx: master process"}},
	}
	for _, tt := range tests {
		if got := ParseCmdline([]byte(tt.in)); !slices.Equal(got, tt.want) {
			t.Errorf("ParseCmdline(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseCmdline(f *testing.F) {
	for _, s := range []string{"", "a\x00", "a\x00b\x00", "\x00\x00"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		args := ParseCmdline(b)
		spec := ProcSpec{Name: "x", Params: []string{"y"}, ParamMatch: config.ParamMatchPartial, FullCommand: true}
		_ = spec.Match("x", args)
		for _, a := range args {
			for i := 0; i < len(a); i++ {
				if a[i] == 0 {
					t.Fatalf("argument %q holds a NUL", a)
				}
			}
		}
	})
}

func TestProcSpecMatch(t *testing.T) {
	argv := []string{"/usr/bin/sleep", "100", "--foo", "bar"}
	tests := []struct {
		name string
		spec ProcSpec
		comm string
		want bool
	}{
		{"comm", ProcSpec{Name: "sleep"}, "sleep", true},
		{"other comm", ProcSpec{Name: "nginx"}, "sleep", false},
		{"full command", ProcSpec{Name: "/usr/bin/sleep", FullCommand: true}, "sleep", true},
		{"full command needs the path", ProcSpec{Name: "sleep", FullCommand: true}, "sleep", false},
		{"long name uses argv0", ProcSpec{Name: "/usr/bin/sleep"}, "sleep", true},
		{"exact params", ProcSpec{Name: "sleep", Params: []string{"100", "--foo", "bar"}}, "sleep", true},
		{"exact params mismatch", ProcSpec{Name: "sleep", Params: []string{"100"}}, "sleep", false},
		{"initial params", ProcSpec{Name: "sleep", Params: []string{"100", "--foo"}, ParamMatch: config.ParamMatchInitial}, "sleep", true},
		{"initial params not initial", ProcSpec{Name: "sleep", Params: []string{"--foo"}, ParamMatch: config.ParamMatchInitial}, "sleep", false},
		{"partial params", ProcSpec{Name: "sleep", Params: []string{"--foo", "bar"}, ParamMatch: config.ParamMatchPartial}, "sleep", true},
		{"partial params absent", ProcSpec{Name: "sleep", Params: []string{"bar", "--foo"}, ParamMatch: config.ParamMatchPartial}, "sleep", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.spec.Match(tt.comm, argv); got != tt.want {
				t.Errorf("Match = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestProcQuorumDelays(t *testing.T) {
	pt := &procTracker{quorum: 2, max: 3, forkDelay: 2, terminateDelay: 5}
	at := func(n int64) (tm timeT) { return timeT(n) }
	steps := []struct {
		n       int
		now     timeT
		changed bool
		have    bool
	}{
		{0, at(0), true, false},  // first scan decides
		{2, at(1), false, false}, // quorum seen, fork_delay pending
		{2, at(3), true, true},   // 2 ns later: applied
		{4, at(4), false, true},  // above quorum_max: terminate_delay pending
		{3, at(5), false, true},  // back within: pending cancelled
		{1, at(6), false, true},
		{1, at(11), true, false}, // 5 ns after it went below
	}
	for i, s := range steps {
		changed := pt.observe(s.n, s.now.time())
		if changed != s.changed || pt.have != s.have {
			t.Fatalf("step %d (n=%d): changed=%v have=%v, want %v %v", i, s.n, changed, pt.have, s.changed, s.have)
		}
	}
}
