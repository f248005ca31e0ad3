package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

func twoInstances(prio2 int, third bool) string {
	s := `vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    virtual_ipaddress { 198.51.100.100/24 }
}
` + fmt.Sprintf(`vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority %d
    virtual_ipaddress { 198.51.100.101/24 }
}
`, prio2)
	if third {
		s += `vrrp_instance VI_3 {
    interface eth0
    virtual_router_id 53
    priority 150
    virtual_ipaddress { 198.51.100.102/24 }
}
`
	}
	return s
}

func changesOf(n *fakeNet, owner string) []bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []bool
	for _, c := range n.changes {
		if c.owner == owner {
			out = append(out, c.installed)
		}
	}
	return out
}

// TestReloadKeepsUnchangedInstance: on reload an unchanged instance keeps MASTER and its VIP with
// no removal in between, a changed one restarts, a new one starts, and a removed one lets go of
// its addresses (keepalived SIGHUP semantics, reference §1c.4).
func TestReloadKeepsUnchangedInstance(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var deleted, stopped []string
		e, err := New(load(t, twoInstances(150, true)), n, Options{
			Logger:    log,
			OnDeleted: func(name string, _ int) { deleted = append(deleted, name) },
			OnTransition: func(tr Transition) {
				if tr.To.String() == "STOP" {
					stopped = append(stopped, tr.Name)
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		time.Sleep(10 * time.Second)
		synctest.Wait()
		for _, o := range []string{"VI_1", "VI_2", "VI_3"} {
			if !n.isInstalled(o) {
				t.Fatalf("%s not master before reload", o)
			}
		}
		before := changesOf(n, "VI_1")

		// VI_1 unchanged but moved down the file, VI_2 changed, VI_3 removed, VI_4 new.
		newConf := "# a comment that shifts every line\n" + twoInstances(120, false) + `vrrp_instance VI_4 {
    interface eth0
    virtual_router_id 54
    priority 150
    virtual_ipaddress { 198.51.100.103/24 }
}
`
		cfg, diags := config.LoadString("reload.conf", newConf, config.LoadOptions{})
		if diags.ExitCode() != 0 {
			t.Fatal(diags)
		}
		if err := e.Reload(cfg); err != nil {
			t.Fatal(err)
		}
		time.Sleep(10 * time.Second)
		synctest.Wait()

		if after := changesOf(n, "VI_1"); !reflect.DeepEqual(after, before) {
			t.Errorf("unchanged VI_1 flapped on reload: address changes %v then %v", before, after)
		}
		if !n.isInstalled("VI_1") || !n.isInstalled("VI_2") || !n.isInstalled("VI_4") {
			t.Errorf("after reload: VI_1=%v VI_2=%v VI_4=%v, want all master", n.isInstalled("VI_1"), n.isInstalled("VI_2"), n.isInstalled("VI_4"))
		}
		if n.isInstalled("VI_3") {
			t.Error("removed VI_3 kept its addresses")
		}
		if !reflect.DeepEqual(deleted, []string{"VI_3"}) {
			t.Errorf("OnDeleted for %v, want [VI_3]", deleted)
		}
		if !reflect.DeepEqual(stopped, []string{"VI_2"}) {
			t.Errorf("STOP transitions for %v, want only the restarted VI_2", stopped)
		}
		st, err := e.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		var prio2 int
		for _, s := range st {
			if s.Name == "VI_2" {
				prio2 = s.BasePriority
			}
		}
		if len(st) != 3 || prio2 != 120 {
			t.Errorf("snapshot after reload: %d instances, VI_2 priority %d; want 3 and 120", len(st), prio2)
		}
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	})
}
