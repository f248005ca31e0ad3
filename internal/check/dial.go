package check

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"time"
)

// dialer builds a net.Dialer honouring bindto, bind_port, bind_if and fwmark.
func (c Conn) dialer() *net.Dialer {
	// No TCP keepalive: checker connections are short-lived, and enabling it
	// costs three setsockopt calls per probe (keepalived does not set it either).
	d := &net.Dialer{Timeout: c.timeout(), Control: c.control, KeepAlive: -1}
	if c.BindTo.IsValid() || c.BindPort != 0 {
		ip := c.BindTo
		if !ip.IsValid() {
			ip = netip.IPv6Unspecified()
		}
		d.LocalAddr = &net.TCPAddr{IP: ip.AsSlice(), Port: int(c.BindPort), Zone: c.BindIf}
	}
	return d
}

func (c Conn) timeout() time.Duration {
	if c.ConnectTimeout > 0 {
		return c.ConnectTimeout
	}
	return DefaultConnectTimeout
}

// dialTCP connects to target with the connection options.
func (c Conn) dialTCP(ctx context.Context, target netip.AddrPort) (net.Conn, error) {
	conn, err := c.dialer().DialContext(ctx, "tcp", target.String())
	if err != nil {
		return nil, fmt.Errorf("connect %s: %w", target, err)
	}
	return conn, nil
}

// dialUDP opens a connected UDP socket to target with the connection options.
func (c Conn) dialUDP(ctx context.Context, target netip.AddrPort) (*net.UDPConn, error) {
	d := c.dialer()
	if d.LocalAddr != nil {
		la := d.LocalAddr.(*net.TCPAddr)
		d.LocalAddr = &net.UDPAddr{IP: la.IP, Port: la.Port, Zone: la.Zone}
	}
	conn, err := d.DialContext(ctx, "udp", target.String())
	if err != nil {
		return nil, fmt.Errorf("udp %s: %w", target, err)
	}
	return conn.(*net.UDPConn), nil
}

// stepDeadline sets a deadline of one connect_timeout from now, as keepalived
// re-arms connect_timeout for every read and write.
func (c Conn) stepDeadline(conn net.Conn) {
	_ = conn.SetDeadline(time.Now().Add(c.timeout()))
}
