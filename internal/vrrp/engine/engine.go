package engine

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"runtime"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

// Options tunes an Engine.
type Options struct {
	// Logger receives the engine's logs; nil means slog.Default().
	Logger *slog.Logger
	// KeepAddressesOnStop leaves the addresses in place at shutdown (keepalived -V).
	KeepAddressesOnStop bool
	// OnTransition is called on the loop for every instance and sync-group state change. It
	// must not block: it runs on the VRRP timing path. So must the hooks below.
	OnTransition func(Transition)
	// OnPriorityChange is called when an instance's effective priority changes
	// (notify_priority_changes, FIFO MASTER_PRIORITY / BACKUP_PRIORITY).
	OnPriorityChange func(instance string, priority int, master bool)
	// OnMasterRxLowerPri is called when a master receives a lower-priority advert
	// (notify_master_rx_lower_pri, FIFO MASTER_RX_LOWER_PRI).
	OnMasterRxLowerPri func(instance string, priority int)
	// OnDeleted is called when a reload removes an instance (notify_deleted, FIFO DELETED).
	OnDeleted func(instance string, priority int)
	// OnAddresses is called after an instance's addresses were installed or removed, from the
	// instance's address worker (not the loop); ha_suspend follows the VIPs with it.
	OnAddresses func(instance string, addrs []netip.Addr, installed bool)
	// PreciseTimers finishes the master-down timer's wait precisely instead of trusting the Go
	// runtime's millisecond-grained sleep (see precisionLead): a backup then takes over within
	// microseconds of Master_Down_Interval rather than up to ~1 ms late, for about a millisecond
	// of CPU per failover. The daemon turns it on. It busy-waits on the wall clock, so tests in
	// a testing/synctest bubble, whose clock only moves while every goroutine is blocked, leave it
	// off.
	PreciseTimers bool
}

// Transition is one state change of an instance or a sync group.
type Transition struct {
	// Name is the instance's or the group's name.
	Name     string
	Group    bool
	From, To fsm.State
	Reason   fsm.Reason
	// Priority is the instance's effective priority (0 for groups, as keepalived reports it).
	Priority uint8
	At       time.Time
}

// Engine runs the VRRP instances of one configuration.
type Engine struct {
	opts Options
	log  *slog.Logger
	net  Network
	cfg  *config.Config

	units     []*unit
	instances []*instance
	byName    map[string]*instance

	events chan func()
	done   chan struct{}
	out    []fsm.Action

	// Address workers live until their instance is removed or the engine stops.
	workCtx context.Context
	workWG  sync.WaitGroup
}

// New builds the runtime for every vrrp_instance and sync group of cfg. It touches no kernel
// state; Run does.
func New(cfg *config.Config, net Network, opts Options) (*Engine, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	e := &Engine{
		opts: opts, log: opts.Logger, net: net, cfg: cfg,
		byName: map[string]*instance{},
		events: make(chan func(), 1024),
		done:   make(chan struct{}),
	}
	for _, c := range cfg.Instances {
		in, err := newInstance(c, &cfg.Global)
		if err != nil {
			return nil, err
		}
		e.instances = append(e.instances, in)
		e.byName[c.Name] = in
	}
	grouped := map[string]bool{}
	for _, sg := range cfg.SyncGroups {
		var members []*instance
		for _, name := range sg.Members {
			if in := e.byName[name]; in != nil {
				members = append(members, in)
			}
		}
		if len(members) == 0 {
			continue
		}
		u := &unit{name: sg.Name, members: members}
		for i, in := range members {
			in.unit, in.member = u, i
			grouped[in.cfg.Name] = true
		}
		e.units = append(e.units, u)
	}
	for _, in := range e.instances {
		if !grouped[in.cfg.Name] {
			u := &unit{name: in.cfg.Name, members: []*instance{in}}
			in.unit = u
			e.units = append(e.units, u)
		}
	}
	return e, nil
}

// Run starts every instance and serves them until ctx is cancelled; then it shuts them down as
// keepalived does on SIGTERM (priority-0 adverts from masters, addresses removed unless
// KeepAddressesOnStop) and returns.
func (e *Engine) Run(ctx context.Context) error {
	defer close(e.done)
	workCtx, stopWorkers := context.WithCancel(context.Background())
	e.workCtx = workCtx
	if err := e.start(); err != nil {
		stopWorkers()
		e.closeConns()
		return err
	}
	if err := e.net.WatchLinks(func(name string) { e.post(func() { e.linkChanged(name) }) }); err != nil {
		e.log.Warn("link monitoring unavailable; interface state changes will not be seen", "err", err)
	}

	// Verdicts that trackers reported before Run, and the interfaces' state, are applied while
	// the instances are still in INIT, so one whose tracker already failed goes straight to FAULT:
	// keepalived holds an instance in INIT until its scripts have returned once.
	e.drainPending()
	for _, in := range e.instances {
		e.evaluateFaults(in, true)
	}
	now := time.Now()
	for _, u := range e.units {
		for i := range u.members {
			e.dispatchAt(u, i, fsm.Start{}, now)
		}
	}

	for {
		select {
		case f := <-e.events:
			f()
		case <-ctx.Done():
			e.shutdown()
			for _, in := range e.instances {
				in.worker.wait()
			}
			stopWorkers()
			e.workWG.Wait()
			e.closeConns()
			if !e.opts.KeepAddressesOnStop {
				for _, in := range e.instances {
					e.deleteVMAC(in)
				}
			}
			return nil
		}
	}
}

// start resolves interfaces, removes stale copies of the configured addresses (keepalived's
// start-up cleanup, reference §1a.10) and opens the sockets.
func (e *Engine) start() error {
	e.applyStatic(e.cfg)
	for _, in := range e.instances {
		// Start-up cleanup: remove configured addresses left by an earlier run (keepalived does).
		if err := e.net.SetAddresses(in.cfg.Name, in.addrs, false); err != nil {
			e.log.Warn("start-up cleanup of configured addresses failed", "instance", in.cfg.Name, "err", err)
		}
		if err := e.attach(in); err != nil {
			return err
		}
	}
	// Machines are created once every member of a unit is known.
	for _, u := range e.units {
		if err := e.buildMachines(u); err != nil {
			return err
		}
	}
	return nil
}

// attach gives in its VMAC, address worker, source address and socket.
func (e *Engine) attach(in *instance) error {
	c := in.cfg
	if c.VMAC != nil && in.vmac == "" {
		name, err := e.net.CreateVMAC(c, &e.cfg.Global)
		if err != nil {
			// Degrade rather than stop: the instance still protects its VIPs on the base interface.
			e.log.Error("cannot create the VMAC interface; running on the base interface", "instance", c.Name, "iface", c.Interface, "err", err)
		} else {
			in.vmac = name
			in.addrs = addressSet(c, name)
			if !c.VMACXmitBase {
				in.ep.Iface = name // adverts leave with the virtual MAC (vrrp_vmac.c)
			}
			e.log.Info(fmt.Sprintf("(%s) using VMAC %s", c.Name, name), "instance", c.Name, "iface", name)
		}
	}
	in.worker = newAddrWorker(e.net, c.Name, in.addrs, e.log)
	in.worker.onApplied = e.opts.OnAddresses
	ctx, cancel := context.WithCancel(e.workCtx)
	in.stopWorker = cancel
	e.workWG.Add(1)
	go func() { defer e.workWG.Done(); in.worker.run(ctx) }()

	ifc, err := e.net.Interface(c.Interface)
	if err == nil {
		in.src, err = sourceAddress(c, ifc)
	}
	if err != nil {
		e.log.Warn("instance starts in FAULT", "instance", c.Name, "iface", c.Interface, "err", err)
	}
	in.ep.Src = in.src
	conn, err := e.net.Open(in.ep, func(p Packet) { e.post(func() { e.receive(in, p) }) })
	if err != nil {
		return fmt.Errorf("instance %s: open VRRP socket on %s: %w", c.Name, c.Interface, err)
	}
	in.conn = conn
	return nil
}

// deleteVMAC removes in's VMAC, if it has one.
func (e *Engine) deleteVMAC(in *instance) {
	if in.vmac == "" {
		return
	}
	if err := e.net.DeleteVMAC(in.vmac); err != nil {
		e.log.Warn("cannot delete the VMAC interface", "instance", in.cfg.Name, "iface", in.vmac, "err", err)
	}
	in.vmac = ""
}

// detach closes in's socket handle.
func (e *Engine) detach(in *instance) {
	if in.conn == nil {
		return
	}
	if err := in.conn.Close(); err != nil {
		e.log.Debug("closing VRRP socket", "instance", in.cfg.Name, "err", err)
	}
	in.conn = nil
}

// buildMachines creates the state machines of u.
func (e *Engine) buildMachines(u *unit) error {
	ms := make([]*fsm.Machine, 0, len(u.members))
	for _, in := range u.members {
		m, err := fsm.New(fsmConfig(in.cfg, &e.cfg.Global, in.src))
		if err != nil {
			return fmt.Errorf("instance %s: %w", in.cfg.Name, err)
		}
		ms = append(ms, m)
	}
	if len(u.members) == 1 && u.name == u.members[0].cfg.Name {
		u.machine = ms[0]
		return nil
	}
	g, err := fsm.NewGroup(u.name, ms...)
	if err != nil {
		return fmt.Errorf("sync group %s: %w", u.name, err)
	}
	u.group = g
	return nil
}

func (e *Engine) closeConns() {
	for _, in := range e.instances {
		e.detach(in)
	}
}

// drainPending runs what is already queued for the loop, without waiting for more.
func (e *Engine) drainPending() {
	for {
		select {
		case f := <-e.events:
			f()
		default:
			return
		}
	}
}

// post runs f on the loop. It drops f once the loop has ended.
func (e *Engine) post(f func()) {
	select {
	case e.events <- f:
	case <-e.done:
	}
}

// receive validates p for in and feeds it to in's machine.
func (e *Engine) receive(in *instance, p Packet) {
	if in.conn == nil {
		return // the instance was stopped by a reload after p was queued
	}
	in.rxMeta = packet.Meta{Src: p.Src, Dst: p.Dst, HopLimit: p.TTL}
	res := packet.Validate(&in.params, p.Data, &in.rxMeta, &in.rx)
	if !res.OK() {
		if int(res.Drop) < len(in.stats.Drops) {
			in.stats.Drops[res.Drop].Add(1)
		}
		e.log.Debug("VRRP packet dropped", "instance", in.cfg.Name, "vrid", in.cfg.VRID, "from", p.Src, "reason", res.Drop.String())
		return
	}
	if res.OldUnicastChecksum && in.params.UnicastChecksum != packet.UnicastChecksumOld {
		e.log.Info(fmt.Sprintf("(%s) Setting unicast VRRPv3 checksum to old version", in.cfg.Name), "instance", in.cfg.Name, "from", p.Src)
		in.params.UnicastChecksum = packet.UnicastChecksumOld
		in.send.UnicastChecksum = packet.UnicastChecksumOld
	}
	in.stats.AdvertsReceived.Add(1)
	if in.rx.Priority == 0 {
		in.stats.PriorityZeroRx.Add(1)
	}
	src := p.Src
	if in.ep.Family == packet.IPv4 && len(p.Data) >= 20 {
		src = netip.AddrFrom4([4]byte(p.Data[12:16])) // the IP header is authoritative for IPv4
	}
	e.dispatch(in, fsm.AdvertReceived{
		From: src, Priority: in.rx.Priority, Interval: in.rx.AdvertInterval(), AddrMismatch: res.VIPMismatch,
	})
}

// dispatch feeds ev to in's unit now and carries out the actions.
func (e *Engine) dispatch(in *instance, ev fsm.Event) {
	e.dispatchAt(in.unit, in.member, ev, time.Now())
}

func (e *Engine) dispatchAt(u *unit, member int, ev fsm.Event, now time.Time) {
	e.out = u.handle(member, ev, now, e.out[:0])
	// A sync group leaving INIT is reported before its members, as keepalived does at start
	// (FIFO: GROUP "SG" BACKUP 0, then INSTANCE "VI_1" BACKUP 150, ...).
	for _, a := range e.out {
		if a.Kind == fsm.ActGroupStateChanged && a.From == fsm.StateInit {
			e.execute(u, a, now)
		}
	}
	for _, a := range e.out {
		if a.Kind == fsm.ActGroupStateChanged && a.From == fsm.StateInit {
			continue
		}
		e.execute(u, a, now)
	}
}

// execute carries out one action on the loop.
func (e *Engine) execute(u *unit, a fsm.Action, now time.Time) {
	if a.Kind == fsm.ActGroupStateChanged {
		e.log.Info(fmt.Sprintf("(%s) Sync group entering %s state", u.name, a.To), "instance", u.name, "from", a.From.String(), "to", a.To.String(), "reason", a.Reason.String())
		if e.opts.OnTransition != nil {
			e.opts.OnTransition(Transition{Name: u.name, Group: true, From: a.From, To: a.To, Reason: a.Reason, At: now})
		}
		return
	}
	if a.Member < 0 || a.Member >= len(u.members) {
		return
	}
	in := u.members[a.Member]
	name := in.cfg.Name
	switch a.Kind {
	case fsm.ActSendAdvert:
		if err := in.sendAdvert(a.Priority); err != nil {
			e.log.Warn("cannot send advert", "instance", name, "vrid", in.cfg.VRID, "iface", in.cfg.Interface, "err", err)
		}
	case fsm.ActAddAddresses:
		in.worker.want(true)
	case fsm.ActRemoveAddresses:
		in.worker.want(false)
	case fsm.ActGARP:
		in.worker.announce(a.Count)
	case fsm.ActArmTimer:
		e.arm(in, a.Timer, a.Gen, a.At, now)
	case fsm.ActStopTimer:
		if t := in.timers[a.Timer]; t != nil {
			t.Stop()
			delete(in.timers, a.Timer)
		}
	case fsm.ActStateChanged:
		e.transition(in, a, now)
	case fsm.ActNotifyRxLowerPriority:
		prio := in.unit.machineOf(in.member).Priority()
		e.log.Info(fmt.Sprintf("(%s) Received advert from %s with lower priority, ours %d, forcing new election", name, a.Peer, prio), "instance", name, "from", a.Peer)
		if e.opts.OnMasterRxLowerPri != nil {
			e.opts.OnMasterRxLowerPri(name, int(prio))
		}
	case fsm.ActPriorityChanged:
		e.log.Info(fmt.Sprintf("(%s) Changing effective priority to %d", name, a.Priority), "instance", name, "reason", a.Reason.String())
		if e.opts.OnPriorityChange != nil {
			m := in.unit.machineOf(in.member)
			e.opts.OnPriorityChange(name, int(a.Priority), m.State() == fsm.StateMaster)
		}
	case fsm.ActAddrMismatch:
		e.log.Debug(fmt.Sprintf("(%s) advertisement from %s lists other addresses than ours", name, a.Peer), "instance", name, "from", a.Peer)
	case fsm.ActIgnoredAdvert:
		e.log.Debug(fmt.Sprintf("(%s) advert from %s discarded", name, a.Peer), "instance", name, "from", a.Peer, "reason", a.Reason.String())
	}
}

// transition logs a state change the way keepalived does and reports it.
func (e *Engine) transition(in *instance, a fsm.Action, now time.Time) {
	name := in.cfg.Name
	switch a.To {
	case fsm.StateMaster:
		in.stats.BecomeMaster.Add(1)
	case fsm.StateBackup, fsm.StateFault, fsm.StateStop:
		if a.From == fsm.StateMaster {
			in.stats.ReleaseMaster.Add(1)
		}
	}
	prio := in.unit.machineOf(in.member).Priority()
	e.log.Info(fmt.Sprintf("(%s) Entering %s STATE", name, a.To), "instance", name, "vrid", in.cfg.VRID,
		"from", a.From.String(), "to", a.To.String(), "reason", a.Reason.String(), "priority", prio)
	if in.deleting {
		return // a reload removed the instance: OnDeleted reports it instead of STOP
	}
	if e.opts.OnTransition != nil {
		e.opts.OnTransition(Transition{Name: name, From: a.From, To: a.To, Reason: a.Reason, Priority: prio, At: now})
	}
}

// precisionLead is how early the master-down timer is armed before its deadline; the rest of the
// wait is finished precisely (see finishAt). An idle Go process sleeps in whole milliseconds, so a
// plain timer fires up to ~1 ms late, and the master-down timer is what decides how fast a backup
// takes over.
const precisionLead = 1500 * time.Microsecond

// arm (re)arms one of in's timers; when it fires, the loop feeds TimerFired with its generation,
// so a fire that raced with a re-arm is recognised as stale by the machine.
func (e *Engine) arm(in *instance, t fsm.Timer, gen uint64, at, now time.Time) {
	if old := in.timers[t]; old != nil {
		old.Stop()
	}
	fire := func() { e.post(func() { e.dispatch(in, fsm.TimerFired{Timer: t, Gen: gen}) }) }
	d := at.Sub(now)
	if e.opts.PreciseTimers && t == fsm.TimerMasterDown && d > 2*precisionLead {
		in.timers[t] = time.AfterFunc(d-precisionLead, func() { finishAt(at); fire() })
		return
	}
	in.timers[t] = time.AfterFunc(d, fire)
}

// finishAt returns at the deadline at, yielding the processor while it waits. It runs on the timer's
// own goroutine, never on the loop, and only for the last precisionLead before a master-down
// deadline, so its cost is bounded to about a millisecond per failover.
func finishAt(at time.Time) {
	for time.Now().Before(at) {
		runtime.Gosched()
	}
}

// shutdown stops every unit: masters send priority 0 and, unless told to keep them, remove their
// addresses.
func (e *Engine) shutdown() {
	now := time.Now()
	for _, u := range e.units {
		e.stopMembers(u, now, e.opts.KeepAddressesOnStop)
	}
}

// stopMembers feeds Shutdown to every member of u and carries out the result — priority-0 adverts
// from masters, notifies, address removal unless keepAddresses — then stops u's timers. Timers the
// machines would arm are not armed: the unit is going away.
func (e *Engine) stopMembers(u *unit, now time.Time, keepAddresses bool) {
	for i := range u.members {
		e.out = u.handle(i, fsm.Shutdown{}, now, e.out[:0])
		for _, a := range e.out {
			if a.Kind == fsm.ActArmTimer || a.Kind == fsm.ActRemoveAddresses && keepAddresses {
				continue
			}
			e.execute(u, a, now)
		}
	}
	for _, in := range u.members {
		for _, t := range in.timers {
			t.Stop()
		}
	}
}
