package failover

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/e2e"
)

var (
	enabled = flag.Bool("failover", false, "run the failover benchmark (root, several minutes)")
	runs    = flag.Int("runs", 5, "runs per implementation, configuration and stop mode")
	out     = flag.String("out", "", "also write the markdown table to this file")
	only    = flag.String("configs", "v2-1s,v3-0.05s,v3-0.01s", "configurations to run")
)

func TestMain(m *testing.M) {
	flag.Parse()
	code := 0
	if *enabled && os.Geteuid() == 0 {
		dir, err := os.MkdirTemp("", "gokeepalived-bench-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, err := e2e.BuildBinary(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
		code = m.Run()
		os.RemoveAll(dir)
	} else {
		code = m.Run()
	}
	os.Exit(code)
}

type config struct {
	name    string
	version int
	adv     time.Duration
	advText string
}

var configs = []config{
	{"v2-1s", 2, time.Second, "1"},
	{"v3-0.05s", 3, 50 * time.Millisecond, "0.05"},
	{"v3-0.01s", 3, 10 * time.Millisecond, "0.01"},
}

// metrics are the measured columns, in table order.
var metrics = []struct {
	name string
	get  func(e2e.Result) time.Duration
}{
	{"kill→VIP", func(r e2e.Result) time.Duration { return r.KillToVIP }},
	{"kill→advert", func(r e2e.Result) time.Duration { return r.KillToAdvert }},
	{"kill→GARP", func(r e2e.Result) time.Duration { return r.KillToAnnounce }},
	{"old→new advert", func(r e2e.Result) time.Duration { return r.Gap }},
	{"gap−RFC", func(r e2e.Result) time.Duration { return r.Gap - r.Want }},
}

// TestFailoverBench runs every configuration and stop mode N times with
// keepalived on both routers and with gokeepalived on both routers, in the
// same lab, alternating implementations run by run so drifts in machine load
// hit both alike.
func TestFailoverBench(t *testing.T) {
	if !*enabled {
		t.Skip("failover benchmark: pass -failover (see bench/failover/run.sh)")
	}
	l := e2e.NewLab(t, 2)
	var table strings.Builder
	fmt.Fprintf(&table, "| config | stop | metric | keepalived 2.2.7 min / median / max | gokeepalived min / median / max | ratio (median) |\n|---|---|---|---|---|---|\n")
	for _, cfg := range configs {
		if !slices.Contains(strings.Split(*only, ","), cfg.name) {
			continue
		}
		for _, stop := range []bool{false, true} {
			mode := "crash"
			if stop {
				mode = "stop"
			}
			c := e2e.Case{Name: cfg.name + "-" + mode, Version: cfg.version, Adv: cfg.adv, AdvText: cfg.advText, Family: 4, Stop: stop}
			res := map[e2e.Impl][]e2e.Result{}
			for i := 0; i < *runs; i++ {
				for _, im := range []e2e.Impl{e2e.Keepalived, e2e.Go} {
					t.Run(fmt.Sprintf("%s/%s/%d", c.Name, im, i), func(t *testing.T) {
						l.T = t
						r := e2e.RunFailover(t, l, im, im, c)
						res[im] = append(res[im], r)
					})
				}
			}
			for _, m := range metrics {
				ka, gk := stats(res[e2e.Keepalived], m.get), stats(res[e2e.Go], m.get)
				ratio := "–"
				if ka[1] > 0 && m.name != "gap−RFC" {
					ratio = fmt.Sprintf("%.2f", float64(gk[1])/float64(ka[1]))
				}
				fmt.Fprintf(&table, "| %s | %s | %s | %s | %s | %s |\n", cfg.name, mode, m.name, fmtStats(ka), fmtStats(gk), ratio)
			}
		}
	}
	fmt.Print(table.String())
	if *out != "" {
		if err := os.WriteFile(*out, []byte(table.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

// stats returns min, median and max (the lower median for even counts).
func stats(rs []e2e.Result, get func(e2e.Result) time.Duration) [3]time.Duration {
	if len(rs) == 0 {
		return [3]time.Duration{}
	}
	v := make([]time.Duration, len(rs))
	for i, r := range rs {
		v[i] = get(r)
	}
	slices.Sort(v)
	return [3]time.Duration{v[0], v[(len(v)-1)/2], v[len(v)-1]}
}

func fmtStats(s [3]time.Duration) string {
	ms := func(d time.Duration) string { return fmt.Sprintf("%.1f", float64(d.Microseconds())/1000) }
	return ms(s[0]) + " / " + ms(s[1]) + " / " + ms(s[2])
}
