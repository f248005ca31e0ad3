package check

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"net"
	"net/netip"
)

// defaultUDPPayloadLen is the length of the random payload sent when none is
// configured.
const defaultUDPPayloadLen = 16

// UDPProber is UDP_CHECK (check_udp.c): it sends the payload on a connected
// socket and waits connect_timeout. An ICMP error (reported as
// ECONNREFUSED/EHOSTUNREACH on the socket) fails the check. With
// require_reply a reply is needed, its length within
// [min_reply_length, max_reply_length] and, with a pattern, matching it;
// without require_reply silence until the timeout is success.
type UDPProber struct {
	Conn   Conn
	Target netip.AddrPort
	opts   UDPOptions
}

// NewUDP builds a UDP_CHECK prober.
func NewUDP(rs netip.AddrPort, o UDPOptions) *UDPProber {
	if o.MaxReplyLength == 0 {
		o.MaxReplyLength = 255
	}
	return &UDPProber{Conn: o.Conn, Target: o.Target(rs), opts: o}
}

// Probe sends and evaluates the answer.
func (p *UDPProber) Probe(ctx context.Context) Outcome {
	payload := p.opts.Payload
	if len(payload) == 0 {
		payload = make([]byte, defaultUDPPayloadLen)
		_, _ = rand.Read(payload)
	}
	conn, err := p.Conn.dialUDP(ctx, p.Target)
	if err != nil {
		return Fail(err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	p.Conn.stepDeadline(conn)
	if _, err := conn.Write(payload); err != nil {
		return Fail(fmt.Errorf("UDP send: %w", err))
	}
	buf := make([]byte, 65536)
	n, err := conn.Read(buf)
	if err != nil {
		var ne net.Error
		if errors.As(err, &ne) && ne.Timeout() {
			if p.opts.RequireReply {
				return Fail(errors.New("UDP no reply"))
			}
			return Outcome{}
		}
		return Fail(fmt.Errorf("UDP: %w", err))
	}
	if !p.opts.RequireReply {
		return Outcome{}
	}
	return Outcome{Err: CheckUDPReply(buf[:n], p.opts)}
}

// CheckUDPReply applies require_reply's length limits and pattern.
func CheckUDPReply(reply []byte, o UDPOptions) error {
	maxLen := o.MaxReplyLength
	if maxLen == 0 {
		maxLen = 255
	}
	if len(reply) < o.MinReplyLength || len(reply) > maxLen {
		return fmt.Errorf("UDP reply length %d outside %d-%d", len(reply), o.MinReplyLength, maxLen)
	}
	if o.ReplyPattern != nil && !o.ReplyPattern.Match(reply) {
		return fmt.Errorf("UDP reply % x does not match require_reply", reply[:min(len(reply), 32)])
	}
	return nil
}
