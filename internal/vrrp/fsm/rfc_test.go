package fsm

import (
	"net/netip"
	"slices"
	"testing"
	"time"
)

// Tests named after the RFC 9568 / RFC 3768 sections they check. The quoted text is the RFC's.

// RFC 9568 §6.4.1: "If the Priority = 255 (i.e., the router owns the IPvX address(es)
// associated with the Virtual Router), then: Send an ADVERTISEMENT ... Set the Adver_Timer to
// Advertisement_Interval ... Transition to the {Active} state". keepalived orders the new
// master's work: advert, addresses, GARP, then notify (reference §6.6).
func TestRFC9568_6_4_1_OwnerStartsAsMaster(t *testing.T) {
	c := baseConfig()
	c.Priority, c.WantMaster = 255, true
	m := mustNew(t, c)
	acts := m.Handle(Start{}, at(0), nil)
	want := []ActionKind{ActSendAdvert, ActArmTimer, ActAddAddresses, ActGARP, ActArmTimer, ActStateChanged}
	if got := kinds(acts); !slices.Equal(got, want) {
		t.Fatalf("actions %v, want %v", got, want)
	}
	if acts[0].Priority != 255 || acts[1].Timer != TimerAdvert || !acts[1].At.Equal(at(time.Second)) {
		t.Errorf("advert %+v timer %+v", acts[0], acts[1])
	}
	if acts[5].To != StateMaster || acts[5].Reason != ReasonStartupOwner {
		t.Errorf("transition %+v", acts[5])
	}
}

// RFC 9568 §6.4.1: "else // Router is not the address owner ... Set Active_Down_Timer to
// Active_Down_Interval; Transition to the {Backup} state". keepalived applies this to state
// MASTER without priority 255 too.
func TestRFC9568_6_4_1_NonOwnerStartsAsBackup(t *testing.T) {
	for _, want := range []bool{false, true} {
		c := baseConfig()
		c.WantMaster = want
		m := mustNew(t, c)
		acts := m.Handle(Start{}, at(0), nil)
		a, ok := find(acts, ActArmTimer, TimerMasterDown)
		if m.State() != StateBackup || !ok || !a.At.Equal(at(3609375*time.Microsecond)) {
			t.Errorf("want_master=%v: state %v, arm %+v", want, m.State(), a)
		}
	}
}

// RFC 9568 §6.4.2: "If the Priority in the ADVERTISEMENT is 0, then: Set the Active_Down_Timer
// to Skew_Time".
func TestRFC9568_6_4_2_BackupReceivesPriorityZero(t *testing.T) {
	for _, v := range []int{2, 3} {
		c := baseConfig()
		c.Version = v
		m := mustNew(t, c)
		m.Handle(Start{}, at(0), nil)
		acts := m.Handle(AdvertReceived{From: addrHigh, Priority: 0, Interval: time.Second}, at(time.Second), nil)
		a, ok := find(acts, ActArmTimer, TimerMasterDown)
		if !ok || a.At.Sub(at(time.Second)) != 609375*time.Microsecond {
			t.Errorf("v%d: arm %+v", v, a)
		}
		acts = fire(m, TimerMasterDown, a.At)
		if sc, _ := find(acts, ActStateChanged); sc.Reason != ReasonPriorityZero || m.State() != StateMaster {
			t.Errorf("v%d: transition %+v", v, sc)
		}
	}
}

// RFC 9568 §6.4.2: "If Preempt_Mode is False, or if the Priority in the ADVERTISEMENT is greater
// than or equal to the local Priority, then: Set Active_Adver_Interval to Max Advertise
// Interval contained in the ADVERTISEMENT; Recompute the Skew_Time; Recompute the
// Active_Down_Interval; Set the Active_Down_Timer to Active_Down_Interval. else: Discard".
func TestRFC9568_6_4_2_BackupReceivesAdvert(t *testing.T) {
	tests := []struct {
		name      string
		prio      uint8
		nopreempt bool
		accepted  bool
	}{
		{"higher", 150, false, true},
		{"equal", 100, false, true},
		{"lower preempt", 50, false, false},
		{"lower nopreempt", 50, true, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := baseConfig()
			c.Version, c.Nopreempt = 3, tt.nopreempt
			m := mustNew(t, c)
			m.Handle(Start{}, at(0), nil)
			acts := m.Handle(AdvertReceived{From: addrHigh, Priority: tt.prio, Interval: 2 * time.Second}, at(time.Second), nil)
			a, armed := find(acts, ActArmTimer, TimerMasterDown)
			if armed != tt.accepted {
				t.Fatalf("accepted=%v, want %v: %v", armed, tt.accepted, acts)
			}
			if !tt.accepted {
				if ig, ok := find(acts, ActIgnoredAdvert); !ok || ig.Reason != ReasonLowerPriority {
					t.Errorf("no lower_priority_advert discard: %v", acts)
				}
				return
			}
			// 3 × 2 s + (256-100) × 2 s / 256 = 7.21875 s.
			if d := a.At.Sub(at(time.Second)); d != 7218750*time.Microsecond || m.MasterAdverInterval() != 2*time.Second {
				t.Errorf("down %v interval %v", d, m.MasterAdverInterval())
			}
		})
	}
}

// RFC 3768 §7.1: "MUST verify that the Adver Interval in the packet is the same as the locally
// configured for this virtual router. If the above check fails, the receiver MUST discard the
// packet". VRRPv2 never adopts an interval.
func TestRFC3768_7_1_IntervalMismatchDiscarded(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	acts := m.Handle(AdvertReceived{From: addrHigh, Priority: 200, Interval: 2 * time.Second}, at(time.Second), nil)
	if ig, ok := find(acts, ActIgnoredAdvert); !ok || ig.Reason != ReasonIntervalMismatch || len(acts) != 1 {
		t.Errorf("actions %v", acts)
	}
	if m.MasterAdverInterval() != time.Second {
		t.Errorf("interval adopted: %v", m.MasterAdverInterval())
	}
}

// RFC 9568 §6.4.3: "If the Priority in the ADVERTISEMENT is greater than the local Priority or
// the Priority in the ADVERTISEMENT is equal to the local Priority and the primary IPvX address
// of the sender is greater than the local primary IPvX address ... Cancel Adver_Timer ... Set
// Active_Down_Timer to Active_Down_Interval; Transition to the {Backup} state".
func TestRFC9568_6_4_3_MasterReceivesHigherPriority(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	fire(m, TimerMasterDown, at(3609375*time.Microsecond))
	now := at(4 * time.Second)
	acts := m.Handle(AdvertReceived{From: addrLow, Priority: 101}, now, nil)
	if m.State() != StateBackup {
		t.Fatalf("state %v", m.State())
	}
	if _, ok := find(acts, ActStopTimer, TimerAdvert); !ok {
		t.Error("Adver_Timer not cancelled")
	}
	if _, ok := find(acts, ActRemoveAddresses); !ok {
		t.Error("addresses kept")
	}
	if _, ok := find(acts, ActSendAdvert); ok {
		t.Error("keepalived sends no advert (no priority 0) when yielding")
	}
	if a, ok := find(acts, ActArmTimer, TimerMasterDown); !ok || a.At.Sub(now) != 3609375*time.Microsecond {
		t.Errorf("master down %+v", a)
	}
}

// RFC 9568 §6.4.3: "else // new Active Router logic: Discard the ADVERTISEMENT; Send an
// ADVERTISEMENT immediately to assert the {Active} state to the sending VRRP Router and to
// update any learning bridges with the correct Active VRRP Router path." keepalived's
// lower_prio_no_advert restores the RFC 5798 behaviour (discard only).
func TestRFC9568_6_4_3_MasterReceivesLowerPriority(t *testing.T) {
	for _, noAdvert := range []bool{false, true} {
		c := baseConfig()
		c.LowerPrioNoAdvert = noAdvert
		m := startedMaster(t, c)
		acts := m.Handle(AdvertReceived{From: addrHigh, Priority: 100}, at(500*time.Millisecond), nil)
		_, sent := find(acts, ActSendAdvert)
		if sent == noAdvert || m.State() != StateMaster {
			t.Errorf("lower_prio_no_advert=%v: sent=%v state=%v", noAdvert, sent, m.State())
		}
		if n, ok := find(acts, ActNotifyRxLowerPriority); !ok || n.Peer != addrHigh || n.Priority != 100 {
			t.Errorf("notify %+v", n)
		}
		if g, ok := find(acts, ActGARP); !ok || g.Reason != ReasonGARPLowerPrio || g.Count != 5 {
			t.Errorf("garp %+v", g)
		}
	}
}

// RFC 9568 §6.4.3: "If the Priority in the ADVERTISEMENT is 0, then: Send an ADVERTISEMENT;
// Reset the Adver_Timer to Advertisement_Interval".
func TestRFC9568_6_4_3_MasterReceivesPriorityZero(t *testing.T) {
	m := startedMaster(t, baseConfig())
	now := at(300 * time.Millisecond)
	acts := m.Handle(AdvertReceived{From: addrHigh, Priority: 0}, now, nil)
	if len(acts) != 2 || acts[0].Kind != ActSendAdvert || acts[0].Priority != 255 ||
		acts[1].Timer != TimerAdvert || !acts[1].At.Equal(now.Add(time.Second)) {
		t.Errorf("actions %v", acts)
	}
}

// RFC 9568 §6.4.3 tie-break: "the primary IPvX address of the sender is greater than the local
// primary IPvX address (based on an unsigned integer comparison of the IPvX addresses in network
// byte order)".
func TestRFC9568_6_4_3_EqualPriorityTieBreak(t *testing.T) {
	tests := []struct {
		local, remote string
		yield         bool
	}{
		{"198.51.100.2", "198.51.100.10", true},
		{"198.51.100.10", "198.51.100.2", false},
		{"198.51.100.200", "203.0.113.1", true},
		{"2001:db8::2", "2001:db8::1:0", true},
		{"2001:db8::ff00", "2001:db8::1", false},
	}
	for _, tt := range tests {
		c := baseConfig()
		c.Version, c.LocalAddr = 3, netip.MustParseAddr(tt.local)
		m := mustNew(t, c)
		m.Handle(Start{}, at(0), nil)
		fire(m, TimerMasterDown, at(4*time.Second))
		m.Handle(AdvertReceived{From: netip.MustParseAddr(tt.remote), Priority: 100, Interval: time.Second}, at(5*time.Second), nil)
		if got := m.State() == StateBackup; got != tt.yield {
			t.Errorf("local %s remote %s: yielded=%v, want %v", tt.local, tt.remote, got, tt.yield)
		}
	}
}

// RFC 9568 §6.4.3: "If a Shutdown event is received, then: Cancel the Adver_Timer; Send an
// ADVERTISEMENT with Priority = 0; Transition to the {Initialize} state".
func TestRFC9568_6_4_3_ShutdownSendsPriorityZero(t *testing.T) {
	m := startedMaster(t, baseConfig())
	acts := m.Handle(Shutdown{}, at(time.Second), nil)
	if acts[0].Kind != ActSendAdvert || acts[0].Priority != 0 {
		t.Fatalf("first action %+v, want priority-0 advert", acts[0])
	}
	if _, ok := find(acts, ActStopTimer, TimerAdvert); !ok {
		t.Error("Adver_Timer not cancelled")
	}
	if last := acts[len(acts)-1]; last.To != StateStop || last.Reason != ReasonShutdown {
		t.Errorf("transition %+v", last)
	}
	if acts := m.Handle(Shutdown{}, at(2*time.Second), nil); len(acts) != 0 {
		t.Errorf("second shutdown: %v", acts)
	}
}

// RFC 9568 §6.4.2: "If the Active_Down_Timer fires, then: Send an ADVERTISEMENT ... Set the
// Adver_Timer to Advertisement_Interval; Transition to the {Active} state".
func TestRFC9568_6_4_2_MasterDownTimerFires(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	acts := fire(m, TimerMasterDown, at(3609375*time.Microsecond))
	want := []ActionKind{ActSendAdvert, ActArmTimer, ActAddAddresses, ActGARP, ActArmTimer, ActStateChanged}
	if got := kinds(acts); !slices.Equal(got, want) {
		t.Errorf("actions %v, want %v", got, want)
	}
}

// Every timer's stale generation is ignored: re-arming or stopping makes an in-flight fire void.
func TestStaleTimerGenerationIgnored(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	old := m.gen[TimerMasterDown]
	m.Handle(AdvertReceived{From: addrHigh, Priority: 200}, at(time.Second), nil)
	if acts := m.Handle(TimerFired{Timer: TimerMasterDown, Gen: old}, at(4*time.Second), nil); len(acts) != 0 || m.State() != StateBackup {
		t.Errorf("stale fire acted: %v", acts)
	}
	if acts := m.Handle(TimerFired{Timer: TimerAdvert, Gen: 0}, at(4*time.Second), nil); len(acts) != 0 {
		t.Errorf("never-armed timer acted: %v", acts)
	}
	if acts := m.Handle(TimerFired{Timer: numTimers, Gen: 1}, at(4*time.Second), nil); len(acts) != 0 {
		t.Errorf("unknown timer acted: %v", acts)
	}
	// Stopping bumps the generation too.
	g := m.gen[TimerMasterDown]
	m.Handle(FaultRaised{Reason: ReasonLinkDown}, at(5*time.Second), nil)
	if acts := m.Handle(TimerFired{Timer: TimerMasterDown, Gen: g}, at(6*time.Second), nil); len(acts) != 0 {
		t.Errorf("stopped timer acted: %v", acts)
	}
	// A current fire is honoured exactly once.
	m.Handle(FaultCleared{Reason: ReasonLinkDown}, at(7*time.Second), nil)
	g = m.gen[TimerMasterDown]
	if acts := m.Handle(TimerFired{Timer: TimerMasterDown, Gen: g}, at(11*time.Second), nil); m.State() != StateMaster || len(acts) == 0 {
		t.Errorf("current fire ignored: %v", acts)
	}
	if acts := m.Handle(TimerFired{Timer: TimerMasterDown, Gen: g}, at(12*time.Second), nil); len(acts) != 0 {
		t.Errorf("double fire acted: %v", acts)
	}
}

// The master's advert timer is not re-armed by packets it discards (keepalived quirk, §7.18).
func TestMasterAdvertTimerNotRearmedByDiscardedPackets(t *testing.T) {
	m := startedMaster(t, baseConfig())
	g := m.gen[TimerAdvert]
	for i := range 10 {
		now := at(time.Duration(i) * 50 * time.Millisecond)
		m.Handle(AdvertReceived{From: addrSelf, Priority: 100}, now, nil)
		m.Handle(AdvertReceived{From: addrHigh, Priority: 100, Interval: 5 * time.Second}, now, nil)
	}
	if m.gen[TimerAdvert] != g {
		t.Errorf("advert timer re-armed by discarded packets: gen %d -> %d", g, m.gen[TimerAdvert])
	}
}

func TestPriorityChangedOwnerImmune(t *testing.T) {
	c := baseConfig()
	c.Priority = 255
	m := mustNew(t, c)
	if acts := m.Handle(PriorityChanged{Effective: 10}, at(0), nil); len(acts) != 0 || m.Priority() != 255 {
		t.Errorf("owner priority changed: %v %d", acts, m.Priority())
	}
}

func TestStartIgnoredWhenRunning(t *testing.T) {
	m := mustNew(t, baseConfig())
	m.Handle(Start{}, at(0), nil)
	if acts := m.Handle(Start{}, at(time.Second), nil); len(acts) != 0 {
		t.Errorf("second start: %v", acts)
	}
	type unknown struct{ Event }
	if acts := m.Handle(unknown{}, at(time.Second), nil); len(acts) != 0 {
		t.Errorf("unknown event: %v", acts)
	}
}
