package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"reflect"
	"strings"
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

// runFor starts e on its own goroutine, lets it run for 10 s of bubble time and returns the
// function that stops it and checks that Run ended cleanly.
func runFor(t *testing.T, e *Engine) (stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- e.Run(ctx) }()
	time.Sleep(10 * time.Second)
	synctest.Wait()
	return func() {
		t.Helper()
		cancel()
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
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
// no removal in between, one whose priority changed keeps them too, a new one starts, and a
// removed one lets go of its addresses (keepalived SIGHUP semantics, reference §1c.4).
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
		stop := runFor(t, e)
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
		if len(stopped) != 0 {
			t.Errorf("STOP transitions for %v, want none (VI_2's priority changes in place)", stopped)
		}
		if after := changesOf(n, "VI_2"); !reflect.DeepEqual(after, []bool{true}) {
			t.Errorf("VI_2 flapped when its priority changed: address changes %v", after)
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
		stop()
	})
}

func oneInstance(prio int, advert string, extra string, vips ...string) string {
	return fmt.Sprintf(`vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int %s
    %s
    virtual_ipaddress {
        %s
    }
}
`, prio, advert, extra, strings.Join(vips, "\n        "))
}

// TestReloadInPlace: a reload that changes a master's priority, advert_int and VIPs keeps it
// MASTER; only the dropped VIP is removed and only the new one added (and announced); adverts go
// on with the new priority at the new interval. A hard change (dont_track_primary) restarts.
func TestReloadInPlace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		var stops int
		e, err := New(load(t, oneInstance(150, "1", "", "198.51.100.100/24", "198.51.100.110/24")), n, Options{
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnTransition: func(tr Transition) {
				if tr.To.String() == "STOP" {
					stops++
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := runFor(t, e)
		if !n.isInstalled("VI_1") {
			t.Fatal("VI_1 not master")
		}
		logBefore := len(n.addressLog())
		n.mu.Lock()
		garpsBefore := n.garps
		n.mu.Unlock()

		reload := func(text string) {
			t.Helper()
			if err := e.Reload(load(t, text)); err != nil {
				t.Fatal(err)
			}
		}
		reloadAt := time.Now()
		reload(oneInstance(160, "2", "", "198.51.100.100/24", "198.51.100.120/24"))
		time.Sleep(10 * time.Second)
		synctest.Wait()

		if got, want := n.addressLog()[logBefore:], []string{"-VI_1 198.51.100.110/24", "+VI_1 198.51.100.120/24"}; !reflect.DeepEqual(got, want) {
			t.Errorf("address changes on reload %q, want %q", got, want)
		}
		if stops != 0 || !reflect.DeepEqual(changesOf(n, "VI_1"), []bool{true}) {
			t.Errorf("VI_1 left MASTER on an in-place reload: %d stops, changes %v", stops, changesOf(n, "VI_1"))
		}
		n.mu.Lock()
		garps := n.garps - garpsBefore
		var after []sentAdvert
		for _, s := range n.sent {
			if s.at.After(reloadAt) {
				after = append(after, s)
			}
		}
		n.mu.Unlock()
		if garps == 0 {
			t.Error("the added VIP was not announced")
		}
		if len(after) < 4 || len(after) > 6 {
			t.Errorf("%d adverts in the 10 s after the reload, want 5 at advert_int 2", len(after))
		}
		for i, s := range after {
			if s.prio != 160 {
				t.Errorf("advert %d after reload has priority %d, want 160", i, s.prio)
			}
			if i > 0 && s.at.Sub(after[i-1].at) != 2*time.Second {
				t.Errorf("advert %d came %v after the previous, want 2s", i, s.at.Sub(after[i-1].at))
			}
		}
		st, _ := e.Snapshot()
		if len(st) != 1 || st[0].State != "MASTER" || st[0].BasePriority != 160 || len(st[0].VIPs) != 2 {
			t.Errorf("snapshot after reload: %+v", st)
		}

		// A setting that cannot change in place restarts the instance.
		reload(oneInstance(160, "2", "dont_track_primary", "198.51.100.100/24", "198.51.100.120/24"))
		time.Sleep(10 * time.Second)
		synctest.Wait()
		if stops != 1 || !n.isInstalled("VI_1") {
			t.Errorf("hard change: %d stops (want 1 restart), installed %v", stops, n.isInstalled("VI_1"))
		}
		stop()
	})
}

func syncGroupConf(prio2 int, vip2 string) string {
	return fmt.Sprintf(`vrrp_sync_group SG {
    group {
        VI_1
        VI_2
    }
}
vrrp_instance VI_1 {
    interface eth0
    virtual_router_id 51
    priority 150
    virtual_ipaddress { 198.51.100.100/24 }
}
vrrp_instance VI_2 {
    interface eth0
    virtual_router_id 52
    priority %d
    virtual_ipaddress {
        %s
    }
}
`, prio2, strings.ReplaceAll(vip2, " ", "\n        "))
}

// TestReloadSyncGroupInPlace: a reload that changes a sync group member's priority and VIP keeps
// the group MASTER; the priority change is reported for that member, not the other.
func TestReloadSyncGroupInPlace(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		var stops int
		var prios []string
		e, err := New(load(t, syncGroupConf(150, "198.51.100.101/24 198.51.100.103/24")), n, Options{
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnTransition: func(tr Transition) {
				if tr.To.String() == "STOP" {
					stops++
				}
			},
			OnPriorityChange: func(name string, prio int, _ bool) { prios = append(prios, fmt.Sprintf("%s=%d", name, prio)) },
		})
		if err != nil {
			t.Fatal(err)
		}
		stop := runFor(t, e)
		if !n.isInstalled("VI_1") || !n.isInstalled("VI_2") {
			t.Fatal("group not master")
		}
		logBefore := len(n.addressLog())
		if err := e.Reload(load(t, syncGroupConf(170, "198.51.100.101/24 198.51.100.102/24"))); err != nil {
			t.Fatal(err)
		}
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if stops != 0 || !reflect.DeepEqual(changesOf(n, "VI_1"), []bool{true}) || !reflect.DeepEqual(changesOf(n, "VI_2"), []bool{true}) {
			t.Errorf("group flapped on reload: %d stops, VI_1 %v, VI_2 %v", stops, changesOf(n, "VI_1"), changesOf(n, "VI_2"))
		}
		if got, want := n.addressLog()[logBefore:], []string{"-VI_2 198.51.100.103/24", "+VI_2 198.51.100.102/24"}; !reflect.DeepEqual(got, want) {
			t.Errorf("address changes %q, want %q", got, want)
		}
		if !reflect.DeepEqual(prios, []string{"VI_2=170"}) {
			t.Errorf("priority changes reported %q, want [VI_2=170]", prios)
		}
		stop()
	})
}
