package check

import (
	"context"
	"net/netip"
)

// TCPProber is TCP_CHECK: success is an established connection, closed at
// once (check_tcp.c).
type TCPProber struct {
	Conn   Conn
	Target netip.AddrPort // Conn.Target(real server)
}

// NewTCP builds a TCP_CHECK prober for the real server rs.
func NewTCP(rs netip.AddrPort, c Conn) *TCPProber {
	return &TCPProber{Conn: c, Target: c.Target(rs)}
}

// Probe connects and closes.
func (p *TCPProber) Probe(ctx context.Context) Outcome {
	if err := p.Conn.connectOnly(ctx, p.Target); err != nil {
		return Fail(err)
	}
	return Outcome{}
}
