package check

import (
	"errors"
	"fmt"
	"net/netip"
)

// Deps are resources shared between checkers.
type Deps struct {
	// Pinger serves every PING_CHECK; required when one is configured.
	Pinger *Pinger
}

// BuildSpecs turns one checker block into scheduler Specs for the real
// server rs. opts is one of TCPOptions, HTTPOptions (SSL_GET when TLS is
// set), MiscOptions, SMTPOptions (one Spec per host{}), DNSOptions,
// UDPOptions, PingOptions or FileOptions; sched is the cascaded schedule
// (start from DefaultSchedule). connect_timeout from sched fills the
// checker's Conn when the block did not set it.
func BuildSpecs(rs netip.AddrPort, sched Schedule, opts any, deps Deps) ([]Spec, error) {
	fill := func(c *Conn) {
		if c.ConnectTimeout == 0 {
			c.ConnectTimeout = sched.ConnectTimeout
		}
	}
	one := func(k Kind, p Prober) []Spec { return []Spec{{Kind: k, Prober: p, Schedule: sched}} }
	switch o := opts.(type) {
	case TCPOptions:
		fill(&o.Conn)
		return one(KindTCP, NewTCP(rs, o.Conn)), nil
	case HTTPOptions:
		fill(&o.Conn)
		p, err := NewHTTP(rs, o)
		if err != nil {
			return nil, err
		}
		k := KindHTTP
		if o.TLS != nil {
			k = KindSSL
		}
		sp := one(k, p)
		sp[0].FastRecovery = o.FastRecovery
		return sp, nil
	case MiscOptions:
		p, err := NewMisc(o, sched.DelayLoop)
		if err != nil {
			return nil, err
		}
		return one(KindMisc, p), nil
	case SMTPOptions:
		fill(&o.Conn)
		var out []Spec
		for i, p := range NewSMTP(rs, o) {
			out = append(out, Spec{Name: fmt.Sprintf("%s[%d]", KindSMTP, i), Kind: KindSMTP, Prober: p, Schedule: sched})
		}
		return out, nil
	case DNSOptions:
		fill(&o.Conn)
		p, err := NewDNS(rs, o)
		if err != nil {
			return nil, err
		}
		return one(KindDNS, p), nil
	case UDPOptions:
		fill(&o.Conn)
		return one(KindUDP, NewUDP(rs, o)), nil
	case PingOptions:
		if deps.Pinger == nil {
			return nil, errors.New("PING_CHECK: no Pinger (check.OpenPinger) in Deps")
		}
		fill(&o.Conn)
		return one(KindPing, NewPing(deps.Pinger, rs.Addr(), o.Conn)), nil
	case FileOptions:
		p, err := NewFile(o)
		if err != nil {
			return nil, err
		}
		return one(KindFile, p), nil
	}
	return nil, fmt.Errorf("check: unsupported checker options %T", opts)
}
