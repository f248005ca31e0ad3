package daemon

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/checkconf"
	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// RSObserver is told about every checker event (real-server up/down, dynamic weight changes)
// after the FIFO line is written and the notify script started. It is the hook for the IPVS
// manager: events with RSChanged add or remove a real server, HasWeight events change its weight.
// It is called from the checker event loop, one event at a time and in order per real server;
// it must not block for long (checks wait when the event queue fills up).
type RSObserver interface {
	RealServerChanged(check.Event)
}

// notifyScriptGrace is how long a stop waits for running notify_up/notify_down scripts before
// killing them.
const notifyScriptGrace = 5 * time.Second

// checkerRuntime is the running health-check side of the daemon: the scheduler, the event loop
// that drives notifications, the notify FIFOs and the shared ICMP sockets.
type checkerRuntime struct {
	log      *slog.Logger
	cancel   context.CancelFunc // stops the scheduler and the event loop
	scripts  context.CancelFunc // kills notify scripts still running after the grace period
	done     chan struct{}      // closed when the scheduler and the event loop have returned
	notifier *check.Notifier
	// alerts mails the checker transitions (smtp_alert); nil without SMTP configured.
	alerts  *notify.CheckerAlerts
	fifos   *fifoSet
	pinger  *check.Pinger
	sched   *check.Scheduler
	servers []check.RealServer // what sched runs, for carrying states over a reload
}

// startCheckers starts the real-server health checkers of cfg when it has virtual servers and
// -P/--vrrp was not given. It never fails the daemon: whatever goes wrong is logged and VRRP runs
// on. It returns the function that stops the checkers and releases their resources, never nil.
// obs may be nil. Use newCheckers instead to also reload them.
func startCheckers(cfg *config.Config, opts *cli.Options, log *slog.Logger, obs RSObserver) (stop func()) {
	return newCheckers(cfg, opts, log, obs).stop
}

// checkers is the daemon's handle on the health checkers across reloads.
type checkers struct {
	opts *cli.Options
	log  *slog.Logger
	obs  RSObserver
	// probes, when set, sees every probe's result (the metrics' probe recorder).
	probes probeSink
	mu     sync.Mutex
	rt     *checkerRuntime // nil while nothing is checked
}

// newCheckers starts the checkers of cfg (see startCheckers) and returns their handle.
func newCheckers(cfg *config.Config, opts *cli.Options, log *slog.Logger, obs RSObserver) *checkers {
	return newCheckersObserved(cfg, opts, log, obs, nil)
}

// probeSink records probe results per real server (metrics.ProbeRecorder).
type probeSink interface {
	Observe(vs, rs, checker string, err error, latency time.Duration)
	// Forget drops what is recorded for a real server that a reload removed.
	Forget(vs, rs string)
}

// newCheckersObserved is newCheckers with a sink that sees every probe (for metrics); nil for
// none.
func newCheckersObserved(cfg *config.Config, opts *cli.Options, log *slog.Logger, obs RSObserver, probes probeSink) *checkers {
	c := &checkers{opts: opts, log: log, obs: obs, probes: probes}
	c.rt = c.start(cfg, nil)
	return c
}

// start builds and starts a runtime for cfg, carrying the checker states of prev over.
func (c *checkers) start(cfg *config.Config, prev *checkerRuntime) *checkerRuntime {
	if len(cfg.VirtualServers) == 0 || c.opts.VRRPOnly {
		return nil
	}
	var onProbe func(vs, rs, checker string, err error, latency time.Duration)
	if c.probes != nil {
		onProbe = c.probes.Observe
	}
	rt, err := newCheckerRuntime(cfg, c.log, c.obs, prev, onProbe)
	if err != nil {
		c.log.Error("health checkers not started; VRRP runs normally", "err", err)
		return nil
	}
	return rt
}

// reload replaces the running checkers with those of cfg (SIGHUP). A real server that exists in
// both configurations keeps its checkers' states: a checker that was down starts down, so the
// server is not re-added before it passes again (keepalived issue #1720), and one that was up
// starts up even with alpha. New real servers start as the configuration says. No FIFO line or
// notify script is produced for a carried-over state.
func (c *checkers) reload(cfg *config.Config) {
	c.mu.Lock()
	defer c.mu.Unlock()
	prev := c.rt
	if prev != nil {
		prev.stop()
	}
	c.rt = c.start(cfg, prev)
	if prev != nil && c.probes != nil {
		c.forgetRemoved(prev.servers)
	}
}

// forgetRemoved drops the probe records of the real servers in old that the running
// configuration no longer checks, so that their series do not stay in the metrics forever.
func (c *checkers) forgetRemoved(old []check.RealServer) {
	kept := map[[2]string]bool{}
	if c.rt != nil {
		for _, rs := range c.rt.servers {
			kept[[2]string{rs.VirtualServer, rs.ID}] = true
		}
	}
	for _, rs := range old {
		if !kept[[2]string{rs.VirtualServer, rs.ID}] {
			c.probes.Forget(rs.VirtualServer, rs.ID)
		}
	}
}

// suspend stops or resumes probing the real servers of virtual server vs (ha_suspend).
func (c *checkers) suspend(vs string, suspended bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rt != nil && c.rt.sched != nil {
		c.rt.sched.Suspend(vs, suspended)
	}
}

// snapshot returns the state of every checked real server; nil while nothing is checked.
func (c *checkers) snapshot() []check.RSState {
	c.mu.Lock()
	var sched *check.Scheduler
	if c.rt != nil {
		sched = c.rt.sched
	}
	c.mu.Unlock()
	if sched == nil {
		return nil
	}
	// Outside c.mu: Snapshot can wait for the event queue, which must not hold up a reload.
	return sched.Snapshot()
}

// stop stops the checkers for good.
func (c *checkers) stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.rt != nil {
		c.rt.stop()
		c.rt = nil
	}
}

// newCheckerRuntime builds and starts the runtime; nil without error when nothing is to be checked.
// prev, when not nil, is the stopped runtime of a reload whose states are carried over.
func newCheckerRuntime(cfg *config.Config, log *slog.Logger, obs RSObserver, prev *checkerRuntime, onProbe func(vs, rs, checker string, err error, latency time.Duration)) (*checkerRuntime, error) {
	rt := &checkerRuntime{log: log, done: make(chan struct{})}
	var deps check.Deps
	if hasPing(cfg) {
		p, err := check.OpenPinger()
		if err != nil {
			log.Warn("PING_CHECK disabled: cannot open ICMP sockets (needs root or CAP_NET_RAW); the other checkers run", "err", err)
		} else {
			rt.pinger, deps.Pinger = p, p
		}
	}
	built, err := checkconf.Build(cfg, checkconf.Options{Deps: deps})
	if err != nil {
		rt.release()
		return nil, err
	}
	for _, w := range built.Warnings {
		log.Warn(w)
	}
	if len(built.Servers) == 0 {
		log.Info("no health checker configured on any real server: nothing to check")
		rt.release()
		return nil, nil
	}
	if prev != nil {
		carryState(built.Servers, prev.servers, prev.sched.Snapshot())
	}
	sched, err := check.New(check.Config{Logger: log, OnProbe: onProbe}, built.Servers)
	if err != nil {
		rt.release()
		return nil, fmt.Errorf("checker scheduler: %w", err)
	}
	rt.sched, rt.servers = sched, built.Servers
	rt.fifos = openCheckerFIFOs(cfg, log)
	scriptCtx, cancelScripts := context.WithCancel(context.Background())
	rt.scripts = cancelScripts
	rt.notifier = &check.Notifier{Scripts: built.Scripts, Logger: log}
	if rt.fifos != nil {
		rt.notifier.FIFO = rt.fifos
	}
	rt.alerts = notify.NewCheckerAlerts(cfg, notify.CheckerOptions{Logger: log})
	ctx, cancel := context.WithCancel(context.Background())
	rt.cancel = cancel

	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		if err := sched.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Error("health checkers stopped", "err", err)
		}
	}()
	go func() {
		defer wg.Done()
		// Events is closed when Run returns, so this drains every transition before stopping.
		for ev := range sched.Events() {
			rt.handle(scriptCtx, ev, obs)
		}
	}()
	go func() {
		wg.Wait()
		close(rt.done)
	}()
	log.Info("Starting healthcheckers", "virtual_servers", len(cfg.VirtualServers), "real_servers", len(built.Servers))
	return rt, nil
}

// handle processes one checker event: keepalived's log line for a real-server transition, the
// LVS FIFO line and notify script (check.Notifier), the SMTP alert (sent in the background),
// then the observer.
func (rt *checkerRuntime) handle(ctx context.Context, ev check.Event, obs RSObserver) {
	if ev.RSChanged && obs == nil {
		// ipwrapper.c perform_svr_state() wording, which operators grep for. With IPVS the
		// manager logs it (with inhibit_on_failure's Enabling/Disabling); without, nothing is
		// programmed and the line says what keepalived would do.
		msg := fmt.Sprintf("Removing service %s from VS %s", ev.RealServer, ev.VirtualServer)
		to := "DOWN"
		if ev.RSUp {
			msg = fmt.Sprintf("Adding service %s to VS %s", ev.RealServer, ev.VirtualServer)
			to = "UP"
		}
		attrs := []any{"instance", ev.VirtualServer, "from", ev.RealServer, "to", to}
		if ev.Reason != "" {
			attrs = append(attrs, "reason", ev.Reason)
		}
		rt.log.Info(msg, append(attrs, "ipvs", false)...)
	}
	if err := rt.notifier.Handle(ctx, ev); err != nil {
		rt.log.Warn("notify failed", "instance", ev.VirtualServer, "from", ev.RealServer, "err", err)
	}
	rt.alerts.CheckerChanged(ev)
	if obs != nil {
		obs.RealServerChanged(ev)
	}
}

// stop stops probing, drains the events, gives running notify scripts and SMTP alerts
// notifyScriptGrace to finish, and closes the FIFOs and ICMP sockets.
func (rt *checkerRuntime) stop() {
	rt.cancel()
	<-rt.done
	waited := make(chan struct{})
	go func() {
		rt.notifier.Wait()
		close(waited)
	}()
	select {
	case <-waited:
	case <-time.After(notifyScriptGrace):
		rt.log.Warn("notify scripts still running at stop; killing them")
		rt.scripts()
		<-waited
	}
	rt.scripts()
	ctx, cancel := context.WithTimeout(context.Background(), notifyScriptGrace)
	if err := rt.alerts.Close(ctx); err != nil {
		rt.log.Warn("SMTP alerts still being sent at stop; dropped", "err", err)
	}
	cancel()
	rt.release()
	rt.log.Info("Stopped healthcheckers")
}

// release closes the FIFOs and the ICMP sockets.
func (rt *checkerRuntime) release() {
	if rt.fifos != nil {
		rt.fifos.close()
	}
	if rt.pinger != nil {
		_ = rt.pinger.Close()
	}
}

// carryState makes the checkers of servers start in the state their namesakes had in old (the
// previous configuration's servers, with their final states in snap): down stays down
// (Spec.StartDown), up stays up (alpha cleared). Checkers are matched by virtual server, real
// server and checker name (unique per real server).
func carryState(servers, old []check.RealServer, snap []check.RSState) {
	type key struct{ vs, rs, name string }
	byRS := make(map[[2]string]*check.RealServer, len(old))
	for i := range old {
		byRS[[2]string{old[i].VirtualServer, old[i].ID}] = &old[i]
	}
	up := map[key]bool{}
	for _, st := range snap {
		o := byRS[[2]string{st.VirtualServer, st.RealServer}]
		if o == nil {
			continue
		}
		for j, sp := range o.Checkers {
			if j < len(st.CheckersUp) {
				up[key{o.VirtualServer, o.ID, sp.Name}] = st.CheckersUp[j]
			}
		}
	}
	for i := range servers {
		rs := &servers[i]
		for j := range rs.Checkers {
			sp := &rs.Checkers[j]
			was, ok := up[key{rs.VirtualServer, rs.ID, sp.Name}]
			switch {
			case !ok:
			case was:
				sp.Schedule.Alpha = false
			default:
				sp.StartDown = true
			}
		}
	}
}

// hasPing reports whether any real server has a PING_CHECK, so the raw sockets are only opened
// when needed.
func hasPing(cfg *config.Config) bool {
	for _, vs := range cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			for _, c := range rs.Checkers {
				if c.Type == config.CheckPing {
					return true
				}
			}
		}
	}
	return false
}

// fifoSet writes each line to every open notify FIFO (lvs_notify_fifo and the global
// notify_fifo, which both receive the RS lines in keepalived) with non-blocking write(2) on the
// raw descriptors: a FIFO whose reader is slow or gone drops the line rather than stalling the
// checkers, as keepalived's non-blocking writes do. (An *os.File would park the goroutine in
// the poller on EAGAIN instead.)
type fifoSet struct {
	mu    sync.Mutex
	fds   []int
	paths []string
	// stopScript ends the lvs_notify_fifo_script reader; done is closed when it has exited.
	stopScript context.CancelFunc
	done       chan struct{}
}

// Write implements io.Writer for check.Notifier. It tries every FIFO and returns the first error.
func (f *fifoSet) Write(b []byte) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	var first error
	for i, fd := range f.fds {
		for {
			_, err := syscall.Write(fd, b)
			if err == syscall.EINTR {
				continue
			}
			if err != nil && first == nil {
				first = fmt.Errorf("%s: %w (line dropped)", f.paths[i], err)
			}
			break
		}
	}
	return len(b), first
}

// close stops the reader script and closes the descriptors.
func (f *fifoSet) close() {
	if f.stopScript != nil {
		f.stopScript()
		<-f.done
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, fd := range f.fds {
		_ = syscall.Close(fd)
	}
	f.fds = nil
}

// openCheckerFIFOs opens lvs_notify_fifo and notify_fifo (once when they are the same path) and
// starts lvs_notify_fifo_script. notify_fifo_script is left to the VRRP notifier, which owns that
// FIFO's reader. A FIFO that cannot be opened is logged and skipped. nil when none is configured.
func openCheckerFIFOs(cfg *config.Config, log *slog.Logger) *fifoSet {
	f := openFIFOWriters(cfg, log)
	if fc := cfg.Global.LVSNotifyFIFO; f != nil && fc.Path != "" && !fc.Script.IsZero() && f.has(fc.Path) {
		f.startScript(fc, policy.FromGlobal(&cfg.Global), log)
	}
	return f
}

// has reports whether path was opened.
func (f *fifoSet) has(path string) bool {
	for _, p := range f.paths {
		if p == path {
			return true
		}
	}
	return false
}

// openFIFO creates the FIFO (mode 0644) when missing, chowns it to the configured user, and
// opens it O_RDWR|O_NONBLOCK like keepalived's fifo_open().
func openFIFO(fc config.FIFO) (int, error) {
	fi, err := os.Lstat(fc.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := syscall.Mkfifo(fc.Path, 0o644); err != nil {
			return -1, fmt.Errorf("notify fifo %s: mkfifo: %w", fc.Path, err)
		}
		if err := os.Chmod(fc.Path, 0o644); err != nil { // mkfifo obeys the umask
			return -1, fmt.Errorf("notify fifo %s: %w", fc.Path, err)
		}
	case err != nil:
		return -1, fmt.Errorf("notify fifo %s: %w", fc.Path, err)
	case fi.Mode()&os.ModeNamedPipe == 0:
		return -1, fmt.Errorf("notify fifo %s exists and is not a FIFO", fc.Path)
	}
	if fc.User != "" {
		cred, err := script.LookupCredential(fc.User, fc.Group)
		if err != nil {
			return -1, fmt.Errorf("notify fifo %s: %w", fc.Path, err)
		}
		if err := os.Chown(fc.Path, int(cred.UID), int(cred.GID)); err != nil {
			return -1, fmt.Errorf("notify fifo %s: %w", fc.Path, err)
		}
	}
	fd, err := syscall.Open(fc.Path, syscall.O_RDWR|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return -1, fmt.Errorf("notify fifo %s: open: %w", fc.Path, err)
	}
	return fd, nil
}

// startScript runs the FIFO's reader script with the FIFO path as its last argument, as
// keepalived does, until close.
func (f *fifoSet) startScript(fc config.FIFO, pol policy.Policy, log *slog.Logger) {
	cmd, err := pol.Prepare(fc.Script)
	if err != nil {
		log.Warn(fmt.Sprintf("Disabling notify script %s due to insecure", fc.Script.Command), "err", err)
		return
	}
	cmd.Argv = append(cmd.Argv, fc.Path)
	ctx, cancel := context.WithCancel(context.Background())
	f.stopScript, f.done = cancel, make(chan struct{})
	go func() {
		defer close(f.done)
		res, err := script.Run(ctx, cmd)
		switch {
		case err != nil:
			log.Warn(fmt.Sprintf("lvs_notify_fifo_script %s: %v", fc.Script.Command, err))
		case ctx.Err() == nil:
			log.Info(fmt.Sprintf("lvs_notify_fifo_script %s %s", fc.Script.Command, res))
		}
	}()
}
