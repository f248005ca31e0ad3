// Command checkers benchmarks the health-check scheduler: N TCP_CHECK real
// servers at delay_loop 1 s, reporting CPU (user+sys over wall), RSS and
// scheduling jitter. Run it through run.sh, which creates a network
// namespace with the listeners ("serve" mode) and runs "check" mode in it.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"os/signal"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/metrics"
)

func main() {
	mode := flag.String("mode", "check", "serve, check, or noop (scheduler only, no sockets)")
	addrs := flag.String("addrs", "198.51.100.1,198.51.100.2,198.51.100.3,198.51.100.4", "comma-separated listener addresses")
	perAddr := flag.Int("ports", 2500, "ports per address")
	base := flag.Int("base", 20000, "first port")
	dur := flag.Duration("duration", 30*time.Second, "measurement time (check mode)")
	loop := flag.Duration("delay-loop", time.Second, "delay_loop")
	workers := flag.Int("workers", 512, "scheduler workers")
	cpuProf := flag.String("cpuprofile", "", "write a CPU profile of the measurement window")
	probeMetrics := flag.Bool("metrics", false, "record every probe in the daemon's Prometheus probe recorder, as the daemon does")
	flag.Parse()
	var err error
	switch *mode {
	case "serve":
		err = serve(strings.Split(*addrs, ","), *base, *perAddr)
	case "check":
		err = run(strings.Split(*addrs, ","), *base, *perAddr, *dur, *loop, *workers, *cpuProf, *probeMetrics)
	case "noop":
		noop = true
		err = run(strings.Split(*addrs, ","), *base, *perAddr, *dur, *loop, *workers, *cpuProf, *probeMetrics)
	default:
		err = fmt.Errorf("unknown mode %q", *mode)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "checkers:", err)
		os.Exit(1)
	}
}

// serve listens on every address:port and closes accepted connections once
// the peer has closed, until SIGTERM.
func serve(addrs []string, base, n int) error {
	var ls []net.Listener
	for _, a := range addrs {
		for p := base; p < base+n; p++ {
			l, err := net.Listen("tcp", net.JoinHostPort(a, strconv.Itoa(p)))
			if err != nil {
				return err
			}
			ls = append(ls, l)
			go func() {
				for {
					c, err := l.Accept()
					if err != nil {
						return
					}
					// Wait for the checker's FIN before closing, as a real
					// service would: closing first would leave TIME_WAIT on
					// the server side, and a checker SYN that reuses the
					// 4-tuple then needs a 1 s SYN retransmission.
					_ = c.SetReadDeadline(time.Now().Add(5 * time.Second))
					_, _ = io.Copy(io.Discard, c)
					c.Close()
				}
			}()
		}
	}
	fmt.Println("listening", len(ls))
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, syscall.SIGINT)
	<-sig
	return nil
}

// cpuTime returns the process's user and system CPU time.
func cpuTime() (user, sys time.Duration) {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano()), time.Duration(ru.Stime.Nano())
}

func statusKB(field string) int {
	b, _ := os.ReadFile("/proc/self/status")
	for _, l := range strings.Split(string(b), "\n") {
		if strings.HasPrefix(l, field+":") {
			f := strings.Fields(l)
			v, _ := strconv.Atoi(f[1])
			return v
		}
	}
	return 0
}

// noop replaces the TCP probe with one that returns at once, to measure the
// scheduler's own cost.
var noop bool

var (
	latMu sync.Mutex
	lat   []time.Duration
)

// timed records each probe's duration.
func timed(p check.Prober) check.Prober {
	return check.ProberFunc(func(ctx context.Context) check.Outcome {
		t := time.Now()
		var o check.Outcome
		if !noop {
			o = p.Probe(ctx)
		}
		d := time.Since(t)
		latMu.Lock()
		if len(lat) < 1<<20 {
			lat = append(lat, d)
		}
		latMu.Unlock()
		return o
	})
}

func run(addrs []string, base, n int, dur, loop time.Duration, workers int, cpuProf string, probeMetrics bool) error {
	var rss []check.RealServer
	for _, a := range addrs {
		ip, err := netip.ParseAddr(a)
		if err != nil {
			return err
		}
		for p := base; p < base+n; p++ {
			ap := netip.AddrPortFrom(ip, uint16(p))
			sched := check.DefaultSchedule(check.KindTCP, loop)
			sched.ConnectTimeout = 2 * time.Second
			rss = append(rss, check.RealServer{
				VirtualServer: "[203.0.113.1]:tcp:80", ID: check.FormatRS(ap, "tcp"),
				Checkers: []check.Spec{{Kind: check.KindTCP, Prober: timed(check.NewTCP(ap, check.Conn{ConnectTimeout: 2 * time.Second})), Schedule: sched}},
			})
		}
	}
	var (
		mu       sync.Mutex
		lags     []time.Duration
		measure  atomic.Bool
		probes   atomic.Int64
		failures atomic.Int64
	)
	var onProbe func(vs, rs, checker string, err error, latency time.Duration)
	if probeMetrics {
		onProbe = metrics.NewProbeRecorder().Observe
	}
	s, err := check.New(check.Config{
		Workers: workers,
		OnProbe: onProbe,
		Logger:  slog.New(slog.NewTextHandler(io.Discard, nil)),
		OnLag: func(d time.Duration) {
			probes.Add(1)
			if measure.Load() {
				mu.Lock()
				lags = append(lags, d)
				mu.Unlock()
			}
		},
	}, rss)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	go func() {
		for ev := range s.Events() {
			if !ev.Up {
				failures.Add(1)
			}
		}
	}()
	// Let warmup spread the first checks over one delay_loop, then measure.
	time.Sleep(loop + loop/2)
	measure.Store(true)
	if cpuProf != "" {
		f, err := os.Create(cpuProf)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
	}
	u0, s0 := cpuTime()
	w0, p0 := time.Now(), probes.Load()
	time.Sleep(dur)
	u1, s1 := cpuTime()
	w1, p1 := time.Now(), probes.Load()
	if cpuProf != "" {
		pprof.StopCPUProfile()
	}
	measure.Store(false)
	rssKB, hwmKB := statusKB("VmRSS"), statusKB("VmHWM")
	up := 0
	for _, st := range s.Snapshot() {
		if st.Up {
			up++
		}
	}
	cancel()
	<-done
	mu.Lock()
	slices.Sort(lags)
	pct := func(q float64) time.Duration {
		if len(lags) == 0 {
			return 0
		}
		return lags[min(len(lags)-1, int(q*float64(len(lags))))]
	}
	wall := w1.Sub(w0)
	fmt.Printf("| real servers | delay_loop | workers | duration | checks/s | CPU cores (user+sys) | CPU µs/check | RSS MiB (peak) | jitter p50 | jitter p99 | jitter max | up at end | down events |\n")
	fmt.Printf("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n")
	fmt.Printf("| %d | %v | %d | %v | %.0f | %.3f (%.3f+%.3f) | %.0f | %.1f (%.1f) | %v | %v | %v | %d | %d |\n",
		len(rss), loop, workers, wall.Round(time.Second), float64(p1-p0)/wall.Seconds(),
		float64(u1-u0+s1-s0)/float64(wall), float64(u1-u0)/float64(wall), float64(s1-s0)/float64(wall),
		float64(u1-u0+s1-s0)/float64(time.Microsecond)/float64(max(p1-p0, 1)), float64(rssKB)/1024, float64(hwmKB)/1024,
		pct(0.50).Round(time.Microsecond), pct(0.99).Round(time.Microsecond), pct(1).Round(time.Microsecond), up, failures.Load())
	mu.Unlock()
	latMu.Lock()
	slices.Sort(lat)
	if len(lat) > 0 {
		fmt.Printf("\nprobe latency p50 %v p99 %v max %v\n", lat[len(lat)/2], lat[len(lat)*99/100], lat[len(lat)-1])
	}
	latMu.Unlock()
	return nil
}
