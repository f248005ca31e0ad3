package fsm

import (
	"bufio"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite the expected output of testdata/scenarios/*.txt")

// epoch is time zero of every scenario; times in the scripts are offsets from it.
var epoch = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// TestScenarios runs every testdata/scenarios/*.txt script. A script is a config line followed by
// "at TIME EVENT" lines; after each event the runner writes the actions it produced as "> "
// lines and compares the whole text with the file (-update rewrites it). Events:
//
//	start | shutdown | advert from=ADDR prio=N [int=DUR] [mismatch] | fire TIMER [gen=N]
//	prio N | fault REASON | clear REASON | show
//
// "fire TIMER" without gen fires the current generation, as the engine would; firing before
// the timer's deadline is a script error. "group n=N ..." scripts a sync group (runScenario).
func TestScenarios(t *testing.T) {
	files, err := filepath.Glob("testdata/scenarios/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no scenarios: %v", err)
	}
	for _, f := range files {
		t.Run(strings.TrimSuffix(filepath.Base(f), ".txt"), func(t *testing.T) {
			in, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			got, err := runScenario(string(in))
			if err != nil {
				t.Fatalf("%s: %v", f, err)
			}
			if *update {
				if err := os.WriteFile(f, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			if got != string(in) {
				t.Errorf("%s: output differs (run with -update to accept):\n%s", f, lineDiff(string(in), got))
			}
		})
	}
}

func lineDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %q\n  got  %q\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// runScenario executes a script and returns it with freshly generated "> " lines.
// "group n=N KEY=VALUE..." instead of "config" builds a sync group of N machines (VRIDs 1..N)
// and events then name their member: "at TIME mI EVENT"; actions are prefixed with their member
// ("m0", or "group" for the group's own transitions).
func runScenario(script string) (string, error) {
	type timerKey struct {
		member int
		timer  Timer
	}
	var (
		out   strings.Builder
		m     *Machine
		g     *Group
		acts  []Action
		armAt = map[timerKey]time.Time{} // latest ArmTimer per timer, to catch early fires
	)
	sc := bufio.NewScanner(strings.NewReader(script))
	n := 0
	for sc.Scan() {
		n++
		line := sc.Text()
		trim := strings.TrimSpace(line)
		if strings.HasPrefix(trim, ">") {
			continue // expected output: regenerated below
		}
		out.WriteString(line + "\n")
		if trim == "" || strings.HasPrefix(trim, "#") {
			continue
		}
		f := strings.Fields(trim)
		switch f[0] {
		case "config":
			cfg, err := parseScenarioConfig(f[1:])
			if err == nil {
				m, err = New(cfg)
			}
			if err != nil {
				return "", fmt.Errorf("line %d: %w", n, err)
			}
			g = nil
			clear(armAt)
			continue
		case "group":
			if len(f) < 2 || !strings.HasPrefix(f[1], "n=") {
				return "", fmt.Errorf("line %d: want group n=N", n)
			}
			size, err := strconv.Atoi(strings.TrimPrefix(f[1], "n="))
			if err != nil {
				return "", fmt.Errorf("line %d: %w", n, err)
			}
			cfg, err := parseScenarioConfig(f[2:])
			if err != nil {
				return "", fmt.Errorf("line %d: %w", n, err)
			}
			ms := make([]*Machine, size)
			for i := range ms {
				cfg.VRID = uint8(i + 1)
				if ms[i], err = New(cfg); err != nil {
					return "", fmt.Errorf("line %d: %w", n, err)
				}
			}
			if g, err = NewGroup("G", ms...); err != nil {
				return "", fmt.Errorf("line %d: %w", n, err)
			}
			m = nil
			clear(armAt)
			continue
		}
		if m == nil && g == nil {
			return "", fmt.Errorf("line %d: event before config", n)
		}
		if f[0] != "at" || len(f) < 3 {
			return "", fmt.Errorf("line %d: want \"at TIME EVENT\": %q", n, line)
		}
		d, err := time.ParseDuration(f[1])
		if err != nil {
			return "", fmt.Errorf("line %d: %w", n, err)
		}
		now := epoch.Add(d)
		f = f[2:]
		member, target := 0, m
		if g != nil {
			idx, ok := strings.CutPrefix(f[0], "m")
			if member, err = strconv.Atoi(idx); !ok || err != nil || member < 0 || member >= g.Len() || len(f) < 2 {
				return "", fmt.Errorf("line %d: want \"at TIME mI EVENT\" in a group", n)
			}
			target, f = g.Member(member), f[1:]
		}
		if f[0] == "show" {
			a, p := target.Master()
			fmt.Fprintf(&out, "> now state=%s prio=%d master=%s/%d master_adver_int=%s\n", target.State(), target.Priority(), a, p, target.MasterAdverInterval())
			continue
		}
		ev, err := parseScenarioEvent(target, f)
		if err != nil {
			return "", fmt.Errorf("line %d: %w", n, err)
		}
		if tf, ok := ev.(TimerFired); ok && f[len(f)-1] == tf.Timer.String() && now.Before(armAt[timerKey{member, tf.Timer}]) {
			return "", fmt.Errorf("line %d: %s fired at %v before its deadline %v", n, tf.Timer, d, armAt[timerKey{member, tf.Timer}].Sub(epoch))
		}
		if g != nil {
			acts = g.Handle(member, ev, now, acts[:0])
		} else {
			acts = m.Handle(ev, now, acts[:0])
		}
		for _, a := range acts {
			if a.Kind == ActArmTimer {
				armAt[timerKey{a.Member, a.Timer}] = a.At
			}
			prefix := "> "
			switch {
			case g != nil && a.Member < 0:
				prefix = "> "
			case g != nil:
				prefix = fmt.Sprintf("> m%d ", a.Member)
			}
			out.WriteString(prefix + a.Format(epoch) + "\n")
		}
	}
	return out.String(), sc.Err()
}

func parseScenarioConfig(kv []string) (Config, error) {
	c := Config{VRID: 1, Version: 2, Priority: 100, AdvertInterval: time.Second,
		LocalAddr: netip.MustParseAddr("198.51.100.2"), GARP: DefaultGARP()}
	for _, f := range kv {
		k, v, _ := strings.Cut(f, "=")
		var err error
		dur := func() time.Duration {
			var d time.Duration
			d, err = time.ParseDuration(v)
			return d
		}
		num := func() int {
			var i int
			i, err = strconv.Atoi(v)
			return i
		}
		switch k {
		case "version":
			c.Version = num()
		case "prio":
			c.Priority = uint8(num())
		case "adv":
			c.AdvertInterval = dur()
		case "addr":
			c.LocalAddr, err = netip.ParseAddr(v)
		case "want_master":
			c.WantMaster = true
		case "nopreempt":
			c.Nopreempt = true
		case "preempt_delay":
			c.PreemptDelay = dur()
		case "down_timer_adverts":
			c.DownTimerAdverts = num()
		case "lower_prio_no_advert":
			c.LowerPrioNoAdvert = true
		case "higher_prio_send_advert":
			c.HigherPrioSendAdvert = true
		case "owner_ignore_adverts":
			c.OwnerIgnoreAdverts = true
		case "startup_delay":
			c.StartupDelay = dur()
		case "garp_master_repeat":
			c.GARP.MasterRepeat = num()
		case "garp_master_delay":
			c.GARP.MasterDelay = dur()
		case "garp_master_refresh":
			c.GARP.MasterRefresh = dur()
		case "garp_master_refresh_repeat":
			c.GARP.RefreshRepeat = num()
		case "garp_lower_prio_repeat":
			c.GARP.LowerPrioRepeat = num()
		case "garp_lower_prio_delay":
			c.GARP.LowerPrioDelay = dur()
		case "min_garp":
			c.GARP.MinGARP = true
		default:
			return c, fmt.Errorf("unknown config key %q", k)
		}
		if err != nil {
			return c, fmt.Errorf("config %s: %w", f, err)
		}
	}
	return c, nil
}

func parseScenarioEvent(m *Machine, f []string) (Event, error) {
	arg := func(i int) string {
		if i < len(f) {
			return f[i]
		}
		return ""
	}
	switch f[0] {
	case "start":
		return Start{}, nil
	case "shutdown":
		return Shutdown{}, nil
	case "prio":
		p, err := strconv.Atoi(arg(1))
		return PriorityChanged{Effective: p}, err
	case "fault", "clear":
		r, ok := ParseReason(arg(1))
		if !ok {
			return nil, fmt.Errorf("unknown reason %q", arg(1))
		}
		if f[0] == "fault" {
			return FaultRaised{Reason: r}, nil
		}
		return FaultCleared{Reason: r}, nil
	case "fire":
		tm, ok := ParseTimer(arg(1))
		if !ok {
			return nil, fmt.Errorf("unknown timer %q", arg(1))
		}
		ev := TimerFired{Timer: tm, Gen: m.gen[tm]}
		if g, ok := strings.CutPrefix(arg(2), "gen="); ok {
			n, err := strconv.ParseUint(g, 10, 64)
			if err != nil {
				return nil, err
			}
			ev.Gen = n
		}
		return ev, nil
	case "advert":
		var ev AdvertReceived
		for _, kv := range f[1:] {
			k, v, _ := strings.Cut(kv, "=")
			var err error
			switch k {
			case "from":
				ev.From, err = netip.ParseAddr(v)
			case "prio":
				var p int
				p, err = strconv.Atoi(v)
				ev.Priority = uint8(p)
			case "int":
				ev.Interval, err = time.ParseDuration(v)
			case "mismatch":
				ev.AddrMismatch = true
			default:
				err = fmt.Errorf("unknown advert field %q", k)
			}
			if err != nil {
				return nil, err
			}
		}
		return ev, nil
	}
	return nil, fmt.Errorf("unknown event %q", f[0])
}
