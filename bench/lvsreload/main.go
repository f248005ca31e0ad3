// Command lvsreload measures a reload of a large LVS configuration (3,000 virtual servers × 10 real
// servers by default) against the in-memory IPVS: an unchanged configuration must cost 0 IPVS
// operations and a configuration with one weight changed exactly 1. It prints the reload time
// (manager only: the configuration is already parsed and the parse's garbage collected) and the
// parse time, min / median / max.
//
//	go run ./bench/lvsreload [-vs 3000] [-rs 10] [-runs 5]
package main

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
)

func main() {
	nvs := flag.Int("vs", 3000, "virtual servers")
	nrs := flag.Int("rs", 10, "real servers per virtual server")
	runs := flag.Int("runs", 5, "measured reloads of each kind")
	flag.Parse()
	r, err := measure(*nvs, *nrs, *runs)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lvsreload:", err)
		os.Exit(1)
	}
	fmt.Printf("config: %d virtual servers x %d real servers (%d IPVS destinations)\n", *nvs, *nrs, *nvs**nrs)
	fmt.Printf("start:                    %d IPVS operations, %v\n", r.startOps, r.start.Round(time.Millisecond))
	fmt.Printf("parse (config.LoadString): %s\n", stats(r.parse))
	fmt.Printf("reload, unchanged:        %d IPVS operations, %s\n", r.sameOps, stats(r.same))
	fmt.Printf("reload, one weight:       %d IPVS operations, %s\n", r.oneOps, stats(r.one))
}

// result is one measurement.
type result struct {
	start            time.Duration
	startOps         int
	parse, same, one []time.Duration
	sameOps, oneOps  int
}

// stats renders min / median / max.
func stats(d []time.Duration) string {
	s := slices.Clone(d)
	slices.Sort(s)
	r := func(x time.Duration) string { return x.Round(100 * time.Microsecond).String() }
	return fmt.Sprintf("min %s / median %s / max %s over %d", r(s[0]), r(s[len(s)/2]), r(s[len(s)-1]), len(s))
}

// Config renders nvs virtual servers of nrs real servers; weight is the first server's weight of
// the first virtual server, so two renders differ in exactly one IPVS destination.
func Config(nvs, nrs, weight int) string {
	var b strings.Builder
	b.Grow(nvs * (200 + nrs*110))
	for i := range nvs {
		// 250 addresses × as many ports as needed, all inside 198.51.100.0/24.
		addr, port := 1+i%250, 1000+i/250
		fmt.Fprintf(&b, "virtual_server 198.51.100.%d %d {\n  lb_algo wrr\n  lb_kind NAT\n  protocol TCP\n", addr, port)
		for j := range nrs {
			w := 1
			if i == 0 && j == 0 {
				w = weight
			}
			fmt.Fprintf(&b, "  real_server 203.0.113.%d %d {\n    weight %d\n    TCP_CHECK {\n      connect_timeout 3\n    }\n  }\n", j+1, port, w)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// load parses a configuration, failing on errors.
func load(src string) (*config.Config, error) {
	c, diags := config.LoadString("lvsreload.conf", src, config.LoadOptions{})
	for _, d := range diags {
		if d.Severity >= syntax.Error {
			return nil, fmt.Errorf("config: %s", d)
		}
	}
	return c, nil
}

// measure starts a manager on the in-memory IPVS and times reloads.
func measure(nvs, nrs, runs int) (result, error) {
	var r result
	srcA, srcB := Config(nvs, nrs, 1), Config(nvs, nrs, 2)
	cfgA, err := load(srcA)
	if err != nil {
		return r, err
	}
	mem := ipvstest.NewMemory()
	m, err := lvs.New(cfgA, lvs.Options{Client: mem, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		return r, err
	}
	t0 := time.Now()
	if _, err := m.Start(); err != nil {
		return r, err
	}
	r.start, r.startOps = time.Since(t0), mem.Ops().Total()
	for i := range runs {
		t0 = time.Now()
		same, err := load(srcA)
		if err != nil {
			return r, err
		}
		r.parse = append(r.parse, time.Since(t0))
		changed, err := load(srcB)
		if err != nil {
			return r, err
		}
		// Unchanged: reload the same text again. The parse's garbage is collected first so that
		// the figure is the reload's own cost.
		runtime.GC()
		mem.ResetOps()
		t0 = time.Now()
		if _, err := m.Reload(same); err != nil {
			return r, err
		}
		r.same = append(r.same, time.Since(t0))
		if ops := mem.Ops().Total(); i == 0 || ops > r.sameOps {
			r.sameOps = ops
		}
		// One weight changed, then back (both are one update).
		runtime.GC()
		mem.ResetOps()
		t0 = time.Now()
		if _, err := m.Reload(changed); err != nil {
			return r, err
		}
		r.one = append(r.one, time.Since(t0))
		if ops := mem.Ops().Total(); i == 0 || ops > r.oneOps {
			r.oneOps = ops
		}
		if _, err := m.Reload(same); err != nil {
			return r, err
		}
	}
	return r, nil
}
