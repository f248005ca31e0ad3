package track

import (
	"context"
	"fmt"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/track/policy"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// TestReplaceClearsRemovedTrackers: at a reload, a tracker the new configuration no
// longer has is cleared, and one it keeps is left alone.
func TestReplaceClearsRemovedTrackers(t *testing.T) {
	dir := t.TempDir()
	fail := writeScript(t, dir, "fail.sh", "exit 1")
	scripts := fmt.Sprintf(`
vrrp_script keep {
	script "%s"
	weight -10
}
vrrp_script gone {
	script "%s"
}
`, fail, fail)
	oldCfg := load(t, scripts+instance("VI_1", 1, "track_script {\nkeep\ngone\n}"))
	newCfg := load(t, scripts+instance("VI_1", 1, "track_script {\nkeep\n}"))
	rep := newFakeReporter()
	opts := Options{Logger: quiet(t), Policy: &policy.Policy{Lookup: noUser}}
	old := start(t, oldCfg, rep, opts)
	if !rep.waitFor("VI_1", "script gone", engine.TrackerState{Fault: true}, wait) {
		t.Fatal("old set never reported")
	}
	next, err := New(newCfg, rep, opts)
	if err != nil {
		t.Fatal(err)
	}
	old.Replace(context.Background(), next)
	t.Cleanup(next.Stop)
	if st, _ := rep.last("VI_1", "script gone"); st != (engine.TrackerState{}) {
		t.Errorf("removed tracker still %+v", st)
	}
	for _, c := range rep.snapshot() {
		if c.key == "script keep" && c.st == (engine.TrackerState{}) {
			t.Errorf("kept tracker was cleared: %+v", c)
		}
	}
	if !rep.waitFor("VI_1", "script keep", engine.TrackerState{Weight: -10}, wait) {
		t.Error("new set never reported")
	}
}
