package daemon

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func loadCfg(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, diags := config.LoadString("t.conf", src, config.LoadOptions{})
	if cfg == nil {
		t.Fatalf("config: %v", diags)
	}
	return cfg
}

const oneVS = `virtual_server 198.51.100.1 80 {
  protocol TCP
  real_server 198.51.100.10 80 {
    TCP_CHECK { connect_timeout 1 }
  }
}
`

func TestStartCheckersSkipped(t *testing.T) {
	tests := []struct {
		name string
		src  string
		opts cli.Options
	}{
		{"no virtual server", "global_defs { router_id a }\n", cli.Options{}},
		{"-P given", oneVS, cli.Options{VRRPOnly: true}},
		{"no checker", "virtual_server 198.51.100.1 80 {\n protocol TCP\n real_server 198.51.100.10 80 {\n weight 1\n }\n}\n", cli.Options{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs syncBuffer
			stop := startCheckers(loadCfg(t, tt.src), &tt.opts, slog.New(slog.NewTextHandler(&logs, nil)), nil)
			stop()
			if strings.Contains(logs.String(), "Starting healthcheckers") {
				t.Errorf("checkers started:\n%s", logs.String())
			}
		})
	}
}

// observer records the events it is given.
type observer struct {
	mu  sync.Mutex
	evs []check.Event
}

func (o *observer) RealServerChanged(ev check.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.evs = append(o.evs, ev)
}

func TestHandleWritesFIFOAndRunsScripts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lvs.fifo")
	cfg := loadCfg(t, "global_defs { lvs_notify_fifo "+path+" }\n")
	var logs syncBuffer
	log := slog.New(slog.NewTextHandler(&logs, nil))
	fifos := openCheckerFIFOs(cfg, log)
	if fifos == nil {
		t.Fatalf("FIFO not opened:\n%s", logs.String())
	}
	t.Cleanup(fifos.close)
	fi, err := os.Stat(path)
	if err != nil || fi.Mode()&os.ModeNamedPipe == 0 || fi.Mode().Perm() != 0o644 {
		t.Fatalf("fifo %v %v", fi, err)
	}
	// A second descriptor reads what the daemon writes (O_RDWR so open does not wait for a writer).
	rd, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rd.Close() })

	var ran []string
	var mu sync.Mutex
	rt := &checkerRuntime{log: log, fifos: fifos, notifier: &check.Notifier{
		FIFO:    fifos,
		Scripts: map[string]check.NotifyScripts{check.ScriptKey("[198.51.100.1]:tcp:80", "[198.51.100.10]:tcp:80"): {Up: []string{"up"}, Down: []string{"down"}}},
		Run: func(_ context.Context, c script.Command) (script.Result, error) {
			mu.Lock()
			defer mu.Unlock()
			ran = append(ran, c.Argv[0])
			return script.Result{}, nil
		},
		Logger: log,
	}}
	obs := &observer{}
	ev := check.Event{VirtualServer: "[198.51.100.1]:tcp:80", RealServer: "[198.51.100.10]:tcp:80", Kind: check.KindTCP,
		RSChanged: true, RSUp: false, Reason: "connection refused"}
	rt.handle(context.Background(), ev, obs)
	ev.RSUp, ev.Reason = true, ""
	rt.handle(context.Background(), ev, obs)
	rt.handle(context.Background(), check.Event{VirtualServer: ev.VirtualServer, RealServer: ev.RealServer, HasWeight: true, Weight: 3, Up: true, RSUp: true}, obs)
	rt.notifier.Wait()

	br := bufio.NewReader(rd)
	for _, want := range []string{
		"RS [198.51.100.10]:tcp:80 [198.51.100.1]:tcp:80 DOWN\n",
		"RS [198.51.100.10]:tcp:80 [198.51.100.1]:tcp:80 UP\n",
	} {
		line, err := br.ReadString('\n')
		if err != nil || line != want {
			t.Errorf("fifo line %q (%v), want %q", line, err, want)
		}
	}
	if strings.Join(ran, ",") != "down,up" {
		t.Errorf("scripts ran %v, want down,up", ran)
	}
	if len(obs.evs) != 3 || !obs.evs[2].HasWeight {
		t.Errorf("observer got %+v, want all 3 events", obs.evs)
	}
	// With an IPVS manager (the observer) the manager logs keepalived's service lines (with
	// inhibit_on_failure's Enabling/Disabling, internal/lvs); the checker side stays silent so
	// that each transition is logged once.
	if strings.Contains(logs.String(), " service [198.51.100.10]") {
		t.Errorf("service line logged beside the IPVS manager's:\n%s", logs.String())
	}
	// Without IPVS the checker side says what keepalived would do.
	ev.RSUp, ev.Reason = false, "connection refused"
	rt.handle(context.Background(), ev, nil)
	ev.RSUp, ev.Reason = true, ""
	rt.handle(context.Background(), ev, nil)
	rt.notifier.Wait()
	for _, want := range []string{
		`msg="Removing service [198.51.100.10]:tcp:80 from VS [198.51.100.1]:tcp:80"`,
		`msg="Adding service [198.51.100.10]:tcp:80 to VS [198.51.100.1]:tcp:80"`,
	} {
		if !strings.Contains(logs.String(), want) {
			t.Errorf("log lacks %s:\n%s", want, logs.String())
		}
	}
}

func TestFIFOSetDropsWhenFull(t *testing.T) {
	path := filepath.Join(t.TempDir(), "full.fifo")
	fd, err := openFIFO(config.FIFO{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	f := &fifoSet{fds: []int{fd}, paths: []string{path}}
	t.Cleanup(f.close)
	line := []byte(strings.Repeat("x", 4095) + "\n")
	// Nobody reads: the pipe buffer (64 KiB by default) fills and writes must fail, not block.
	var werr error
	for i := 0; i < 1000 && werr == nil; i++ {
		_, werr = f.Write(line)
	}
	if !errors.Is(werr, syscall.EAGAIN) || !strings.Contains(werr.Error(), "line dropped") {
		t.Fatalf("write to a full FIFO: %v, want EAGAIN", werr)
	}
}

func TestOpenFIFORejectsRegularFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain")
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := openFIFO(config.FIFO{Path: path}); err == nil || !strings.Contains(err.Error(), "not a FIFO") {
		t.Fatalf("openFIFO on a regular file: %v", err)
	}
}

// TestCheckersLoopback runs the whole runtime against a TCP listener on loopback: closing the
// listener brings the real server down (FIFO line), reopening it brings it up again.
func TestCheckersLoopback(t *testing.T) {
	ln := listenTCP(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	_, port, _ := strings.Cut(addr, ":")
	path := filepath.Join(t.TempDir(), "lvs.fifo")
	cfg := loadCfg(t, "global_defs { lvs_notify_fifo "+path+" }\n"+`virtual_server 127.0.0.1 `+port+` {
  protocol TCP
  real_server 127.0.0.1 `+port+` {
    TCP_CHECK { connect_timeout 1
      delay_loop 1
      warmup 0
      retry 0 }
  }
}
`)
	var logs syncBuffer
	obs := &observer{}
	stop := startCheckers(cfg, &cli.Options{}, slog.New(slog.NewTextHandler(&logs, nil)), obs)
	stopped := false
	t.Cleanup(func() {
		if !stopped {
			stop()
		}
	})
	rd, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rd.Close() })
	lines := make(chan string, 4)
	go func() {
		br := bufio.NewReader(rd)
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			lines <- l
		}
	}()
	name := "[127.0.0.1]:tcp:" + port
	ln.Close()
	expectLine(t, lines, "RS "+name+" "+name+" DOWN\n")
	listenTCP(t, addr) // closed by its own t.Cleanup
	expectLine(t, lines, "RS "+name+" "+name+" UP\n")
	stop()
	stopped = true
	if !strings.Contains(logs.String(), "Stopped healthcheckers") {
		t.Errorf("no stop line:\n%s", logs.String())
	}
	obs.mu.Lock()
	defer obs.mu.Unlock()
	if len(obs.evs) < 2 {
		t.Errorf("observer saw %d events", len(obs.evs))
	}
}

// expectLine waits (generously, this is not a timing assertion) for the next FIFO line.
func expectLine(t *testing.T, lines <-chan string, want string) {
	t.Helper()
	select {
	case got := <-lines:
		if got != want {
			t.Fatalf("fifo line %q, want %q", got, want)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("no fifo line %q", want)
	}
}

// listenTCP listens on addr and accepts (and closes) connections until the listener closes.
func listenTCP(t *testing.T, addr string) net.Listener {
	t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return ln
}

func TestCarryState(t *testing.T) {
	spec := func(name string, alpha bool) check.Spec {
		return check.Spec{Name: name, Kind: check.KindTCP, Schedule: check.Schedule{Alpha: alpha}}
	}
	old := []check.RealServer{
		{VirtualServer: "vs", ID: "a", Checkers: []check.Spec{spec("TCP_CHECK", false), spec("HTTP_GET", false)}},
		{VirtualServer: "vs", ID: "b", Checkers: []check.Spec{spec("TCP_CHECK", true)}},
	}
	snap := []check.RSState{
		{VirtualServer: "vs", RealServer: "a", Up: false, CheckersUp: []bool{true, false}},
		{VirtualServer: "vs", RealServer: "b", Up: true, CheckersUp: []bool{true}},
	}
	servers := []check.RealServer{
		// a: checkers reordered and one added; matched by name.
		{VirtualServer: "vs", ID: "a", Checkers: []check.Spec{spec("HTTP_GET", false), spec("TCP_CHECK", true), spec("MISC_CHECK", true)}},
		{VirtualServer: "vs", ID: "b", Checkers: []check.Spec{spec("TCP_CHECK", true)}},
		{VirtualServer: "vs", ID: "c", Checkers: []check.Spec{spec("TCP_CHECK", true)}},
		{VirtualServer: "other", ID: "a", Checkers: []check.Spec{spec("TCP_CHECK", false)}},
	}
	carryState(servers, old, snap)
	type st struct{ alpha, startDown bool }
	want := [][]st{
		{{false, true}, {false, false}, {true, false}},
		{{false, false}},
		{{true, false}},
		{{false, false}},
	}
	for i, rs := range servers {
		for j, sp := range rs.Checkers {
			if got := (st{sp.Schedule.Alpha, sp.StartDown}); got != want[i][j] {
				t.Errorf("%s %s %s: alpha/startDown %+v, want %+v", rs.VirtualServer, rs.ID, sp.Name, got, want[i][j])
			}
		}
	}
}

// TestCheckersReloadKeepsDown reloads while a real server is down: the new checkers start with it
// down (no re-add before a pass), and it comes back up through the new runtime.
func TestCheckersReloadKeepsDown(t *testing.T) {
	ln := listenTCP(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	_, port, _ := strings.Cut(addr, ":")
	path := filepath.Join(t.TempDir(), "lvs.fifo")
	cfg := loadCfg(t, "global_defs { lvs_notify_fifo "+path+" }\n"+`virtual_server 127.0.0.1 `+port+` {
  protocol TCP
  real_server 127.0.0.1 `+port+` {
    TCP_CHECK { connect_timeout 1
      delay_loop 1
      warmup 0
      retry 0 }
  }
}
`)
	var logs syncBuffer
	c := newCheckers(cfg, &cli.Options{}, slog.New(slog.NewTextHandler(&logs, nil)), nil)
	t.Cleanup(c.stop)
	rd, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rd.Close() })
	lines := make(chan string, 4)
	go func() {
		br := bufio.NewReader(rd)
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			lines <- l
		}
	}()
	name := "[127.0.0.1]:tcp:" + port
	ln.Close()
	expectLine(t, lines, "RS "+name+" "+name+" DOWN\n")

	c.reload(cfg)
	c.mu.Lock()
	snap := c.rt.sched.Snapshot()
	c.mu.Unlock()
	if len(snap) != 1 || snap[0].Up {
		t.Fatalf("after reload: %+v, want the real server down", snap)
	}
	listenTCP(t, addr)
	expectLine(t, lines, "RS "+name+" "+name+" UP\n")

	c.reload(loadCfg(t, "global_defs { router_id x }\n"))
	c.mu.Lock()
	stopped := c.rt == nil
	c.mu.Unlock()
	if !stopped || !strings.Contains(logs.String(), "Stopped healthcheckers") {
		t.Errorf("reload to a config without virtual servers left checkers running:\n%s", logs.String())
	}
}

// fakeProbes records what the checkers tell the metrics.
type fakeProbes struct {
	mu        sync.Mutex
	observed  map[string]int
	forgotten []string
}

func (f *fakeProbes) Observe(vs, rs, checker string, err error, latency time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.observed[rs+" "+checker]++
}

func (f *fakeProbes) Forget(vs, rs string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.forgotten = append(f.forgotten, rs)
}

// TestCheckersFeedProbeSink: every probe reaches the metrics' recorder, and a reload that
// removes a real server tells the recorder to forget it (and only it).
func TestCheckersFeedProbeSink(t *testing.T) {
	ln := listenTCP(t, "127.0.0.1:0")
	_, port, _ := strings.Cut(ln.Addr().String(), ":")
	ln2 := listenTCP(t, "127.0.0.2:0")
	_, port2, _ := strings.Cut(ln2.Addr().String(), ":")
	rs := func(ip, port string) string {
		return "  real_server " + ip + " " + port + " {\n    TCP_CHECK { connect_timeout 1\n      delay_loop 1\n      warmup 0 }\n  }\n"
	}
	both := loadCfg(t, "virtual_server 127.0.0.1 80 {\n  protocol TCP\n"+rs("127.0.0.1", port)+rs("127.0.0.2", port2)+"}\n")
	one := loadCfg(t, "virtual_server 127.0.0.1 80 {\n  protocol TCP\n"+rs("127.0.0.1", port)+"}\n")
	sink := &fakeProbes{observed: map[string]int{}}
	var logs syncBuffer
	c := newCheckersObserved(both, &cli.Options{}, slog.New(slog.NewTextHandler(&logs, nil)), nil, sink)
	t.Cleanup(c.stop)
	first, second := "[127.0.0.1]:tcp:"+port+" TCP_CHECK", "[127.0.0.2]:tcp:"+port2+" TCP_CHECK"
	deadline := time.Now().Add(5 * time.Second)
	for {
		sink.mu.Lock()
		done := sink.observed[first] > 0 && sink.observed[second] > 0
		sink.mu.Unlock()
		if done {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("probes not observed: %v", sink.observed)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.reload(one)
	sink.mu.Lock()
	defer sink.mu.Unlock()
	if want := []string{"[127.0.0.2]:tcp:" + port2}; !slices.Equal(sink.forgotten, want) {
		t.Errorf("forgotten %q, want %q", sink.forgotten, want)
	}
}
