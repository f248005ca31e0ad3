package lvs

import (
	"errors"
	"net/netip"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// web is a DR service with quorum 2, a sorry server, an inhibited and a plain server.
const web = `
global_defs {
  lvs_timeouts tcp 7200 udp 60
}
virtual_server 198.51.100.1 80 {
  lb_algo wrr
  lb_kind DR
  protocol TCP
  quorum 2
  quorum_up "/bin/quorum up"
  quorum_down "/bin/quorum down"
  sorry_server 203.0.113.99 80
  real_server 203.0.113.1 80 {
    weight 1
    notify_up "/bin/rs1 up"
    notify_down "/bin/rs1 down"
    TCP_CHECK { connect_timeout 1 }
  }
  real_server 203.0.113.2 80 {
    weight 2
    inhibit_on_failure
    TCP_CHECK { connect_timeout 1 }
  }
}
`

const webVS = "[198.51.100.1]:tcp:80"

func TestStartProgramsTable(t *testing.T) {
	h := newHarness(t, web)
	ch := h.start()
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.1:80 Route 1
		  -> 203.0.113.2:80 Route 2`)
	if ch.ServicesCreated != 1 || ch.DestsCreated != 2 || ch.Total() != 3 {
		t.Errorf("changes %+v", ch)
	}
	if to, _ := h.mem.Timeouts(); to.TCP != 7200*time.Second || to.UDP != 60*time.Second || to.TCPFin != 120*time.Second {
		t.Errorf("lvs_timeouts not applied: %+v", to)
	}
	if got := h.run.take(); len(got) != 0 {
		t.Errorf("commands at start: %q", got)
	}
}

// TestHealthAndQuorum walks a server down and up, losing and regaining the quorum.
func TestHealthAndQuorum(t *testing.T) {
	h := newHarness(t, web)
	h.start()

	// rs2 (inhibit_on_failure) fails: weight 0, alive weight 1 < quorum 2, the sorry server
	// replaces rs1 (rs2 stays with weight 0).
	h.health(webVS, "203.0.113.2", 80, false)
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 0
		  -> 203.0.113.99:80 Route 1`)
	if got, want := h.run.take(), []string{"quorum_down /bin/quorum down"}; !slices.Equal(got, want) {
		t.Errorf("commands %q, want %q", got, want)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.2]:tcp:80 "+webVS+" DOWN\nVS "+webVS+" DOWN\n"; got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}

	// rs1 fails too: nothing changes in IPVS while the quorum is lost, but notify_down runs.
	if ch := h.health(webVS, "203.0.113.1", 80, false); ch.Total() != 0 {
		t.Errorf("rs1 down under lost quorum changed IPVS: %+v", ch)
	}
	if got := h.run.take(); !slices.Equal(got, []string{"notify_down /bin/rs1 down"}) {
		t.Errorf("commands %q", got)
	}

	// rs2 recovers: weight 2 reaches the quorum; the sorry server leaves and both... rs1 is still down.
	h.health(webVS, "203.0.113.2", 80, true)
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 2`)
	if got := h.run.take(); !slices.Equal(got, []string{"quorum_up /bin/quorum up"}) {
		t.Errorf("commands %q", got)
	}
	h.fifoLines()

	h.health(webVS, "203.0.113.1", 80, true)
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 2
		  -> 203.0.113.1:80 Route 1`)
	if got := h.run.take(); !slices.Equal(got, []string{"notify_up /bin/rs1 up"}) {
		t.Errorf("commands %q", got)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.1]:tcp:80 "+webVS+" UP\n"; got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}
	// A repeated verdict is no change at all.
	if ch := h.health(webVS, "203.0.113.1", 80, true); ch.Total() != 0 || len(h.run.take()) != 0 {
		t.Errorf("repeated verdict: %+v", ch)
	}
}

func TestHysteresisAndDynamicWeight(t *testing.T) {
	h := newHarness(t, `
virtual_server 198.51.100.2 443 {
  lb_algo wlc
  protocol TCP
  quorum 4
  hysteresis 1
  real_server 203.0.113.1 443 {
    weight 3
    MISC_CHECK { misc_path "/bin/true" misc_dynamic }
  }
  real_server 203.0.113.2 443 {
    weight 3
    TCP_CHECK { }
  }
}`)
	h.start()
	vs := "[198.51.100.2]:tcp:443"
	k1 := RSKey{VS: vs, Addr: netip.MustParseAddr("203.0.113.1"), Port: 443}
	for _, step := range []struct {
		name     string
		do       func()
		quorumUp bool
	}{
		// 6 alive; rs2 down leaves 3: not below quorum-hysteresis = 3, so the quorum holds.
		{"rs2 down", func() { h.health(vs, "203.0.113.2", 443, false) }, true},
		// misc_dynamic lowers rs1 to 2 < 3: lost.
		{"rs1 weight 2", func() { h.m.SetHealth(k1, Health{Up: true, Weight: 2, HasWeight: true}) }, false},
		// 4 is not >= quorum+hysteresis = 5: still lost.
		{"rs1 weight 4", func() { h.m.SetHealth(k1, Health{Up: true, Weight: 4, HasWeight: true}) }, false},
		{"rs1 weight 5", func() { h.m.SetHealth(k1, Health{Up: true, Weight: 5, HasWeight: true}) }, true},
	} {
		step.do()
		if got := h.m.byName[vs].quorumUp; got != step.quorumUp {
			t.Fatalf("%s: quorum up %v, want %v", step.name, got, step.quorumUp)
		}
	}
	h.want(`
		TCP 198.51.100.2:443 wlc
		  -> 203.0.113.1:443 Masq 5`)
}

func TestReload(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	h.health(webVS, "203.0.113.1", 80, false)
	h.run.take()
	h.fifoLines()

	// The same configuration: nothing to do.
	ch, err := h.m.Reload(load(t, web))
	if err != nil || ch.Total() != 0 {
		t.Fatalf("identical reload: %+v, %v", ch, err)
	}
	// One weight changed: one update. rs1 was down and stays down (issue #1720).
	ch, err = h.m.Reload(load(t, strings.Replace(web, "weight 2", "weight 5", 1)))
	if err != nil || ch.Total() != 1 || ch.DestsUpdated != 1 {
		t.Fatalf("one-weight reload: %+v, %v", ch, err)
	}
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 5`)
	// A real server removed from the configuration is deleted, a new one added (up: no alpha).
	ch, err = h.m.Reload(load(t, strings.Replace(web, "203.0.113.2 80", "203.0.113.3 80", 1)))
	if err != nil || ch.DestsRemoved != 1 || ch.DestsCreated != 1 || ch.Total() != 2 {
		t.Fatalf("swap reload: %+v, %v", ch, err)
	}
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.3:80 Route 2`)
	// A scheduler change is one service update.
	ch, err = h.m.Reload(load(t, strings.Replace(strings.Replace(web, "203.0.113.2 80", "203.0.113.3 80", 1), "lb_algo wrr", "lb_algo rr", 1)))
	if err != nil || ch.ServicesUpdated != 1 || ch.Total() != 1 {
		t.Fatalf("scheduler reload: %+v, %v", ch, err)
	}
	// The virtual server leaves the configuration: its service is removed.
	ch, err = h.m.Reload(load(t, `virtual_server 198.51.100.7 25 {
  protocol TCP
  real_server 203.0.113.7 25 { TCP_CHECK { } }
}`))
	if err != nil || ch.ServicesRemoved != 1 || ch.ServicesCreated != 1 {
		t.Fatalf("replace reload: %+v, %v", ch, err)
	}
	h.want(`
		TCP 198.51.100.7:25 wlc
		  -> 203.0.113.7:25 Masq 1`)
	// Only the departure of the virtual server (quorum up) ran a command.
	if got := h.run.take(); !slices.Equal(got, []string{"quorum_down /bin/quorum down"}) {
		t.Errorf("reloads ran %q", got)
	}
}

// TestForeignEntries checks that entries added with ipvsadm are never touched.
func TestForeignEntries(t *testing.T) {
	h := newHarness(t, web)
	foreign := ipvs.ServiceKey{Family: ipvs.INET, Protocol: ipvs.UDP, Addr: netip.MustParseAddr("198.51.100.50"), Port: 53}
	if err := h.mem.CreateService(ipvs.Service{ServiceKey: foreign, Scheduler: "rr"}); err != nil {
		t.Fatal(err)
	}
	h.start()
	ours := ipvs.ServiceKey{Family: ipvs.INET, Protocol: ipvs.TCP, Addr: netip.MustParseAddr("198.51.100.1"), Port: 80}
	extra := ipvs.Destination{DestinationKey: ipvs.DestinationKey{Addr: netip.MustParseAddr("203.0.113.77"), Port: 80}, Forward: ipvs.DirectRoute, Weight: 9}
	if err := h.mem.CreateDestination(ours, extra); err != nil {
		t.Fatal(err)
	}
	// Someone also changes one of ours: Resync repairs it, and only it.
	if err := h.mem.UpdateDestination(ours, ipvs.Destination{DestinationKey: ipvs.DestinationKey{Addr: netip.MustParseAddr("203.0.113.1"), Port: 80}, Forward: ipvs.DirectRoute, Weight: 50}); err != nil {
		t.Fatal(err)
	}
	ch, err := h.m.Resync()
	if err != nil || ch.DestsUpdated != 1 || ch.Total() != 1 {
		t.Fatalf("resync: %+v, %v", ch, err)
	}
	h.health(webVS, "203.0.113.1", 80, false)
	h.want(`
		UDP 198.51.100.50:53 rr
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 2
		  -> 203.0.113.77:80 Route 9`)
	if _, err := h.m.Stop(false); err != nil {
		t.Fatal(err)
	}
	h.want(`UDP 198.51.100.50:53 rr`)
}

func TestStopModes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		global string
		keep   bool
		want   int // services left
		flush  bool
	}{
		{"default removes ours", "", false, 1, false},
		{"-I keeps", "", true, 2, false},
		{"lvs_flush_on_stop", "global_defs {\n lvs_flush_on_stop\n}\n", false, 0, true},
		{"lvs_flush_on_stop VS", "global_defs {\n lvs_flush_on_stop VS\n}\n", false, 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, tc.global+web)
			if err := h.mem.CreateService(ipvs.Service{ServiceKey: ipvs.ServiceKey{Family: ipvs.INET, Fwmark: 77}, Scheduler: "rr"}); err != nil {
				t.Fatal(err)
			}
			h.start()
			ch, err := h.m.Stop(tc.keep)
			if err != nil {
				t.Fatal(err)
			}
			if ss, _ := h.mem.Services(); len(ss) != tc.want || ch.Flushed != tc.flush {
				t.Errorf("%d services left, flushed %v:\n%s", len(ss), ch.Flushed, table(t, h.mem))
			}
		})
	}
}

func TestLVSFlushAtStart(t *testing.T) {
	h := newHarness(t, "global_defs {\n lvs_flush\n}\n"+web)
	if err := h.mem.CreateService(ipvs.Service{ServiceKey: ipvs.ServiceKey{Family: ipvs.INET, Fwmark: 77}, Scheduler: "rr"}); err != nil {
		t.Fatal(err)
	}
	if ch := h.start(); !ch.Flushed {
		t.Error("lvs_flush did not flush")
	}
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.1:80 Route 1
		  -> 203.0.113.2:80 Route 2`)
}

func TestAlphaOmegaSorryInhibit(t *testing.T) {
	h := newHarness(t, `
virtual_server 198.51.100.3 80 {
  protocol TCP
  lb_kind NAT
  alpha
  omega
  quorum_down "/bin/qd"
  sorry_server 203.0.113.99 8080
  sorry_server_inhibit
  sorry_server_lvs_method DR
  real_server 203.0.113.1 80 {
    notify_down "/bin/down"
    TCP_CHECK { }
  }
}`)
	h.start()
	vs := "[198.51.100.3]:tcp:80"
	// alpha: the server starts down, so the quorum starts lost with the sorry server in.
	h.want(`
		TCP 198.51.100.3:80 wlc
		  -> 203.0.113.99:80 Route 1`)
	h.health(vs, "203.0.113.1", 80, true)
	// sorry_server_inhibit keeps the sorry server with weight 0.
	h.want(`
		TCP 198.51.100.3:80 wlc
		  -> 203.0.113.99:80 Route 0
		  -> 203.0.113.1:80 Masq 1`)
	h.run.take()
	h.fifoLines()
	// omega: quorum_down and notify_down at shutdown.
	if _, err := h.m.Stop(false); err != nil {
		t.Fatal(err)
	}
	if got, want := h.run.take(), []string{"notify_down /bin/down", "quorum_down /bin/qd"}; !slices.Equal(got, want) {
		t.Errorf("omega ran %q, want %q", got, want)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.1]:tcp:80 "+vs+" DOWN\nVS "+vs+" DOWN\n"; got != want {
		t.Errorf("omega fifo %q, want %q", got, want)
	}
}

func TestGroupExpansion(t *testing.T) {
	h := newHarness(t, `
virtual_server_group G {
  198.51.100.10-12 80
  fwmark 9
}
virtual_server group G {
  lb_algo rr
  lb_kind DR
  protocol TCP
  persistence_timeout
  real_server 203.0.113.5 80 {
    TCP_CHECK { }
  }
}`)
	h.start()
	h.want(`
		TCP 198.51.100.10:80 rr persistent 360
		  -> 203.0.113.5:80 Route 1
		TCP 198.51.100.11:80 rr persistent 360
		  -> 203.0.113.5:80 Route 1
		TCP 198.51.100.12:80 rr persistent 360
		  -> 203.0.113.5:80 Route 1
		FWM 9 rr persistent 360
		  -> 203.0.113.5:80 Route 1`)
	// One checker verdict moves the server in every service of the group.
	if ch := h.health("[G]:0", "203.0.113.5", 80, false); ch.DestsRemoved != 4 {
		t.Errorf("group down: %+v", ch)
	}
}

func TestHASuspend(t *testing.T) {
	h := newHarness(t, `
virtual_server 198.51.100.4 80 {
  protocol TCP
  ha_suspend
  real_server 203.0.113.1 80 { TCP_CHECK { } }
}`)
	h.start()
	vs := "[198.51.100.4]:tcp:80"
	if !h.m.Suspended(vs) {
		t.Fatal("not suspended without the VIP")
	}
	if ch := h.health(vs, "203.0.113.1", 80, false); ch.Total() != 0 {
		t.Errorf("suspended verdict applied: %+v", ch)
	}
	h.m.SetAddressPresent(netip.MustParseAddr("198.51.100.4"), true)
	if h.m.Suspended(vs) {
		t.Fatal("suspended with the VIP present")
	}
	if ch := h.health(vs, "203.0.113.1", 80, false); ch.DestsRemoved != 1 {
		t.Errorf("verdict with the VIP: %+v", ch)
	}
}

func TestTunnelAndIPv6(t *testing.T) {
	h := newHarness(t, `
virtual_server 2001:db8::1 443 {
  protocol SCTP
  lb_algo mh
  mh-port
  lvs_method TUN type gue port 6080 remcsum
  real_server 2001:db8::10 443 { TCP_CHECK { } }
}`)
	h.start()
	h.want(`
		SCTP [2001:db8::1]:443 mh
		  -> [2001:db8::10]:443 Tunnel 1`)
	ss, _ := h.mem.Services()
	ds, _ := h.mem.Destinations(ss[0].ServiceKey)
	if ss[0].Flags&ipvs.FlagSched2 == 0 || ds[0].TunnelType != ipvs.TunnelGUE || ds[0].TunnelPort != 6080 || ds[0].TunnelFlags != ipvs.TunnelRemCsum {
		t.Errorf("service %+v dest %+v", ss[0], ds[0])
	}
}

// TestKernelErrorsSurface checks that an IPVS failure is returned with context.
func TestKernelErrorsSurface(t *testing.T) {
	h := newHarness(t, web)
	h.mem.FailNext = errors.New("boom")
	if _, err := h.m.Start(); err == nil || !strings.Contains(err.Error(), "lvs_timeouts: boom") {
		t.Fatalf("Start error %v", err)
	}
	noGlobal := web[strings.Index(web, "virtual_server"):]
	h = newHarness(t, noGlobal)
	h.mem.FailNext = errors.New("boom")
	if _, err := h.m.Start(); err == nil || !strings.Contains(err.Error(), webVS+": boom") {
		t.Fatalf("Start error %v", err)
	}
	// The next reconciliation repairs what failed.
	if ch, err := h.m.Resync(); err != nil || ch.ServicesCreated != 1 || ch.DestsCreated != 2 {
		t.Fatalf("resync after failure: %+v, %v", ch, err)
	}
}

func TestSyncDaemon(t *testing.T) {
	c := load(t, "global_defs {\n lvs_sync_daemon eth1 VI_1 id 5 port 8849 group 239.0.0.1\n}\n")
	if c.Global.LVSSyncDaemon == nil {
		t.Fatal("lvs_sync_daemon not parsed")
	}
	got := SyncDaemon(c.Global.LVSSyncDaemon, ipvs.DaemonBackup)
	want := ipvs.Daemon{State: ipvs.DaemonBackup, Interface: "eth1", SyncID: 5, Port: 8849, TTL: 1, Group: netip.MustParseAddr("239.0.0.1")}
	if got != want {
		t.Fatalf("SyncDaemon = %+v, want %+v", got, want)
	}
}

// TestQuorumWithoutSorryServer: losing the quorum without a sorry server only runs quorum_down;
// the alive servers stay in the pool (perform_svr_state() changes the pool unless a sorry server
// is in).
func TestQuorumWithoutSorryServer(t *testing.T) {
	h := newHarness(t, `
virtual_server 198.51.100.5 80 {
  protocol TCP
  quorum 3
  quorum_down "/bin/qd"
  real_server 203.0.113.1 80 { TCP_CHECK { } }
  real_server 203.0.113.2 80 { TCP_CHECK { } }
}`)
	h.start()
	vs := "[198.51.100.5]:tcp:80"
	// 2 < quorum 3 from the start, but with no sorry server nothing is announced.
	if got := h.run.take(); len(got) != 0 || h.fifoLines() != "" {
		t.Errorf("start announced %q", got)
	}
	h.want(`
		TCP 198.51.100.5:80 wlc
		  -> 203.0.113.1:80 Masq 1
		  -> 203.0.113.2:80 Masq 1`)
	h.health(vs, "203.0.113.2", 80, false)
	h.want(`
		TCP 198.51.100.5:80 wlc
		  -> 203.0.113.1:80 Masq 1`)
}

// alphaSorry starts with its only server down (alpha) and has a sorry server.
const alphaSorry = `
virtual_server 198.51.100.6 80 {
  protocol TCP
  alpha
  omega
  quorum_up "/bin/qu"
  quorum_down "/bin/qd"
  sorry_server 203.0.113.99 80
  real_server 203.0.113.1 80 { TCP_CHECK { } }
}`

// TestStartWithQuorumDown: a virtual server that starts without quorum and has a sorry server
// runs quorum_down and writes "VS … DOWN" at start ("Starting with quorum down").
func TestStartWithQuorumDown(t *testing.T) {
	h := newHarness(t, alphaSorry)
	h.start()
	vs := "[198.51.100.6]:tcp:80"
	if got := h.run.take(); !slices.Equal(got, []string{"quorum_down /bin/qd"}) {
		t.Errorf("start ran %q", got)
	}
	if got, want := h.fifoLines(), "VS "+vs+" DOWN\n"; got != want {
		t.Errorf("start fifo %q, want %q", got, want)
	}
	// The same configuration reloaded is not new: no second announcement.
	if _, err := h.m.Reload(load(t, alphaSorry)); err != nil {
		t.Fatal(err)
	}
	if got := h.run.take(); len(got) != 0 {
		t.Errorf("reload ran %q", got)
	}
	// omega at shutdown: quorum_down again although the quorum is already down; no server is alive.
	if _, err := h.m.Stop(false); err != nil {
		t.Fatal(err)
	}
	if got := h.run.take(); !slices.Equal(got, []string{"quorum_down /bin/qd"}) {
		t.Errorf("stop ran %q", got)
	}
	// -I: no scripts at all.
	h2 := newHarness(t, strings.Replace(web, "quorum 2", "quorum 2\n  omega", 1))
	h2.start()
	if _, err := h2.m.Stop(true); err != nil {
		t.Fatal(err)
	}
	if got := h2.run.take(); len(got) != 0 {
		t.Errorf("stop -I ran %q", got)
	}
	h2.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.1:80 Route 1
		  -> 203.0.113.2:80 Route 2`)
}

func TestFIFOOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		o    func(*Options)
		want string
	}{
		{"default", func(*Options) {}, "RS [203.0.113.2]:tcp:80 " + webVS + " DOWN\nVS " + webVS + " DOWN\n"},
		{"TrailingNUL", func(o *Options) { o.TrailingNUL = true }, "RS [203.0.113.2]:tcp:80 " + webVS + " DOWN\n\x00VS " + webVS + " DOWN\n\x00"},
		{"NoRSNotify", func(o *Options) { o.NoRSNotify = true }, "VS " + webVS + " DOWN\n"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, web)
			o := h.m.o
			tc.o(&o)
			h.m.o = o
			h.start()
			h.health(webVS, "203.0.113.2", 80, false)
			if got := h.fifoLines(); got != tc.want {
				t.Errorf("fifo %q, want %q", got, tc.want)
			}
		})
	}
}

// TestSetHealthByName drives the manager with keepalived's names, as check.Event carries them,
// and checks that a verdict without a weight keeps a dynamic weight.
func TestSetHealthByName(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	if ch, err := h.m.SetHealthByName(webVS, "[203.0.113.2]:tcp:80", Health{Up: true, Weight: 7, HasWeight: true}); err != nil || ch.DestsUpdated != 1 {
		t.Fatalf("dynamic weight: %+v, %v", ch, err)
	}
	// Another checker of the same server reports up without a weight: nothing changes.
	if ch, err := h.m.SetHealthByName(webVS, "[203.0.113.2]:tcp:80", Health{Up: true}); err != nil || ch.Total() != 0 {
		t.Fatalf("plain verdict: %+v, %v", ch, err)
	}
	if ch, _ := h.m.SetHealthByName(webVS, "[203.0.113.1]:tcp:80", Health{Up: false}); ch.DestsRemoved != 1 {
		t.Fatalf("rs1 down by name: %+v", ch)
	}
	// Unknown names are ignored.
	if ch, err := h.m.SetHealthByName(webVS, "[203.0.113.9]:tcp:80", Health{}); err != nil || ch.Total() != 0 {
		t.Fatalf("unknown rs: %+v, %v", ch, err)
	}
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 7`)
}

// TestServiceDeletedBehindOurBack: the next health change of that virtual server re-creates its
// service and servers (the health path reads the service itself, as the kernel's destination
// dump of a missing service is silently empty).
func TestServiceDeletedBehindOurBack(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	ss, _ := h.mem.Services()
	if err := h.mem.RemoveService(ss[0].ServiceKey); err != nil {
		t.Fatal(err)
	}
	ch := h.health(webVS, "203.0.113.1", 80, false)
	if ch.ServicesCreated != 1 || ch.DestsCreated != 1 {
		t.Fatalf("changes %+v", ch)
	}
	h.want(`
		TCP 198.51.100.1:80 wrr
		  -> 203.0.113.2:80 Route 2`)
}

// TestReloadNotifies: what a reload takes away is announced (clear_diff_services()).
func TestReloadNotifies(t *testing.T) {
	h := newHarness(t, web)
	h.start()
	// rs1 leaves the configuration: alive weight 2 still holds quorum 2.
	if _, err := h.m.Reload(load(t, strings.Replace(web, "real_server 203.0.113.1 80", "real_server 203.0.113.5 80", 1))); err != nil {
		t.Fatal(err)
	}
	if got := h.run.take(); !slices.Equal(got, []string{"notify_down /bin/rs1 down"}) {
		t.Errorf("server removal ran %q", got)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.1]:tcp:80 "+webVS+" DOWN\n"; got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}
	// The virtual server leaves: quorum_down.
	if _, err := h.m.Reload(load(t, "global_defs {\n router_id x\n}\n")); err != nil {
		t.Fatal(err)
	}
	// 203.0.113.5 took over rs1's block, notify_down included.
	if got := h.run.take(); !slices.Equal(got, []string{"notify_down /bin/rs1 down", "quorum_down /bin/quorum down"}) {
		t.Errorf("virtual server removal ran %q", got)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.5]:tcp:80 "+webVS+" DOWN\nRS [203.0.113.2]:tcp:80 "+webVS+" DOWN\nVS "+webVS+" DOWN\n"; got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}
	if got := table(t, h.mem); got != "" {
		t.Errorf("table after removal:\n%s", got)
	}
}

func TestRSInitNotifies(t *testing.T) {
	h := newHarness(t, "global_defs {\n rs_init_notifies\n}\n"+web)
	h.start()
	if got := h.run.take(); !slices.Equal(got, []string{"notify_up /bin/rs1 up"}) {
		t.Errorf("start ran %q", got)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.1]:tcp:80 "+webVS+" UP\nRS [203.0.113.2]:tcp:80 "+webVS+" UP\n"; got != want {
		t.Errorf("fifo %q, want %q", got, want)
	}
	// A reload announces only the servers it adds.
	if _, err := h.m.Reload(load(t, "global_defs {\n rs_init_notifies\n}\n"+strings.Replace(web, "real_server 203.0.113.2 80", "real_server 203.0.113.6 80", 1))); err != nil {
		t.Fatal(err)
	}
	if got, want := h.fifoLines(), "RS [203.0.113.2]:tcp:80 "+webVS+" DOWN\nRS [203.0.113.6]:tcp:80 "+webVS+" UP\n"; got != want {
		t.Errorf("reload fifo %q, want %q", got, want)
	}
}
