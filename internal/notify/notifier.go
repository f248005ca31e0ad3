package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

// Defaults for Options.
const (
	// DefaultOrderWait bounds how long a notify script holds back the next one of the
	// same instance or group. keepalived never waits (nor kills notify scripts); a
	// script still running after this is left running and the queue moves on.
	DefaultOrderWait = 30 * time.Second
	// DefaultQueueLen is the per-target queue length; events beyond it are dropped
	// and counted.
	DefaultQueueLen = 64
	// maxMailers bounds concurrent SMTP deliveries.
	maxMailers = 4
)

// Options tunes a Notifier. The zero value is production behaviour.
type Options struct {
	// Logger receives the notifier's logs; nil means slog.Default().
	Logger *slog.Logger
	// Runner runs scripts; nil means script.Run.
	Runner func(ctx context.Context, c script.Command) (script.Result, error)
	// Policy decides users and script security; nil means policy.FromGlobal(&cfg.Global).
	Policy *policy.Policy
	// Dial connects to the SMTP server; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now stamps mail Date headers; nil means time.Now.
	Now func() time.Time
	// Hostname is the default router_id, HELO name and sender domain; empty means os.Hostname().
	Hostname string
	// OrderWait and QueueLen: see DefaultOrderWait and DefaultQueueLen.
	OrderWait time.Duration
	QueueLen  int
}

// scripts are one target's prepared notify commands; nil means not configured.
type scripts struct {
	master, backup, fault, stop, deleted, rxLowerPri, generic *script.Command
	notifyDeleted                                             bool
	smtp                                                      bool
	// prioChanges is notify_priority_changes (or the global vrrp_notify_priority_changes).
	prioChanges bool
}

// event is one notification for one target.
type event struct {
	kind, name, state string
	prio              int
}

// Notifier delivers notifications for one configuration. Its methods are safe from
// any goroutine; the event methods never block.
type Notifier struct {
	log   *slog.Logger
	opts  Options
	mail  *Mail // template: nil when SMTP is not configured
	conns time.Duration
	// router is router_id (empty: the host name).
	router string

	targets map[string]*target // by kind+" "+name
	// groups and instances are the sync group and instance names in configuration order, the
	// order WriteStates writes them in.
	groups, instances []string

	fifos   []*fifo
	lines   chan []byte
	writerD chan struct{}
	mailers chan struct{}
	mailWG  sync.WaitGroup

	mu      sync.Mutex
	closed  bool
	dropped atomic.Uint64
}

// target is one instance's or group's ordered queue.
type target struct {
	kind, name string
	sc         scripts
	q          chan event
	done       chan struct{}
}

// New prepares every notify script of cfg (refusing insecure ones with keepalived's
// "Disabling notify script … due to insecure"), opens notify_fifo and
// vrrp_notify_fifo and starts their reader scripts, and starts one queue per
// instance and sync group.
func New(cfg *config.Config, opts Options) (*Notifier, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Runner == nil {
		opts.Runner = script.Run
	}
	if opts.Dial == nil {
		var d net.Dialer
		opts.Dial = d.DialContext
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	if opts.Hostname == "" {
		opts.Hostname, _ = os.Hostname()
	}
	if opts.OrderWait <= 0 {
		opts.OrderWait = DefaultOrderWait
	}
	if opts.QueueLen <= 0 {
		opts.QueueLen = DefaultQueueLen
	}
	pol := policy.FromGlobal(&cfg.Global)
	if opts.Policy != nil {
		pol = *opts.Policy
	}
	n := &Notifier{
		log: opts.Logger, opts: opts, targets: map[string]*target{},
		lines: make(chan []byte, 256), writerD: make(chan struct{}), mailers: make(chan struct{}, maxMailers),
	}
	g := &cfg.Global
	n.mail, n.conns = mailTemplate(g, opts.Hostname)
	n.router = g.RouterID
	smtpDefault := false
	if g.SMTPAlertVRRP != nil {
		smtpDefault = *g.SMTPAlertVRRP
	} else if g.SMTPAlert != nil {
		smtpDefault = *g.SMTPAlert
	}
	prep := func(s config.Script) *script.Command {
		if s.IsZero() {
			return nil
		}
		cmd, err := pol.Prepare(s)
		if err != nil {
			n.log.Warn(err.Error())
			n.log.Warn(fmt.Sprintf("Disabling notify script %s due to insecure", s.Command))
			return nil
		}
		return &cmd
	}
	mk := func(nt config.Notify, smtp *bool) scripts {
		sc := scripts{
			master: prep(nt.Master), backup: prep(nt.Backup), fault: prep(nt.Fault), stop: prep(nt.Stop),
			deleted: prep(nt.Deleted), rxLowerPri: prep(nt.MasterRxLowerPri), generic: prep(nt.Generic),
			smtp: smtpDefault,
		}
		if smtp != nil {
			sc.smtp = *smtp
		}
		return sc
	}
	for _, in := range cfg.Instances {
		sc := mk(in.Notify, in.SMTPAlert)
		sc.notifyDeleted = in.NotifyDeleted
		sc.prioChanges = in.NotifyPriorityChanges || g.VRRPNotifyPriorityChanges
		n.addTarget(KindInstance, in.Name, sc)
		n.instances = append(n.instances, in.Name)
	}
	for _, sg := range cfg.SyncGroups {
		n.addTarget(KindGroup, sg.Name, mk(sg.Notify, sg.SMTPAlert))
		n.groups = append(n.groups, sg.Name)
	}
	seen := map[string]bool{}
	for _, fc := range []config.FIFO{g.NotifyFIFO, g.VRRPNotifyFIFO} {
		if fc.Path == "" || seen[fc.Path] {
			continue
		}
		seen[fc.Path] = true
		f, err := openFIFO(fc, pol, opts.Runner, n.log)
		if err != nil {
			n.closeFIFOs(context.Background())
			return nil, err
		}
		n.fifos = append(n.fifos, f)
	}
	go n.writer()
	for _, t := range n.targets {
		go n.serve(t)
	}
	return n, nil
}

func (n *Notifier) addTarget(kind, name string, sc scripts) {
	n.targets[kind+" "+name] = &target{kind: kind, name: name, sc: sc, q: make(chan event, n.opts.QueueLen), done: make(chan struct{})}
}

// OnTransition is the engine.Options.OnTransition hook. Transitions into INIT are
// not notified, as in keepalived.
func (n *Notifier) OnTransition(t engine.Transition) {
	var state string
	switch t.To {
	case fsm.StateMaster:
		state = StateMaster
	case fsm.StateBackup:
		state = StateBackup
	case fsm.StateFault:
		state = StateFault
	case fsm.StateStop:
		state = StateStop
	default:
		return
	}
	kind, prio := KindInstance, int(t.Priority)
	if t.Group {
		kind, prio = KindGroup, 0
	}
	n.post(event{kind: kind, name: t.Name, state: state, prio: prio})
}

// PriorityChanged reports an instance's new effective priority for
// notify_priority_changes: a MASTER_PRIORITY or BACKUP_PRIORITY FIFO line. Instances
// without notify_priority_changes are ignored.
func (n *Notifier) PriorityChanged(instance string, prio int, master bool) {
	if t := n.targets[KindInstance+" "+instance]; t == nil || !t.sc.prioChanges {
		return
	}
	state := StateBackupPriority
	if master {
		state = StateMasterPriority
	}
	n.post(event{kind: KindInstance, name: instance, state: state, prio: prio})
}

// MasterRxLowerPri reports that a master received a lower-priority advert: the
// notify_master_rx_lower_pri script and a MASTER_RX_LOWER_PRI FIFO line.
func (n *Notifier) MasterRxLowerPri(instance string, prio int) {
	n.post(event{kind: KindInstance, name: instance, state: StateMasterRxLowerPri, prio: prio})
}

// Deleted reports an instance removed by a reload: with notify_deleted its
// notify_deleted script and DELETED, otherwise notify_fault and FAULT.
func (n *Notifier) Deleted(instance string, prio int) {
	state := StateFault
	if t := n.targets[KindInstance+" "+instance]; t != nil && t.sc.notifyDeleted {
		state = StateDeleted
	}
	n.post(event{kind: KindInstance, name: instance, state: state, prio: prio})
}

// Dropped is the number of events lost to full queues or FIFOs.
func (n *Notifier) Dropped() uint64 { return n.dropped.Load() }

// post queues ev without blocking: the FIFO line to the writer, the scripts and mail
// to the target's queue.
func (n *Notifier) post(ev event) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return
	}
	if len(n.fifos) > 0 {
		select {
		case n.lines <- Line(ev.kind, ev.name, ev.state, ev.prio):
		default:
			n.drop(ev, "fifo queue full")
		}
	}
	t := n.targets[ev.kind+" "+ev.name]
	if t == nil {
		return
	}
	select {
	case t.q <- ev:
	default:
		n.drop(ev, "notify queue full")
	}
}

func (n *Notifier) drop(ev event, why string) {
	n.dropped.Add(1)
	n.log.Warn(fmt.Sprintf("notification %s %s %s dropped: %s", ev.kind, ev.name, ev.state, why), "instance", ev.name, "reason", "queue_full")
}

// writer writes FIFO lines in order.
func (n *Notifier) writer() {
	defer close(n.writerD)
	for b := range n.lines {
		for _, f := range n.fifos {
			if err := f.write(b); err != nil {
				n.dropped.Add(1)
				n.log.Warn(err.Error())
			}
		}
	}
}

// serve runs one target's notifications in order.
func (n *Notifier) serve(t *target) {
	defer close(t.done)
	for ev := range t.q {
		n.deliver(t, ev)
	}
}

// deliver runs the specific script, then the generic one with its four arguments
// (vrrp_notify.c send_instance_notifies()), then queues the SMTP alert.
func (n *Notifier) deliver(t *target, ev event) {
	sc := &t.sc
	var specific *script.Command
	generic := true
	switch ev.state {
	case StateMaster:
		specific = sc.master
	case StateBackup:
		specific = sc.backup
	case StateFault:
		specific = sc.fault
	case StateStop:
		specific = sc.stop
	case StateDeleted:
		specific = sc.deleted
	case StateMasterRxLowerPri:
		specific, generic = sc.rxLowerPri, false
	default:
		// Priority changes only write the FIFO.
		return
	}
	if specific != nil {
		n.run(t, *specific)
	}
	if generic && sc.generic != nil {
		c := *sc.generic
		c.Argv = append(append([]string(nil), c.Argv...), ev.kind, ev.name, ev.state, strconv.Itoa(ev.prio))
		n.run(t, c)
	}
	if sc.smtp && n.mail != nil {
		n.alert(t, ev)
	}
}

// run starts c and waits for it up to OrderWait; a slower script keeps running and
// the queue goes on. Notify scripts are never killed (keepalived does not either).
func (n *Notifier) run(t *target, c script.Command) {
	done := make(chan struct{})
	go func() {
		defer close(done)
		res, err := n.opts.Runner(context.Background(), c)
		switch {
		case err != nil:
			n.log.Warn(fmt.Sprintf("notify script %s for %s: %v", c.Argv[0], t.name, err), "instance", t.name)
		case !res.OK():
			n.log.Info(fmt.Sprintf("notify script %s for %s %s", c.Argv[0], t.name, res), "instance", t.name)
		}
	}()
	timer := time.NewTimer(n.opts.OrderWait)
	defer timer.Stop()
	select {
	case <-done:
	case <-timer.C:
		n.log.Warn(fmt.Sprintf("notify script %s for %s still running after %v; running the next notification", c.Argv[0], t.name, n.opts.OrderWait), "instance", t.name, "reason", "slow_script")
	}
}

// Close stops accepting events, lets every queued notification run (including the
// notify_stop scripts the engine's shutdown queued), waits for pending mail, then
// SIGTERMs the FIFO reader scripts and closes the FIFOs. Everything is bounded by
// ctx; keepalived gives notify_stop about a second.
func (n *Notifier) Close(ctx context.Context) error {
	n.mu.Lock()
	if n.closed {
		n.mu.Unlock()
		return nil
	}
	n.closed = true
	for _, t := range n.targets {
		close(t.q)
	}
	close(n.lines)
	n.mu.Unlock()

	var errs []error
	for _, t := range n.targets {
		select {
		case <-t.done:
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("notify %s %s: queue not drained: %w", t.kind, t.name, ctx.Err()))
		}
	}
	mailDone := make(chan struct{})
	go func() { n.mailWG.Wait(); close(mailDone) }()
	select {
	case <-mailDone:
	case <-ctx.Done():
		errs = append(errs, fmt.Errorf("notify: mail still pending: %w", ctx.Err()))
	}
	select {
	case <-n.writerD:
	case <-ctx.Done():
	}
	errs = append(errs, n.closeFIFOs(ctx))
	return errors.Join(errs...)
}

func (n *Notifier) closeFIFOs(ctx context.Context) error {
	var errs []error
	for _, f := range n.fifos {
		errs = append(errs, f.close(ctx))
	}
	return errors.Join(errs...)
}
