package notify

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

var _ = (&Switch{}).OnTransition // usable as engine.Options.OnTransition

// TestSwitchReload replaces the Notifier at a reload: events go to the new one, and
// the old one is closed by the caller.
func TestSwitchReload(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	s1 := writeScript(t, dir, "one.sh", "echo one >> "+log)
	s2 := writeScript(t, dir, "two.sh", "echo two >> "+log)
	var sw Switch
	sw.OnTransition(tr("VI_1", false, fsm.StateMaster, 150)) // nothing installed: dropped
	n1 := newNotifier(t, load(t, instance("VI_1", 1, "notify_master "+s1+"\n")), Options{})
	if old := sw.Set(n1); old != nil {
		t.Fatal("first Set returned a Notifier")
	}
	sw.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	n2 := newNotifier(t, load(t, instance("VI_1", 1, "notify_master "+s2+"\n")), Options{})
	old := sw.Set(n2)
	if old != n1 {
		t.Fatal("Set did not return the previous Notifier")
	}
	if err := old.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	sw.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	if err := n2.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(log)
	if string(b) != "one\ntwo\n" {
		t.Errorf("log %q, want one then two", b)
	}
}
