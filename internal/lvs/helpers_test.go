package lvs

import (
	"bytes"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"strings"
	"sync"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
)

// load parses a configuration and fails on errors (warnings are fine).
func load(t testing.TB, src string) *config.Config {
	t.Helper()
	c, diags := config.LoadString("test.conf", src, config.LoadOptions{})
	for _, d := range diags {
		if d.Severity == syntax.Error || d.Severity == syntax.Fatal {
			t.Fatalf("config: %v", diags)
		}
	}
	return c
}

// recorder is a Runner that records the commands run.
type recorder struct {
	mu  sync.Mutex
	ran []string
}

// Run implements Runner.
func (r *recorder) Run(reason string, s *config.CheckScript) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.ran = append(r.ran, reason+" "+s.Command)
}

// take returns and clears the recorded commands.
func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.ran
	r.ran = nil
	return out
}

// harness is a manager over an in-memory IPVS with recorded side effects.
type harness struct {
	t    *testing.T
	mem  *ipvstest.Memory
	m    *Manager
	run  *recorder
	fifo *bytes.Buffer
}

// newHarness builds (but does not start) a manager for src.
func newHarness(t *testing.T, src string) *harness {
	t.Helper()
	h := &harness{t: t, mem: ipvstest.NewMemory(), run: &recorder{}, fifo: &bytes.Buffer{}}
	m, err := New(load(t, src), Options{Client: h.mem, Runner: h.run, FIFO: h.fifo,
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	h.m = m
	return h
}

// start starts the manager.
func (h *harness) start() Changes {
	h.t.Helper()
	ch, err := h.m.Start()
	if err != nil {
		h.t.Fatal(err)
	}
	return ch
}

// health sets a real server's health.
func (h *harness) health(vs, addr string, port uint16, up bool) Changes {
	h.t.Helper()
	ch, err := h.m.SetHealth(RSKey{VS: vs, Addr: netip.MustParseAddr(addr), Port: port}, Health{Up: up})
	if err != nil {
		h.t.Fatal(err)
	}
	return ch
}

// fifoLines returns and clears the FIFO output.
func (h *harness) fifoLines() string {
	s := h.fifo.String()
	h.fifo.Reset()
	return s
}

// table renders the in-memory table like ipvsadm -Ln, one line per service and destination.
func table(t testing.TB, c ipvs.Client) string {
	t.Helper()
	svcs, err := c.Services()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, s := range svcs {
		fmt.Fprintf(&b, "%s %s", s.ServiceKey, s.Scheduler)
		if s.Flags&ipvs.FlagPersistent != 0 {
			fmt.Fprintf(&b, " persistent %d", int(s.Timeout.Seconds()))
		}
		b.WriteString("\n")
		ds, err := c.Destinations(s.ServiceKey)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range ds {
			fmt.Fprintf(&b, "  -> %s %s %d\n", d.DestinationKey, d.Forward, d.Weight)
		}
	}
	return b.String()
}

// want compares the table with an expected rendering (leading tabs of the literal are removed).
func (h *harness) want(expected string) {
	h.t.Helper()
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(expected), "\n") {
		lines = append(lines, strings.TrimLeft(l, "\t"))
	}
	exp := strings.Join(lines, "\n") + "\n"
	if got := table(h.t, h.mem); got != exp {
		h.t.Fatalf("IPVS table:\n%s\nwant:\n%s", got, exp)
	}
}
