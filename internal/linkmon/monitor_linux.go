package linkmon

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Options configure a Monitor.
type Options struct {
	// QueueLen is the capacity of the event channel (default 256). When the
	// consumer falls behind, the monitor stops reading, the kernel drops
	// notifications (ENOBUFS) and a re-dump brings the state back.
	QueueLen int
	// ReadBuffer sets the notification socket's receive buffer in bytes
	// (0: kernel default).
	ReadBuffer int
	// Log receives diagnostics (slog.Default when nil).
	Log *slog.Logger
}

// Monitor delivers link and address events. Create it with Start; it is
// safe for concurrent use.
type Monitor struct {
	log    *slog.Logger
	events chan Event
	notify *netlink.Conn // subscribed to the groups
	dump   *netlink.Conn // for requests, so replies never mix with events

	mu    sync.Mutex
	state *state

	done    chan struct{}
	stopped chan struct{}
	once    sync.Once
}

// Start subscribes to link and address notifications in the calling
// thread's network namespace, reads the current state (see Snapshot) and
// starts delivering changes.
func Start(opts Options) (*Monitor, error) {
	if opts.QueueLen <= 0 {
		opts.QueueLen = 256
	}
	if opts.Log == nil {
		opts.Log = slog.Default()
	}
	notify, err := netlink.Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		return nil, fmt.Errorf("linkmon: dial rtnetlink: %w", err)
	}
	for _, g := range []uint32{unix.RTNLGRP_LINK, unix.RTNLGRP_IPV4_IFADDR, unix.RTNLGRP_IPV6_IFADDR} {
		if err := notify.JoinGroup(g); err != nil {
			notify.Close()
			return nil, fmt.Errorf("linkmon: join rtnetlink group %d: %w", g, err)
		}
	}
	if opts.ReadBuffer > 0 {
		if err := notify.SetReadBuffer(opts.ReadBuffer); err != nil {
			notify.Close()
			return nil, fmt.Errorf("linkmon: set read buffer: %w", err)
		}
	}
	dump, err := netlink.Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		notify.Close()
		return nil, fmt.Errorf("linkmon: dial rtnetlink: %w", err)
	}
	m := &Monitor{
		log: opts.Log, events: make(chan Event, opts.QueueLen), notify: notify, dump: dump,
		state: newState(), done: make(chan struct{}), stopped: make(chan struct{}),
	}
	// Subscribed before dumping, so nothing falls between the two.
	links, addrs, err := m.dumpAll()
	if err != nil {
		m.notify.Close()
		m.dump.Close()
		return nil, err
	}
	m.state.resync(links, addrs)
	go m.run()
	return m, nil
}

// Events returns the event channel; it is closed by Close.
func (m *Monitor) Events() <-chan Event { return m.events }

// Snapshot returns the current links and addresses as last seen.
func (m *Monitor) Snapshot() ([]Link, []ifaddr.Address) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state.snapshot()
}

// Close stops the monitor and closes the event channel.
func (m *Monitor) Close() error {
	var err error
	m.once.Do(func() {
		close(m.done)
		err = errors.Join(m.notify.Close(), m.dump.Close())
		<-m.stopped
	})
	return err
}

func (m *Monitor) run() {
	defer close(m.stopped)
	defer close(m.events)
	for {
		msgs, err := m.notify.Receive()
		if err != nil {
			select {
			case <-m.done:
				return
			default:
			}
			if errors.Is(err, unix.ENOBUFS) {
				m.log.Warn("netlink notifications lost, re-reading links and addresses", "reason", "ENOBUFS")
				if !m.resync() {
					return
				}
				continue
			}
			m.log.Error("netlink receive failed", "reason", err.Error())
			return
		}
		for _, msg := range msgs {
			m.mu.Lock()
			ev, err := m.apply(msg)
			m.mu.Unlock()
			if err != nil {
				m.log.Debug("undecodable netlink notification", "reason", err.Error())
				continue
			}
			if !m.emit(ev) {
				return
			}
		}
	}
}

// resync recovers from lost notifications. The socket's backlog is
// discarded first: the kernel reports ENOBUFS only once per congestion and
// clears congestion only when the queue is empty, so a re-dump taken while
// stale notifications remain queued would let later drops go unreported.
func (m *Monitor) resync() bool {
	err := m.drain()
	var links []Link
	var addrs []ifaddr.Address
	if err == nil {
		links, addrs, err = m.dumpAll()
	}
	if err != nil {
		select {
		case <-m.done: // closing: the error is ours
		default:
			m.log.Error("netlink resync failed", "reason", err.Error())
		}
		return false
	}
	m.mu.Lock()
	ev := m.state.resync(links, addrs)
	m.mu.Unlock()
	return m.emit(ev)
}

// drain reads and discards every queued notification without blocking.
func (m *Monitor) drain() error {
	defer m.notify.SetReadDeadline(time.Time{})
	for {
		// Not time.Now(): a deadline already past fails before the socket
		// is even read. An empty queue costs one millisecond.
		if err := m.notify.SetReadDeadline(time.Now().Add(time.Millisecond)); err != nil {
			return err
		}
		_, err := m.notify.Receive()
		if err == nil || errors.Is(err, unix.ENOBUFS) {
			continue
		}
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return nil
		}
		return err
	}
}

// emit delivers events, blocking while the consumer is behind (see
// Options.QueueLen); it reports false when the monitor is closing.
func (m *Monitor) emit(ev []Event) bool {
	for _, e := range ev {
		select {
		case m.events <- e:
		case <-m.done:
			return false
		}
	}
	return true
}

// apply decodes one notification and updates the state. Callers hold m.mu.
func (m *Monitor) apply(msg netlink.Message) ([]Event, error) {
	switch msg.Header.Type {
	case unix.RTM_NEWLINK, unix.RTM_DELLINK:
		l, err := decodeLink(msg.Data)
		if err != nil {
			return nil, err
		}
		if msg.Header.Type == unix.RTM_DELLINK {
			return m.state.delLink(l.Ifindex, l.Name), nil
		}
		return m.state.link(l), nil
	case unix.RTM_NEWADDR, unix.RTM_DELADDR:
		a, err := ifaddr.ParseAddressMessage(msg.Data)
		if err != nil {
			return nil, err
		}
		if msg.Header.Type == unix.RTM_DELADDR {
			return m.state.delAddr(a), nil
		}
		return m.state.addr(a), nil
	}
	return nil, nil
}

// decodeLink decodes an RTM_NEWLINK/RTM_DELLINK body.
func decodeLink(b []byte) (Link, error) {
	var lm rtnetlink.LinkMessage
	if err := lm.UnmarshalBinary(b); err != nil {
		return Link{}, fmt.Errorf("linkmon: decode link message: %w", err)
	}
	l := Link{Ifindex: int(lm.Index), Up: lm.Flags&unix.IFF_UP != 0 && lm.Flags&unix.IFF_RUNNING != 0}
	if lm.Attributes != nil {
		l.Name = lm.Attributes.Name
	}
	return l, nil
}

// errDumpInterrupted means the kernel flagged a dump as inconsistent
// (NLM_F_DUMP_INTR) every time it was tried.
var errDumpInterrupted = errors.New("linkmon: dump interrupted by concurrent changes")

// dumpAll reads every link and address, retrying dumps the kernel flags as
// inconsistent (state changed while dumping).
func (m *Monitor) dumpAll() ([]Link, []ifaddr.Address, error) {
	for range 20 {
		links, addrs, err := m.dumpOnce()
		if !errors.Is(err, errDumpInterrupted) {
			return links, addrs, err
		}
	}
	return nil, nil, errDumpInterrupted
}

func interrupted(msgs []netlink.Message) bool {
	for _, msg := range msgs {
		if msg.Header.Flags&netlink.DumpInterrupted != 0 {
			return true
		}
	}
	return false
}

func (m *Monitor) dumpOnce() ([]Link, []ifaddr.Address, error) {
	linkMsgs, err := m.dump.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETLINK, Flags: netlink.Request | netlink.Dump},
		Data:   make([]byte, unix.SizeofIfInfomsg),
	})
	if err != nil {
		return nil, nil, fmt.Errorf("linkmon: dump links: %w", err)
	}
	if interrupted(linkMsgs) {
		return nil, nil, errDumpInterrupted
	}
	var links []Link
	for _, msg := range linkMsgs {
		if msg.Header.Type != unix.RTM_NEWLINK {
			continue
		}
		l, err := decodeLink(msg.Data)
		if err != nil {
			return nil, nil, err
		}
		links = append(links, l)
	}
	addrMsgs, err := m.dump.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETADDR, Flags: netlink.Request | netlink.Dump},
		Data:   make([]byte, 8), // struct ifaddrmsg, AF_UNSPEC
	})
	if err != nil {
		return nil, nil, fmt.Errorf("linkmon: dump addresses: %w", err)
	}
	if interrupted(addrMsgs) {
		return nil, nil, errDumpInterrupted
	}
	var addrs []ifaddr.Address
	for _, msg := range addrMsgs {
		if msg.Header.Type != unix.RTM_NEWADDR {
			continue
		}
		a, err := ifaddr.ParseAddressMessage(msg.Data)
		if err != nil {
			return nil, nil, err
		}
		addrs = append(addrs, a)
	}
	return links, addrs, nil
}
