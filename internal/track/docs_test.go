package track

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// docExample returns the first fenced block of docs/tracking.md: the example config.
func docExample(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "tracking.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no example block in docs/tracking.md")
	}
	return string(m[1])
}

// TestDocExample loads the documented example and checks which trackers bind to which
// instances, so the page cannot drift from the code.
func TestDocExample(t *testing.T) {
	src := docExample(t)
	// Keep the test off the host's /run.
	src = strings.ReplaceAll(src, "/run/keepalived-drain", filepath.Join(t.TempDir(), "drain"))
	cfg := load(t, src)
	pol := policy.FromGlobal(&cfg.Global)
	pol.Secure = false // the test may run where /usr/bin is not root-owned
	s, err := New(cfg, newFakeReporter(), Options{Logger: quiet(t), Policy: &pol})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	want := map[string][]string{
		"VI_1": {"script chk_maintenance", "script chk_maintenance (group SG)"},
		"VI_2": {"script chk_maintenance (group SG)"},
		"VI_3": {"file tf_drain", "process haproxy", "script chk_haproxy"},
	}
	got := s.Keys()
	for in, keys := range want {
		if !slices.Equal(got[in], keys) {
			t.Errorf("%s: keys %q, want %q", in, got[in], keys)
		}
	}
	if w := cfg.Instance("VI_3").TrackScripts[0].Weight; w != -60 {
		t.Errorf("VI_3 chk_haproxy weight %d, want the override -60", w)
	}
}
