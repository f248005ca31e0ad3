package announce

import (
	"encoding/binary"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mdlayher/packet"
)

// ErrQueueFull is returned by Sender.Send when an interface's queue is full;
// the frame is dropped rather than blocking the caller (the VRRP timing path).
var ErrQueueFull = errors.New("announce: send queue full")

// ErrSenderClosed is returned by Sender.Send after Close.
var ErrSenderClosed = errors.New("announce: sender closed")

// Pacer spaces frames of one kind on one interface at least Interval apart
// (keepalived garp_interval / gna_interval: frames are queued, never
// dropped). It is a pure token scheduler: time is passed in. The zero value
// with Interval 0 lets every frame go at once. Not safe for concurrent use.
type Pacer struct {
	// Interval is the minimum spacing between two frames.
	Interval time.Duration
	next     time.Time
}

// Reserve books the next slot at or after now and returns when the frame
// may be sent.
func (p *Pacer) Reserve(now time.Time) time.Time {
	at := now
	if p.next.After(at) {
		at = p.next
	}
	p.next = at.Add(p.Interval)
	return at
}

// SenderStats counts what a Sender did, over all interfaces.
type SenderStats struct {
	Sent, Errors, Dropped uint64
}

// Sender writes ready-made Ethernet frames (gratuitous ARP, unsolicited NA)
// on AF_PACKET sockets, one socket and one pacing goroutine per interface.
// Send never blocks. A Sender is safe for concurrent use.
type Sender struct {
	log      *slog.Logger
	queueLen int

	mu     sync.Mutex
	ifaces map[int]*ifaceSender
	closed bool

	sent, errs, dropped atomic.Uint64
}

// NewSender returns a Sender whose per-interface queues hold queueLen
// frames (default 256 when ≤ 0), logging to log (slog.Default when nil).
func NewSender(queueLen int, log *slog.Logger) *Sender {
	if queueLen <= 0 {
		queueLen = 256
	}
	if log == nil {
		log = slog.Default()
	}
	return &Sender{log: log, queueLen: queueLen, ifaces: make(map[int]*ifaceSender)}
}

type ifaceSender struct {
	name  string
	conn  *packet.Conn
	queue chan []byte
	done  chan struct{}

	mu        sync.Mutex
	garp, gna Pacer
}

// SetIntervals opens (if needed) the interface's socket and sets its
// garp_interval and gna_interval. The socket is opened in the calling
// thread's network namespace.
func (s *Sender) SetIntervals(ifindex int, garp, gna time.Duration) error {
	is, err := s.iface(ifindex)
	if err != nil {
		return err
	}
	is.mu.Lock()
	is.garp.Interval, is.gna.Interval = garp, gna
	is.mu.Unlock()
	return nil
}

// Send queues frame for ifindex and returns at once. The frame must be a
// whole Ethernet frame; its ethertype selects the pacing (ARP or IPv6).
// The first Send on an interface opens its socket in the calling thread's
// network namespace. Sender keeps frame: the caller must not reuse it.
func (s *Sender) Send(ifindex int, frame []byte) error {
	if len(frame) < EthHeaderLen {
		return fmt.Errorf("announce: frame of %d bytes has no Ethernet header", len(frame))
	}
	is, err := s.iface(ifindex)
	if err != nil {
		return err
	}
	select {
	case is.queue <- frame:
		return nil
	default:
		s.dropped.Add(1)
		return fmt.Errorf("announce iface %s: %w", is.name, ErrQueueFull)
	}
}

// Stats returns the cumulative counters.
func (s *Sender) Stats() SenderStats {
	return SenderStats{Sent: s.sent.Load(), Errors: s.errs.Load(), Dropped: s.dropped.Load()}
}

// Close stops every interface goroutine, dropping queued frames, and
// closes the sockets.
func (s *Sender) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	ifaces := s.ifaces
	s.ifaces = nil
	s.mu.Unlock()
	var errs []error
	for _, is := range ifaces {
		close(is.done)
		errs = append(errs, is.conn.Close())
	}
	return errors.Join(errs...)
}

func (s *Sender) iface(ifindex int) (*ifaceSender, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrSenderClosed
	}
	if is := s.ifaces[ifindex]; is != nil {
		return is, nil
	}
	ifi, err := net.InterfaceByIndex(ifindex)
	if err != nil {
		return nil, fmt.Errorf("announce: interface %d: %w", ifindex, err)
	}
	// Protocol 0: the socket only sends and never receives a frame.
	conn, err := packet.Listen(ifi, packet.Raw, 0, nil)
	if err != nil {
		return nil, fmt.Errorf("announce iface %s: open AF_PACKET socket: %w", ifi.Name, err)
	}
	is := &ifaceSender{name: ifi.Name, conn: conn, queue: make(chan []byte, s.queueLen), done: make(chan struct{})}
	s.ifaces[ifindex] = is
	go s.run(is)
	return is, nil
}

// run drains one interface's queue, spacing frames with its pacers.
func (s *Sender) run(is *ifaceSender) {
	timer := time.NewTimer(0)
	<-timer.C
	for {
		var frame []byte
		select {
		case frame = <-is.queue:
		case <-is.done:
			return
		}
		is.mu.Lock()
		p := &is.garp
		if binary.BigEndian.Uint16(frame[12:14]) == EtherTypeIPv6 {
			p = &is.gna
		}
		at := p.Reserve(time.Now())
		is.mu.Unlock()
		if d := time.Until(at); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-is.done:
				return
			}
		}
		dst := net.HardwareAddr(frame[0:6])
		_ = is.conn.SetWriteDeadline(time.Now().Add(100 * time.Millisecond))
		if _, err := is.conn.WriteTo(frame, &packet.Addr{HardwareAddr: dst}); err != nil {
			s.errs.Add(1)
			s.log.Warn("announce send failed", "iface", is.name, "reason", err.Error())
			continue
		}
		s.sent.Add(1)
	}
}
