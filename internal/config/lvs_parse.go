package config

import (
	"math"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Defaults of the checker process (check_data.c alloc_vs(), alloc_rs(); IPVS_SVC_PERSISTENT_TIMEOUT).
const (
	defaultDelayLoop          = 60 * time.Second
	defaultConnectTimeout     = 5 * time.Second
	defaultPersistenceTimeout = 360 * time.Second
	defaultQuorum             = 1
	defaultRSWeight           = 1
	// maxTimer bounds every checker timer; keepalived stores them in µs in an unsigned long.
	maxTimer = 1e9 * time.Second
	// maxIPVSWeight is the largest weight the IPVS netlink API carries (a signed 32-bit value).
	maxIPVSWeight = math.MaxInt32
)

// timingKeywords are the timer keywords shared by virtual_server, real_server and the checkers.
// withConnect adds connect_timeout, which MISC_CHECK does not have.
func (p *parser) timingKeywords(t *Timing, withConnect bool) keywords {
	kws := keywords{
		"delay_loop": func(n *syntax.Node) {
			var d time.Duration
			if p.seconds(n, 1, time.Microsecond, maxTimer, &d) {
				t.DelayLoop.set(d)
			}
		},
		"retry": func(n *syntax.Node) {
			var v int
			if p.integer(n, 1, 0, math.MaxUint32, &v) {
				t.Retry.set(v)
			}
		},
		"delay_before_retry": func(n *syntax.Node) {
			var d time.Duration
			if p.seconds(n, 1, 0, maxTimer, &d) {
				t.DelayBeforeRetry.set(d)
			}
		},
		"warmup": func(n *syntax.Node) {
			var d time.Duration
			if p.seconds(n, 1, 0, maxTimer, &d) {
				t.Warmup.set(d)
			}
		},
	}
	if withConnect {
		kws["connect_timeout"] = func(n *syntax.Node) {
			var d time.Duration
			if p.seconds(n, 1, time.Microsecond, maxTimer, &d) {
				t.ConnectTimeout.set(d)
			}
		}
	}
	return kws
}

// sslBlock parses "SSL { password; ca; certificate; key }" (check_parser.c ssl_handler()).
func (p *parser) sslBlock(n *syntax.Node) {
	if p.cfg.SSL != nil {
		p.warnf(n, "SSL context already specified - replacing")
	}
	s := &SSLContext{Pos: n.Pos}
	p.cfg.SSL = s
	p.block(n, keywords{
		"password":    func(n *syntax.Node) { p.str(n, &s.Password) },
		"ca":          func(n *syntax.Node) { p.str(n, &s.CA) },
		"certificate": func(n *syntax.Node) { p.str(n, &s.Certificate) },
		"key":         func(n *syntax.Node) { p.str(n, &s.Key) },
	})
}

// vsgBlock parses "virtual_server_group NAME { entries }". Its lines are values, not keywords.
func (p *parser) vsgBlock(n *syntax.Node) {
	name, ok := p.arg(n, 1)
	if !ok {
		return
	}
	if !n.HasBlock {
		p.errorf(n, "'virtual_server_group %s' expects a block", name)
		return
	}
	if p.cfg.VirtualServerGroup(name) != nil {
		p.errorf(n, "virtual_server_group %s is already defined - ignoring this one", name)
		return
	}
	g := &VirtualServerGroup{Pos: n.Pos, Name: name}
	for _, e := range n.Block {
		if ent, ok := p.vsgEntry(e); ok {
			g.Entries = append(g.Entries, ent)
		}
	}
	if len(g.Entries) == 0 {
		p.warnf(n, "virtual server group %s has no entries - removing", name)
		return
	}
	fam := AFUnspec
	for _, e := range g.Entries {
		if e.IsFwmark {
			continue
		}
		if fam == AFUnspec {
			fam = e.Family
		} else if fam != e.Family {
			p.report(e.Pos, syntax.Error, "virtual server group %s mixes IPv4 and IPv6 addresses", name)
		}
	}
	p.cfg.VirtualServerGroups = append(p.cfg.VirtualServerGroups, g)
}

// vsgEntry parses one group line: "IP [PORT]", "IP-END [PORT]", "IP/LEN [PORT]" or
// "fwmark N [inet|inet6]".
func (p *parser) vsgEntry(n *syntax.Node) (VSGEntry, bool) {
	e := VSGEntry{Pos: n.Pos}
	if n.HasBlock {
		p.errorf(n, "virtual_server_group entry '%s' cannot have a block", n.Keyword())
		return e, false
	}
	if n.Keyword() == "fwmark" {
		e.IsFwmark = true
		v, ok := p.u32(n, 1, 1, math.MaxUint32)
		if !ok {
			return e, false
		}
		e.Fwmark = v
		if len(n.Args) > 2 {
			switch n.Args[2] {
			case "inet":
				e.Family = AFInet
			case "inet6":
				e.Family = AFInet6
			default:
				p.errorf(n, "virtual_server_group fwmark expects inet|inet6 after the mark, found '%s'", n.Args[2])
				return e, false
			}
		}
		if len(n.Args) > 3 {
			p.errorf(n, "virtual_server_group fwmark has unexpected words '%s'", strings.Join(n.Args[3:], " "))
		}
		return e, true
	}
	first, last, ok := parseAddrRange(n.Keyword())
	if !ok {
		p.errorf(n, "virtual_server_group entry expects IP, IP-END, IP/LEN or 'fwmark N', found '%s'", n.Keyword())
		return e, false
	}
	e.First, e.Last, e.Family = first, last, afOf(first)
	if len(n.Args) > 1 {
		port, ok := parsePort(n.Args[1])
		if !ok {
			p.errorf(n, "virtual_server_group entry %s expects a port in [0, 65535], found '%s'", n.Keyword(), n.Args[1])
			return e, false
		}
		e.Port = port
	}
	if len(n.Args) > 2 {
		p.errorf(n, "virtual_server_group entry %s has unexpected words '%s'", n.Keyword(), strings.Join(n.Args[2:], " "))
	}
	return e, true
}

// parseAddrRange parses "IP", "a.b.c.d-e" (last IPv4 octet, decimal), "v6::a-b" (last group, hex),
// "IP-IP" and "IP/LEN". The range may vary only in the last IPv4 octet or IPv6 group, as keepalived
// keeps a range as a base address and an end value for that part.
func parseAddrRange(s string) (first, last netip.Addr, ok bool) {
	if a, err := netip.ParseAddr(s); err == nil {
		return a, a, true
	}
	if strings.Contains(s, "/") {
		pfx, err := netip.ParsePrefix(s)
		if err != nil {
			return first, last, false
		}
		minBits := 24
		if pfx.Addr().Is6() {
			minBits = 112
		}
		if pfx.Bits() < minBits {
			return first, last, false
		}
		first = pfx.Masked().Addr()
		b := first.AsSlice()
		host := pfx.Addr().BitLen() - pfx.Bits()
		for i := len(b) - 1; host > 0; i-- {
			m := byte(0xff)
			if host < 8 {
				m = byte(1<<host - 1)
			}
			b[i] |= m
			host -= 8
		}
		last, _ = netip.AddrFromSlice(b)
		return first, last, true
	}
	i := strings.LastIndexByte(s, '-')
	if i <= 0 {
		return first, last, false
	}
	first, err := netip.ParseAddr(s[:i])
	if err != nil || first.Zone() != "" {
		return first, last, false
	}
	end := s[i+1:]
	if a, err := netip.ParseAddr(end); err == nil {
		last = a
	} else {
		b := first.AsSlice()
		if first.Is4() {
			v, ok := parseUintBase(end, 10, 255)
			if !ok {
				return first, last, false
			}
			b[3] = byte(v)
		} else {
			v, ok := parseUintBase(end, 16, 0xffff)
			if !ok {
				return first, last, false
			}
			b[14], b[15] = byte(v>>8), byte(v)
		}
		last, _ = netip.AddrFromSlice(b)
	}
	if first.Is4() != last.Is4() || last.Less(first) {
		return first, last, false
	}
	// Only the last octet (IPv4) or 16-bit group (IPv6) may differ.
	fb, lb := first.AsSlice(), last.AsSlice()
	keep := len(fb) - 1
	if first.Is6() {
		keep = len(fb) - 2
	}
	if !slices.Equal(fb[:keep], lb[:keep]) {
		return first, last, false
	}
	return first, last, true
}

// parseUintBase parses a non-empty unsigned number in base that is at most hi.
func parseUintBase(s string, base int, hi uint64) (uint64, bool) {
	if s == "" || len(s) > 5 {
		return 0, false
	}
	var v uint64
	for i := 0; i < len(s); i++ {
		c := s[i]
		var d uint64
		switch {
		case c >= '0' && c <= '9':
			d = uint64(c - '0')
		case base == 16 && c >= 'a' && c <= 'f':
			d = uint64(c-'a') + 10
		case base == 16 && c >= 'A' && c <= 'F':
			d = uint64(c-'A') + 10
		default:
			return 0, false
		}
		v = v*uint64(base) + d
	}
	return v, v <= hi
}

// vsBlock parses "virtual_server IP [PORT] | fwmark N | group NAME { … }" (check_data.c alloc_vs()).
func (p *parser) vsBlock(n *syntax.Node) {
	vs := &VirtualServer{Pos: n.Pos, Protocol: ProtoTCP, Scheduler: SchedWLC, Quorum: defaultQuorum}
	what, ok := p.arg(n, 1)
	if !ok {
		return
	}
	switch what {
	case "fwmark":
		vs.Kind = VSByFwmark
		s, ok := p.arg(n, 2)
		if !ok {
			return
		}
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil || v == 0 {
			p.errorf(n, "'virtual_server fwmark' expects a mark in [1, 4294967295], found '%s'", s)
			return
		}
		vs.Fwmark = uint32(v)
	case "group":
		vs.Kind = VSByGroup
		g, ok := p.arg(n, 2)
		if !ok {
			return
		}
		vs.Group = g
	default:
		a, err := netip.ParseAddr(what)
		if err != nil {
			p.errorf(n, "'virtual_server' expects IP [PORT], 'fwmark N' or 'group NAME', found '%s'", what)
			return
		}
		vs.Addr, vs.Family = a, afOf(a)
		if len(n.Args) > 2 {
			port, ok := p.port(n, 2)
			if !ok {
				return
			}
			vs.Port = port
		}
	}
	max := 3
	if vs.Kind == VSByAddr && len(n.Args) == 2 {
		max = 2
	}
	if len(n.Args) > max {
		p.errorf(n, "'virtual_server %s' has unexpected words '%s'", strings.Join(n.Args[1:max], " "), strings.Join(n.Args[max:], " "))
	}
	if !n.HasBlock {
		p.errorf(n, "'virtual_server %s' expects a block", vs.Name())
		return
	}
	p.walk(n.Block, p.vsKeywords(vs))
	p.cfg.VirtualServers = append(p.cfg.VirtualServers, vs)
}

// vsKeywords are the keywords inside a virtual_server block.
func (p *parser) vsKeywords(vs *VirtualServer) keywords {
	sched := func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		if !slices.Contains(schedulers, Scheduler(s)) {
			p.errorf(n, "'%s' expects one of rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos, found '%s'", n.Keyword(), s)
			return
		}
		vs.Scheduler = Scheduler(s)
	}
	flag := func(f SchedFlags) func(*syntax.Node) {
		return func(n *syntax.Node) { vs.SchedFlags |= f }
	}
	shFlag := func(f SchedFlags, want Scheduler) func(*syntax.Node) {
		return func(n *syntax.Node) {
			// Checked against the final scheduler in finishLVS, so the order of the lines does not matter.
			vs.schedOnly = append(vs.schedOnly, schedOnlyFlag{n: n, flag: f, sched: want})
		}
	}
	fwd := func(n *syntax.Node) {
		if f, ok := p.forwarding(n); ok {
			vs.Forwarding = f
		}
	}
	kws := keywords{
		"ip_family": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			var f AddrFamily
			switch s {
			case "inet":
				f = AFInet
			case "inet6":
				f = AFInet6
			default:
				p.errorf(n, "'ip_family' expects inet|inet6, found '%s'", s)
				return
			}
			if vs.Family != AFUnspec && vs.Family != f {
				p.errorf(n, "virtual server %s: ip_family %s conflicts with the server family %s", vs.Name(), f, vs.Family)
				return
			}
			vs.Family = f
			vs.familyPos = n
		},
		"inhibit_on_failure": func(n *syntax.Node) { p.boolean(n, &vs.InhibitOnFailure) },
		"lb_algo":            sched,
		"lvs_sched":          sched,
		"hashed":             flag(FlagHashed),
		"ops":                flag(FlagOnePacket),
		"flag-1":             flag(FlagSched1),
		"flag-2":             flag(FlagSched2),
		"flag-3":             flag(FlagSched3),
		"sh-fallback":        shFlag(FlagSched1, SchedSH),
		"sh-port":            shFlag(FlagSched2, SchedSH),
		"mh-fallback":        shFlag(FlagSched1, SchedMH),
		"mh-port":            shFlag(FlagSched2, SchedMH),
		"lb_kind":            fwd,
		"lvs_method":         fwd,
		"persistence_engine": func(n *syntax.Node) { p.str(n, &vs.PersistenceEngine) },
		"persistence_timeout": func(n *syntax.Node) {
			if len(n.Args) < 2 {
				vs.PersistenceTimeout = defaultPersistenceTimeout
				return
			}
			if v, ok := p.u32(n, 1, 1, math.MaxUint32); ok {
				vs.PersistenceTimeout = time.Duration(v) * time.Second
			}
		},
		"persistence_granularity": func(n *syntax.Node) { p.persistenceGranularity(n, vs) },
		"protocol": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			switch strings.ToUpper(s) {
			case "TCP":
				vs.Protocol = ProtoTCP
			case "UDP":
				vs.Protocol = ProtoUDP
			case "SCTP":
				vs.Protocol = ProtoSCTP
			default:
				p.errorf(n, "'protocol' expects TCP|UDP|SCTP, found '%s'", s)
				return
			}
			vs.protoPos = n
		},
		"ha_suspend":  func(n *syntax.Node) { p.boolean(n, &vs.HASuspend) },
		"smtp_alert":  func(n *syntax.Node) { p.flagOpt(n, &vs.SMTPAlert) },
		"virtualhost": func(n *syntax.Node) { p.str(n, &vs.Virtualhost) },
		"snmp_name":   func(n *syntax.Node) { p.str(n, &vs.SNMPName) },
		"alpha":       func(n *syntax.Node) { p.boolean(n, &vs.Alpha) },
		"omega":       func(n *syntax.Node) { p.boolean(n, &vs.Omega) },
		"quorum_up": func(n *syntax.Node) {
			if vs.QuorumUp != nil {
				p.warnf(n, "virtual server %s: quorum_up script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			vs.QuorumUp = p.checkScript(n)
		},
		"quorum_down": func(n *syntax.Node) {
			if vs.QuorumDown != nil {
				p.warnf(n, "virtual server %s: quorum_down script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			vs.QuorumDown = p.checkScript(n)
		},
		"quorum": func(n *syntax.Node) { p.integer(n, 1, 1, math.MaxUint32, &vs.Quorum) },
		"hysteresis": func(n *syntax.Node) {
			p.integer(n, 1, 0, math.MaxUint32, &vs.Hysteresis)
		},
		"weight": func(n *syntax.Node) {
			var w int
			if p.integer(n, 1, 0, maxIPVSWeight, &w) {
				vs.Weight.set(w)
			}
		},
		"sorry_server": func(n *syntax.Node) { p.sorryServer(n, vs) },
		"sorry_server_inhibit": func(n *syntax.Node) {
			if vs.SorryServer == nil {
				p.errorf(n, "'sorry_server_inhibit' used before or without 'sorry_server' - ignoring")
				return
			}
			p.boolean(n, &vs.SorryServer.Inhibit)
		},
		"sorry_server_lvs_method": func(n *syntax.Node) {
			if vs.SorryServer == nil {
				p.errorf(n, "'sorry_server_lvs_method' used before or without 'sorry_server' - ignoring")
				return
			}
			if f, ok := p.forwarding(n); ok {
				vs.SorryServer.Forwarding, vs.SorryServer.forwardingSet = f, true
			}
		},
		"real_server": func(n *syntax.Node) { p.rsBlock(n, vs) },
	}
	kws.merge(p.timingKeywords(&vs.Timing, true))
	return kws
}

// persistenceGranularity parses an IPv4 netmask or an IPv6 prefix length (check_parser.c pgr_handler()).
func (p *parser) persistenceGranularity(n *syntax.Node, vs *VirtualServer) {
	s, ok := p.arg(n, 1)
	if !ok {
		return
	}
	fam := vs.Family
	if fam == AFUnspec {
		fam = AFInet6
		if strings.Contains(s, ".") {
			fam = AFInet
		}
	}
	if fam == AFInet6 {
		v, ok := parseUintBase(s, 10, 128)
		if !ok || v < 1 {
			p.errorf(n, "'persistence_granularity' expects an IPv6 prefix length in [1, 128], found '%s'", s)
			return
		}
		vs.PersistenceGranularity = int(v)
	} else {
		a, err := netip.ParseAddr(s)
		if err != nil || !a.Is4() {
			p.errorf(n, "'persistence_granularity' expects an IPv4 netmask, found '%s'", s)
			return
		}
		b := a.As4()
		m := uint32(b[0])<<24 | uint32(b[1])<<16 | uint32(b[2])<<8 | uint32(b[3])
		bits := 0
		for bits < 32 && m&(1<<(31-bits)) != 0 {
			bits++
		}
		if bits == 32 && m != math.MaxUint32 || bits < 32 && m<<bits != 0 || bits == 0 {
			p.errorf(n, "IPv4 persistence_granularity netmask is not solid - %s", s)
			return
		}
		vs.PersistenceGranularity = bits
	}
	if vs.PersistenceTimeout == 0 {
		vs.PersistenceTimeout = defaultPersistenceTimeout
	}
}

// sorryServer parses "sorry_server IP [PORT]".
func (p *parser) sorryServer(n *syntax.Node, vs *VirtualServer) {
	a, ok := p.addr(n, 1)
	if !ok {
		return
	}
	ss := &SorryServer{Pos: n.Pos, Addr: a}
	if len(n.Args) > 2 {
		port, ok := p.port(n, 2)
		if !ok {
			return
		}
		ss.Port = port
	}
	if vs.SorryServer != nil {
		p.warnf(n, "virtual server %s: sorry_server already specified - replacing", vs.Name())
	}
	vs.SorryServer = ss
}

// rsBlock parses "real_server IP [PORT] { … }" (check_data.c alloc_rs()).
func (p *parser) rsBlock(n *syntax.Node, vs *VirtualServer) {
	a, ok := p.addr(n, 1)
	if !ok {
		return
	}
	rs := &RealServer{Pos: n.Pos, Addr: a, Weight: defaultRSWeight}
	if len(n.Args) > 2 {
		port, ok := p.port(n, 2)
		if !ok {
			return
		}
		rs.Port = port
	}
	if len(n.Args) > 3 {
		p.errorf(n, "'real_server' has unexpected words '%s'", strings.Join(n.Args[3:], " "))
	}
	if n.HasBlock {
		p.walk(n.Block, p.rsKeywords(vs, rs))
	}
	vs.RealServers = append(vs.RealServers, rs)
}

// rsKeywords are the keywords inside a real_server block, checkers included.
func (p *parser) rsKeywords(vs *VirtualServer, rs *RealServer) keywords {
	kws := keywords{
		"weight": func(n *syntax.Node) { p.integer(n, 1, 0, maxIPVSWeight, &rs.Weight) },
		"lvs_method": func(n *syntax.Node) {
			if f, ok := p.forwarding(n); ok {
				rs.Forwarding.set(f)
			}
		},
		"uthreshold": func(n *syntax.Node) {
			if v, ok := p.u32(n, 1, 0, math.MaxUint32); ok {
				rs.UThreshold = v
			}
		},
		"lthreshold": func(n *syntax.Node) {
			if v, ok := p.u32(n, 1, 0, math.MaxUint32); ok {
				rs.LThreshold = v
			}
		},
		"inhibit_on_failure": func(n *syntax.Node) { p.flagOpt(n, &rs.InhibitOnFailure) },
		"notify_up": func(n *syntax.Node) {
			if rs.NotifyUp != nil {
				p.warnf(n, "virtual server %s: notify_up script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			rs.NotifyUp = p.checkScript(n)
		},
		"notify_down": func(n *syntax.Node) {
			if rs.NotifyDown != nil {
				p.warnf(n, "virtual server %s: notify_down script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			rs.NotifyDown = p.checkScript(n)
		},
		"alpha":       func(n *syntax.Node) { p.flagOpt(n, &rs.Alpha) },
		"smtp_alert":  func(n *syntax.Node) { p.flagOpt(n, &rs.SMTPAlert) },
		"virtualhost": func(n *syntax.Node) { p.str(n, &rs.Virtualhost) },
		"snmp_name":   func(n *syntax.Node) { p.str(n, &rs.SNMPName) },
	}
	kws.merge(p.timingKeywords(&rs.Timing, true))
	kws.merge(p.checkerKeywords(rs))
	return kws
}
