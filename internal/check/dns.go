package check

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/netip"
	"strings"

	"golang.org/x/net/dns/dnsmessage"
)

// dnsTypes are the type keywords DNS_CHECK accepts (check_dns.c).
var dnsTypes = map[string]dnsmessage.Type{
	"A": dnsmessage.TypeA, "NS": dnsmessage.TypeNS, "CNAME": dnsmessage.TypeCNAME,
	"SOA": dnsmessage.TypeSOA, "MX": dnsmessage.TypeMX, "TXT": dnsmessage.TypeTXT,
	"AAAA": dnsmessage.TypeAAAA, "RRSIG": dnsmessage.Type(46), "DNSKEY": dnsmessage.Type(48),
}

// DNSProber is DNS_CHECK: one UDP query with RD set; success when a reply
// with the query's ID has QR set and RCODE 0 (check_dns.c, RFC 1035 §4.1.1).
// Datagrams with another ID or without QR are ignored, as keepalived does.
type DNSProber struct {
	Conn   Conn
	Target netip.AddrPort
	qtype  dnsmessage.Type
	name   dnsmessage.Name
}

// NewDNS builds a DNS_CHECK prober; type defaults to SOA, name to ".",
// the port to 53.
func NewDNS(rs netip.AddrPort, o DNSOptions) (*DNSProber, error) {
	typ := strings.ToUpper(o.Type)
	if typ == "" {
		typ = "SOA"
	}
	qt, ok := dnsTypes[typ]
	if !ok {
		return nil, fmt.Errorf("DNS_CHECK: unknown type %q", o.Type)
	}
	name := o.Name
	if name == "" {
		name = "."
	}
	if !strings.HasSuffix(name, ".") {
		name += "."
	}
	n, err := dnsmessage.NewName(name)
	if err != nil {
		return nil, fmt.Errorf("DNS_CHECK: name %q: %w", o.Name, err)
	}
	t := o.Target(rs)
	if t.Port() == 0 {
		t = netip.AddrPortFrom(t.Addr(), 53)
	}
	return &DNSProber{Conn: o.Conn, Target: t, qtype: qt, name: n}, nil
}

// BuildDNSQuery returns the query message for id.
func (p *DNSProber) BuildDNSQuery(id uint16) ([]byte, error) {
	b := dnsmessage.NewBuilder(nil, dnsmessage.Header{ID: id, RecursionDesired: true})
	if err := b.StartQuestions(); err != nil {
		return nil, err
	}
	if err := b.Question(dnsmessage.Question{Name: p.name, Type: p.qtype, Class: dnsmessage.ClassINET}); err != nil {
		return nil, err
	}
	return b.Finish()
}

// CheckDNSReply validates a reply to query id: nil for a usable answer,
// errIgnore for a datagram that is not our reply, or the failure.
func CheckDNSReply(b []byte, id uint16) error {
	var p dnsmessage.Parser
	h, err := p.Start(b)
	if err != nil {
		return errIgnore
	}
	if h.ID != id {
		return errIgnore
	}
	if !h.Response {
		// keepalived ignores a datagram without QR and keeps waiting.
		return errIgnore
	}
	if h.RCode != dnsmessage.RCodeSuccess {
		return fmt.Errorf("DNS RCODE=%s", h.RCode)
	}
	return nil
}

// errIgnore marks a datagram to skip.
var errIgnore = errors.New("not our reply")

// Probe sends the query and waits up to connect_timeout for the reply.
func (p *DNSProber) Probe(ctx context.Context) Outcome {
	id := uint16(rand.Uint32())
	q, err := p.BuildDNSQuery(id)
	if err != nil {
		return Fail(fmt.Errorf("DNS query: %w", err))
	}
	conn, err := p.Conn.dialUDP(ctx, p.Target)
	if err != nil {
		return Fail(err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	p.Conn.stepDeadline(conn)
	if _, err := conn.Write(q); err != nil {
		return Fail(fmt.Errorf("DNS send: %w", err))
	}
	buf := make([]byte, 4096)
	for {
		n, err := conn.Read(buf)
		if err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				return Fail(errors.New("DNS timeout"))
			}
			return Fail(fmt.Errorf("DNS read: %w", err))
		}
		switch err := CheckDNSReply(buf[:n], id); {
		case err == nil:
			return Outcome{}
		case errors.Is(err, errIgnore):
			continue
		default:
			return Fail(err)
		}
	}
}
