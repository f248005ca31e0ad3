package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
)

// Pinger owns one raw ICMP socket per address family, shared by every
// PING_CHECK; replies are matched to waiting probes by echo identifier and
// sequence number (RFC 792, RFC 4443 §4). keepalived uses one ping socket
// per check instead (check_ping.c); one socket per family keeps the file
// descriptor count flat at 10,000 real servers.
type Pinger struct {
	id     uint16
	c4, c6 *icmp.PacketConn

	mu      sync.Mutex
	seq     uint16
	waiters map[uint16]*pingWait
	closed  bool
	wg      sync.WaitGroup
}

type pingWait struct {
	dst  netip.Addr
	done chan struct{}
}

// OpenPinger opens the raw sockets (root or CAP_NET_RAW). A family that
// cannot be opened is left out; it is an error only when both fail.
func OpenPinger() (*Pinger, error) {
	p := &Pinger{id: uint16(os.Getpid()), waiters: map[uint16]*pingWait{}}
	var err4, err6 error
	p.c4, err4 = icmp.ListenPacket("ip4:icmp", "0.0.0.0")
	p.c6, err6 = icmp.ListenPacket("ip6:ipv6-icmp", "::")
	if p.c4 == nil && p.c6 == nil {
		return nil, fmt.Errorf("PING_CHECK: raw ICMP sockets: %w", errors.Join(err4, err6))
	}
	if p.c6 != nil {
		// Only echo replies are of interest; the kernel filters the rest.
		var f ipv6.ICMPFilter
		f.SetAll(true)
		f.Accept(ipv6.ICMPTypeEchoReply)
		_ = p.c6.IPv6PacketConn().SetICMPFilter(&f)
	}
	for _, c := range []*icmp.PacketConn{p.c4, p.c6} {
		if c != nil {
			p.wg.Add(1)
			go p.read(c)
		}
	}
	return p, nil
}

// Close closes the sockets and waits for the readers.
func (p *Pinger) Close() error {
	p.mu.Lock()
	p.closed = true
	p.mu.Unlock()
	for _, c := range []*icmp.PacketConn{p.c4, p.c6} {
		if c != nil {
			_ = c.Close()
		}
	}
	p.wg.Wait()
	return nil
}

func (p *Pinger) read(c *icmp.PacketConn) {
	defer p.wg.Done()
	proto := 1 // ICMP
	if c == p.c6 {
		proto = 58 // ICMPv6
	}
	buf := make([]byte, 1500)
	for {
		n, from, err := c.ReadFrom(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			continue
		}
		id, seq, ok := parseEchoReply(proto, buf[:n])
		if !ok || id != p.id {
			continue
		}
		src, _ := netip.AddrFromSlice(from.(*net.IPAddr).IP)
		p.mu.Lock()
		if w := p.waiters[seq]; w != nil && w.dst == src.Unmap() {
			delete(p.waiters, seq)
			close(w.done)
		}
		p.mu.Unlock()
	}
}

// parseEchoReply extracts identifier and sequence from an echo reply.
func parseEchoReply(proto int, b []byte) (id, seq uint16, ok bool) {
	m, err := icmp.ParseMessage(proto, b)
	if err != nil {
		return 0, 0, false
	}
	if m.Type != ipv4.ICMPTypeEchoReply && m.Type != ipv6.ICMPTypeEchoReply {
		return 0, 0, false
	}
	e, isEcho := m.Body.(*icmp.Echo)
	if !isEcho {
		return 0, 0, false
	}
	return uint16(e.ID), uint16(e.Seq), true
}

// Ping sends one echo request to dst and waits for the reply until timeout.
func (p *Pinger) Ping(ctx context.Context, dst netip.Addr, timeout time.Duration) error {
	dst = dst.Unmap()
	c, typ := p.c4, icmp.Type(ipv4.ICMPTypeEcho)
	if dst.Is6() {
		c, typ = p.c6, ipv6.ICMPTypeEchoRequest
	}
	if c == nil {
		return fmt.Errorf("PING_CHECK %s: no raw socket for this family", dst)
	}
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return net.ErrClosed
	}
	// Find a free sequence number (at most 65536 probes can be in flight).
	for i := 0; ; i++ {
		p.seq++
		if p.waiters[p.seq] == nil {
			break
		}
		if i == 1<<16 {
			p.mu.Unlock()
			return errors.New("PING_CHECK: too many pings in flight")
		}
	}
	seq := p.seq
	w := &pingWait{dst: dst, done: make(chan struct{})}
	p.waiters[seq] = w
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		if p.waiters[seq] == w {
			delete(p.waiters, seq)
		}
		p.mu.Unlock()
	}()

	msg := icmp.Message{Type: typ, Body: &icmp.Echo{ID: int(p.id), Seq: int(seq), Data: []byte("gokeepalived-ping")}}
	b, err := msg.Marshal(nil) // the kernel computes the ICMPv6 checksum
	if err != nil {
		return fmt.Errorf("PING_CHECK: %w", err)
	}
	if _, err := c.WriteTo(b, &net.IPAddr{IP: dst.AsSlice()}); err != nil {
		return fmt.Errorf("PING_CHECK %s: send: %w", dst, err)
	}
	t := time.NewTimer(timeout)
	defer t.Stop()
	select {
	case <-w.done:
		return nil
	case <-t.C:
		return fmt.Errorf("PING_CHECK %s: no echo reply", dst)
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PingProber is PING_CHECK for one real server.
type PingProber struct {
	Pinger  *Pinger
	Target  netip.Addr
	Timeout time.Duration
}

// NewPing builds a PING_CHECK prober (connect_ip overrides the address).
func NewPing(p *Pinger, rs netip.Addr, c Conn) *PingProber {
	t := rs
	if c.ConnectIP.IsValid() {
		t = c.ConnectIP
	}
	return &PingProber{Pinger: p, Target: t, Timeout: c.timeout()}
}

// Probe pings once.
func (p *PingProber) Probe(ctx context.Context) Outcome {
	return Outcome{Err: p.Pinger.Ping(ctx, p.Target, p.Timeout)}
}
