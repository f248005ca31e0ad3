package notify

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// readAll reads what is queued in the FIFO r without blocking.
func readAll(t *testing.T, r *os.File) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 4096)
	for {
		k, err := r.Read(buf)
		got = append(got, buf[:max(k, 0)]...)
		if err != nil || k == 0 {
			return got
		}
	}
}

func openReader(t *testing.T, path string) *os.File {
	t.Helper()
	// The notifier holds the FIFO O_RDWR, so this open does not block.
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}

// TestWriteStates checks fifo_write_vrrp_states_on_reload's lines on both FIFOs (notify_fifo
// and vrrp_notify_fifo): groups first in configuration order with the state derived from their
// members, then instances in configuration order with their effective priority; INIT and STOP
// skipped; and no notify script run although every target has them.
func TestWriteStates(t *testing.T) {
	dir := t.TempDir()
	shared, vrrp := filepath.Join(dir, "notify.fifo"), filepath.Join(dir, "vrrp.fifo")
	notifies := `notify_master /bin/true
	notify_backup /bin/true
	notify_fault /bin/true
	notify /bin/true`
	cfg := load(t, fmt.Sprintf(`
global_defs {
	notify_fifo %s
	vrrp_notify_fifo %s
}
vrrp_sync_group SG_B {
	group {
		VI_3
		VI_4
	}
	%s
}
vrrp_sync_group SG_A {
	group {
		VI_1
		VI_2
	}
	%s
}
vrrp_sync_group SG_C {
	group {
		VI_6
	}
}
`, shared, vrrp, notifies, notifies)+instance("VI_1", 1, notifies)+instance("VI_2", 2, notifies)+
		instance("VI_3", 3, notifies)+instance("VI_4", 4, notifies)+instance("VI_5", 5, notifies)+instance("VI_6", 6, notifies))
	var ran atomic.Int32
	n := newNotifier(t, cfg, Options{Runner: func(context.Context, script.Command) (script.Result, error) {
		ran.Add(1)
		return script.Result{}, nil
	}})
	readers := []*os.File{openReader(t, shared), openReader(t, vrrp)}
	// The engine lists sync group members first; the lines follow the configuration.
	n.WriteStates([]engine.InstanceStatus{
		{Name: "VI_3", SyncGroup: "SG_B", State: "BACKUP", Priority: 100},
		{Name: "VI_4", SyncGroup: "SG_B", State: "FAULT", Priority: 90},
		{Name: "VI_1", SyncGroup: "SG_A", State: "MASTER", Priority: 150},
		{Name: "VI_2", SyncGroup: "SG_A", State: "MASTER", Priority: 140},
		{Name: "VI_6", SyncGroup: "SG_C", State: "INIT", Priority: 100},
		{Name: "VI_5", State: "BACKUP", Priority: 254},
		{Name: "VI_9", State: "MASTER", Priority: 1}, // not in the configuration
	})
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	for i, r := range readers {
		got := readAll(t, r)
		golden(t, "reload_states.golden", got)
		if t.Failed() {
			t.Fatalf("fifo %d", i)
		}
	}
	if k := ran.Load(); k != 0 {
		t.Errorf("%d notify scripts ran; the state lines are FIFO only", k)
	}
	n.WriteStates([]engine.InstanceStatus{{Name: "VI_5", State: "MASTER", Priority: 1}}) // closed: ignored
}

// TestWriteStatesWithoutFIFO checks that nothing is queued, and no script runs, without a FIFO.
func TestWriteStatesWithoutFIFO(t *testing.T) {
	var ran atomic.Int32
	n := newNotifier(t, load(t, instance("VI_1", 1, "notify /bin/true")), Options{Runner: func(context.Context, script.Command) (script.Result, error) {
		ran.Add(1)
		return script.Result{}, nil
	}})
	n.WriteStates([]engine.InstanceStatus{{Name: "VI_1", State: "MASTER", Priority: 150}})
	queued := len(n.lines)
	// A real transition does run the script: the Runner is wired, so 0 above means something.
	n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if queued != 0 || ran.Load() != 1 {
		t.Errorf("%d lines queued, %d scripts ran, want 0 and 1 (the transition's)", queued, ran.Load())
	}
}

func TestGroupState(t *testing.T) {
	tests := []struct {
		members []string
		want    string
	}{
		{nil, ""},
		{[]string{"MASTER", "MASTER"}, "MASTER"},
		{[]string{"MASTER", "BACKUP"}, "BACKUP"},
		{[]string{"MASTER", "FAULT"}, "FAULT"},
		{[]string{"INIT", "BACKUP"}, "BACKUP"},
		{[]string{"INIT", "INIT"}, ""},
		{[]string{"STOP"}, ""},
	}
	for _, tt := range tests {
		if got := groupState(tt.members); got != tt.want {
			t.Errorf("groupState(%v) = %q, want %q", tt.members, got, tt.want)
		}
	}
}
