package engine

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

func instanceConf(prio int, extra string) string {
	return fmt.Sprintf(`vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority %d
    advert_int 1
    %s
    virtual_ipaddress {
        198.51.100.100/24
    }
}
`, prio, extra)
}

func load(t *testing.T, text string) *config.Config {
	t.Helper()
	cfg, diags := config.LoadString("test.conf", text, config.LoadOptions{})
	if diags.ExitCode() != 0 {
		t.Fatalf("config: %s", diags)
	}
	return cfg
}

// router runs one engine on a fake node until stopped.
type router struct {
	net    *fakeNet
	engine *Engine
	cancel context.CancelFunc
	done   chan error
}

func startRouter(t *testing.T, lan *fakeLAN, name, addr, conf string) *router {
	t.Helper()
	n := lan.node(name, addr)
	e, err := New(load(t, conf), n, Options{Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	r := &router{net: n, engine: e, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- e.Run(ctx) }()
	return r
}

func (r *router) stop(t *testing.T) {
	t.Helper()
	r.cancel()
	if err := <-r.done; err != nil {
		t.Errorf("engine %s: %v", r.net.name, err)
	}
}

// waitInstalled advances fake time in small steps until owner's addresses are installed on n,
// and returns when that happened.
func waitInstalled(t *testing.T, n *fakeNet, limit time.Duration) time.Time {
	t.Helper()
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		synctest.Wait()
		if n.isInstalled("VI_1") {
			n.mu.Lock()
			at := n.changes[len(n.changes)-1].at
			n.mu.Unlock()
			return at
		}
		time.Sleep(time.Millisecond)
	}
	t.Fatalf("%s: VIP not installed within %s", n.name, limit)
	return time.Time{}
}

func lastAdvert(n *fakeNet) sentAdvert {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sent[len(n.sent)-1]
}

// TestElectionAndCrashFailover: the higher priority wins; when it falls silent the backup takes
// over exactly Master_Down_Interval = 3 × 1 s + (256-100)/256 s after the last advert
// (RFC 3768 §6.1, keepalived's v2 skew).
func TestElectionAndCrashFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, ""))
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, ""))
		waitInstalled(t, a.net, 10*time.Second)
		time.Sleep(5 * time.Second)
		synctest.Wait()
		if b.net.isInstalled("VI_1") {
			t.Fatal("backup installed the VIP while the master is alive")
		}

		a.net.setCut(true) // crash: no priority-0 advert
		last := lastAdvert(a.net).at
		at := waitInstalled(t, b.net, 10*time.Second)
		want := 3*time.Second + (256-100)*time.Second/256
		if got := at.Sub(last); got != want {
			t.Errorf("takeover %s after the last advert, want master-down %s", got, want)
		}
		a.stop(t)
		b.stop(t)
	})
}

// TestCleanStopFailover: a stopping master sends priority 0 and the backup takes over after its
// skew time only (RFC 3768 §6.4.2).
func TestCleanStopFailover(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, ""))
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, ""))
		waitInstalled(t, a.net, 10*time.Second)
		time.Sleep(2 * time.Second)
		synctest.Wait()

		a.stop(t)
		if a.net.isInstalled("VI_1") {
			t.Error("stopped master kept its VIP")
		}
		if p := lastAdvert(a.net); p.prio != 0 {
			t.Errorf("last advert of a stopping master has priority %d, want 0", p.prio)
		}
		stopAt := lastAdvert(a.net).at
		at := waitInstalled(t, b.net, 5*time.Second)
		if got, want := at.Sub(stopAt), (256-100)*time.Second/256; got != want {
			t.Errorf("takeover %s after priority 0, want skew %s", got, want)
		}
		b.stop(t)
	})
}

// TestPreemptionOnReturn: a returning higher-priority router takes the VIP back, and the old
// master releases it.
func TestPreemptionOnReturn(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, ""))
		waitInstalled(t, b.net, 10*time.Second)
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, ""))
		waitInstalled(t, a.net, 10*time.Second)
		synctest.Wait()
		if b.net.isInstalled("VI_1") {
			t.Error("old master kept the VIP after a higher priority took over")
		}
		a.stop(t)
		b.stop(t)
	})
}

// TestNopreempt: a higher-priority backup with nopreempt leaves the current master alone.
func TestNopreempt(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, "nopreempt"))
		waitInstalled(t, b.net, 10*time.Second)
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, "nopreempt"))
		time.Sleep(20 * time.Second)
		synctest.Wait()
		if a.net.isInstalled("VI_1") || !b.net.isInstalled("VI_1") {
			t.Errorf("nopreempt: a installed=%v b installed=%v, want only b", a.net.isInstalled("VI_1"), b.net.isInstalled("VI_1"))
		}
		a.stop(t)
		b.stop(t)
	})
}

// TestLinkDownFault: the master's interface going down puts it in FAULT (addresses removed) and
// the backup takes over; link up brings it back as master by preemption.
func TestLinkDownFault(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, ""))
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, ""))
		waitInstalled(t, a.net, 10*time.Second)
		a.net.setCut(true)
		a.net.setLink(false)
		synctest.Wait()
		if a.net.isInstalled("VI_1") {
			t.Error("faulted master kept its VIP")
		}
		waitInstalled(t, b.net, 10*time.Second)
		a.net.setCut(false)
		a.net.setLink(true)
		waitInstalled(t, a.net, 10*time.Second)
		synctest.Wait()
		if b.net.isInstalled("VI_1") {
			t.Error("backup kept the VIP after the master came back")
		}
		a.stop(t)
		b.stop(t)
	})
}

// TestTrackerWeightDemotesMaster: a failing weighted tracker lowers the master's priority below
// the backup's, which preempts; a weight-0 (fault) tracker puts the instance in FAULT.
func TestTrackerWeightDemotesMaster(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, ""))
		b := startRouter(t, lan, "b", "198.51.100.2", instanceConf(100, ""))
		waitInstalled(t, a.net, 10*time.Second)
		eng := a.engine
		eng.SetTracker("VI_1", "script chk_nginx", TrackerState{Weight: -60})
		waitInstalled(t, b.net, 10*time.Second)
		synctest.Wait()
		if a.net.isInstalled("VI_1") {
			t.Error("demoted master (150-60 < 100) kept the VIP")
		}
		eng.SetTracker("VI_1", "script chk_nginx", TrackerState{})
		waitInstalled(t, a.net, 10*time.Second)

		eng.SetTracker("VI_1", "script chk_db", TrackerState{Fault: true})
		synctest.Wait()
		st, err := eng.Snapshot()
		if err != nil {
			t.Fatal(err)
		}
		if st[0].State != "FAULT" || a.net.isInstalled("VI_1") {
			t.Errorf("after a fault tracker: state %s, VIP installed %v; want FAULT without VIP", st[0].State, a.net.isInstalled("VI_1"))
		}
		a.stop(t)
		b.stop(t)
	})
}

// TestTrackerFailedBeforeStart: a tracker that already failed when the engine starts puts the
// instance straight from INIT into FAULT, with no BACKUP transition (and so no notify_backup),
// as keepalived holds an instance in INIT until its scripts have returned once.
func TestTrackerFailedBeforeStart(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		var got []string
		e, err := New(load(t, instanceConf(150, "")), n, Options{
			Logger:       slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnTransition: func(tr Transition) { got = append(got, tr.From.String()+">"+tr.To.String()) },
		})
		if err != nil {
			t.Fatal(err)
		}
		e.SetTracker("VI_1", "script chk", TrackerState{Fault: true})
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		time.Sleep(5 * time.Second)
		synctest.Wait()
		cancel()
		<-done
		if len(got) < 1 || got[0] != "INIT>FAULT" {
			t.Errorf("transitions %v, want INIT>FAULT first", got)
		}
		for _, g := range got {
			if strings.HasSuffix(g, ">BACKUP") {
				t.Errorf("transitions %v include a BACKUP state", got)
			}
		}
	})
}

// TestVMAC: with use_vmac the instance gets its VMAC at start, its VIP lives on the VMAC, its
// adverts leave from it, and the VMAC is deleted at stop after the addresses are gone.
func TestVMAC(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		a := startRouter(t, lan, "a", "198.51.100.1", instanceConf(150, "use_vmac"))
		waitInstalled(t, a.net, 10*time.Second)
		a.net.mu.Lock()
		dev := a.net.lastSet.Addrs[0].Dev
		iface := a.net.eps[0].Iface
		a.net.mu.Unlock()
		if dev != "vrrp.51" || iface != "vrrp.51" {
			t.Errorf("VIP on %q, adverts on %q; want both on vrrp.51", dev, iface)
		}
		a.stop(t)
		a.net.mu.Lock()
		defer a.net.mu.Unlock()
		if want := []string{"+vrrp.51", "-vrrp.51"}; !slices.Equal(a.net.vmacs, want) {
			t.Errorf("VMAC calls %v, want %v", a.net.vmacs, want)
		}
		if a.net.installed["VI_1"] {
			t.Error("VIP still installed after stop")
		}
	})
}

// TestFinishAtNeverEarly: the precise finish of the master-down wait never returns before its
// deadline (the real clock; no timing bound is asserted, speed is for the benchmarks).
func TestFinishAtNeverEarly(t *testing.T) {
	for range 20 {
		at := time.Now().Add(300 * time.Microsecond)
		finishAt(at)
		if now := time.Now(); now.Before(at) {
			t.Fatalf("finishAt returned %s before its deadline", at.Sub(now))
		}
	}
}

// TestSyncGroupStartOrder: at start the sync group's BACKUP is reported before its members', the
// order keepalived writes to the notify FIFO (GROUP "SG" BACKUP 0 first).
func TestSyncGroupStartOrder(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		conf := `vrrp_sync_group SG {
    group {
        VI_A
        VI_B
    }
}
vrrp_instance VI_A {
    interface eth0
    virtual_router_id 51
    priority 100
    virtual_ipaddress { 198.51.100.100/24 }
}
vrrp_instance VI_B {
    interface eth0
    virtual_router_id 52
    priority 100
    virtual_ipaddress { 198.51.100.101/24 }
}
`
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		var got []string
		e, err := New(load(t, conf), n, Options{
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnTransition: func(tr Transition) {
				if tr.From.String() == "INIT" {
					got = append(got, tr.Name+" "+tr.To.String())
				}
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		time.Sleep(time.Second)
		synctest.Wait()
		cancel()
		<-done
		if want := []string{"SG BACKUP", "VI_A BACKUP", "VI_B BACKUP"}; !slices.Equal(got, want) {
			t.Errorf("start transitions %v, want %v", got, want)
		}
	})
}

// TestStaticAddresses: static_ipaddress is installed at start on default_interface when it has no
// dev, and kept at stop, as keepalived does.
func TestStaticAddresses(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		conf := "static_ipaddress {\n    203.0.113.7/24\n}\n" + instanceConf(150, "")
		a := startRouter(t, lan, "a", "198.51.100.1", conf)
		waitInstalled(t, a.net, 10*time.Second)
		a.stop(t)
		a.net.mu.Lock()
		defer a.net.mu.Unlock()
		if !a.net.installed[staticOwner] {
			t.Error("static addresses not installed, or removed at stop")
		}
		var dev string
		for _, c := range a.net.changes {
			if c.owner == staticOwner && !c.installed {
				t.Error("static addresses were removed")
			}
		}
		dev = staticSet(load(t, conf)).Addrs[0].Dev
		if dev != "eth0" {
			t.Errorf("static address without dev on %q, want default_interface eth0", dev)
		}
	})
}

// TestOnAddressesHook: after the worker installs or removes an instance's addresses it reports
// them (ha_suspend follows the VIPs with this).
func TestOnAddressesHook(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		lan := &fakeLAN{}
		n := lan.node("a", "198.51.100.1")
		var mu sync.Mutex
		var got []string
		e, err := New(load(t, instanceConf(150, "")), n, Options{
			Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
			OnAddresses: func(inst string, addrs []netip.Addr, installed bool) {
				mu.Lock()
				defer mu.Unlock()
				got = append(got, fmt.Sprintf("%s %v %v", inst, addrs, installed))
			},
		})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error, 1)
		go func() { done <- e.Run(ctx) }()
		time.Sleep(5 * time.Second)
		synctest.Wait()
		cancel()
		<-done
		mu.Lock()
		defer mu.Unlock()
		want := []string{"VI_1 [198.51.100.100] true", "VI_1 [198.51.100.100] false"}
		if !slices.Equal(got, want) {
			t.Errorf("OnAddresses calls %q, want %q", got, want)
		}
	})
}
