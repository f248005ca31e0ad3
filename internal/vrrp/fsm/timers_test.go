package fsm

import (
	"testing"
	"time"
)

// TestSkewMatchesKeepalived proves that skewTime equals keepalived's µs integer formulas for
// every priority and every VRRPv3 interval (include/vrrp.h: v3 ((256-P)*cs*625)/16 µs; v2
// (256-P)*1000000/256 µs).
func TestSkewMatchesKeepalived(t *testing.T) {
	for p := 0; p <= 255; p++ {
		want2 := time.Duration((256-p)*1000000/256) * time.Microsecond
		if got := skewTime(2, uint8(p), 7*time.Second); got != want2 {
			t.Fatalf("v2 P=%d: skew %v, keepalived %v", p, got, want2)
		}
		for cs := 1; cs <= 4095; cs++ {
			want3 := time.Duration(((256-p)*cs*625)/16) * time.Microsecond
			if got := skewTime(3, uint8(p), time.Duration(cs)*centisecond); got != want3 {
				t.Fatalf("v3 P=%d cs=%d: skew %v, keepalived %v", p, cs, got, want3)
			}
		}
	}
}

func TestMasterDownInterval(t *testing.T) {
	tests := []struct {
		name    string
		version int
		adverts int
		prio    uint8
		adv     time.Duration
		want    time.Duration
	}{
		// Reference §6.5, checked on the wire with keepalived 2.2.7: ≈3.61 s.
		{"v2 P100 adv1s", 2, 3, 100, time.Second, 3609375 * time.Microsecond},
		{"v2 skew ignores adv", 2, 3, 100, 2 * time.Second, 6609375 * time.Microsecond},
		{"v2 owner", 2, 3, 255, time.Second, 3003906 * time.Microsecond},
		// go-landscape §4.1: seesaw defaults, 1.5 + 0.305 s.
		{"v3 P100 adv500ms", 3, 3, 100, 500 * time.Millisecond, 1804687 * time.Microsecond},
		{"v3 P100 adv100ms", 3, 3, 100, 100 * time.Millisecond, 360937 * time.Microsecond},
		{"v3 P254 adv10ms", 3, 3, 254, 10 * time.Millisecond, 30078 * time.Microsecond},
		{"down_timer_adverts 1", 3, 1, 200, 100 * time.Millisecond, 121875 * time.Microsecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := masterDownInterval(tt.version, tt.adverts, tt.prio, tt.adv); got != tt.want {
				t.Errorf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestRogueWindow(t *testing.T) {
	if got := rogueWindow(time.Second, time.Second); got != 3200*time.Millisecond {
		t.Errorf("1s/1s: %v", got)
	}
	if got := rogueWindow(time.Second, 3*time.Second); got != 5600*time.Millisecond {
		t.Errorf("1s/3s: %v", got)
	}
}

func TestConfigValidation(t *testing.T) {
	tests := []struct {
		name string
		mod  func(*Config)
		ok   bool
	}{
		{"base", func(*Config) {}, true},
		{"vrid 0", func(c *Config) { c.VRID = 0 }, false},
		{"priority 0", func(c *Config) { c.Priority = 0 }, false},
		{"version 4", func(c *Config) { c.Version = 4 }, false},
		{"v2 fractional", func(c *Config) { c.AdvertInterval = 1500 * time.Millisecond }, false},
		{"v2 256s", func(c *Config) { c.AdvertInterval = 256 * time.Second }, false},
		{"v3 10ms", func(c *Config) { c.Version, c.AdvertInterval = 3, 10*time.Millisecond }, true},
		{"v3 40.95s", func(c *Config) { c.Version, c.AdvertInterval = 3, 40950*time.Millisecond }, true},
		{"v3 41s", func(c *Config) { c.Version, c.AdvertInterval = 3, 41*time.Second }, false},
		{"v3 15ms", func(c *Config) { c.Version, c.AdvertInterval = 3, 15*time.Millisecond }, false},
		{"down adverts 101", func(c *Config) { c.DownTimerAdverts = 101 }, false},
		{"down adverts -1", func(c *Config) { c.DownTimerAdverts = -1 }, false},
		{"preempt_delay 1001s", func(c *Config) { c.PreemptDelay = 1001 * time.Second }, false},
		{"startup delay negative", func(c *Config) { c.StartupDelay = -1 }, false},
		{"garp negative", func(c *Config) { c.GARP.MasterRepeat = -1 }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := baseConfig()
			tt.mod(&c)
			_, err := New(c)
			if (err == nil) != tt.ok {
				t.Errorf("New: err=%v, want ok=%v", err, tt.ok)
			}
		})
	}
}

func TestNormalizeDefaults(t *testing.T) {
	c := baseConfig()
	c.Nopreempt, c.WantMaster = true, true
	m := mustNew(t, c)
	got := m.Config()
	if got.DownTimerAdverts != 3 || got.Nopreempt {
		t.Errorf("normalize: down=%d nopreempt=%v, want 3 and false", got.DownTimerAdverts, got.Nopreempt)
	}
}

func TestStrings(t *testing.T) {
	if StateMaster.String() != "MASTER" || State(99).String() != "UNKNOWN" {
		t.Error("State.String")
	}
	if TimerRogue.String() != "rogue" || Timer(99).String() != "unknown" {
		t.Error("Timer.String")
	}
	if ReasonForcedElection.String() != "forced_election" || Reason(200).String() != "unknown" {
		t.Error("Reason.String")
	}
	if ActGroupStateChanged.String() != "group_state" || ActionKind(0).String() != "unknown" {
		t.Error("ActionKind.String")
	}
	for r := Reason(0); r < numReasons; r++ {
		if got, ok := ParseReason(r.String()); !ok || got != r {
			t.Errorf("ParseReason(%q) = %v, %v", r, got, ok)
		}
	}
	for tm := Timer(0); tm < numTimers; tm++ {
		if got, ok := ParseTimer(tm.String()); !ok || got != tm {
			t.Errorf("ParseTimer(%q) = %v, %v", tm, got, ok)
		}
	}
	if _, ok := ParseTimer("nope"); ok {
		t.Error("ParseTimer accepted nope")
	}
	if _, ok := ParseReason("nope"); ok {
		t.Error("ParseReason accepted nope")
	}
	if len(reasonNames) != int(numReasons) || len(timerNames) != int(numTimers) {
		t.Error("name tables out of step with the enums")
	}
}
