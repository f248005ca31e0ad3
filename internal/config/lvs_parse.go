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
	// maxPersistence is keepalived's persistence_timeout limit (31 days).
	maxPersistence = 2678400
	// maxTimer bounds every checker timer; keepalived stores them in µs in an unsigned long.
	maxTimer = 1e9 * time.Second
	// maxConnectTimeout is keepalived's limit: µs in 32 bits.
	maxConnectTimeout = 4294967295 * time.Microsecond
	// maxIPVSWeight is the largest weight the IPVS netlink API carries (a signed 32-bit value).
	maxIPVSWeight = math.MaxInt32
)

// timingKeywords are the timer keywords shared by virtual_server, real_server and the checkers.
// withConnect adds connect_timeout, which MISC_CHECK does not have. retryMin is 1 for services and
// real servers and 0 for checkers, as in keepalived 2.2.7.
func (p *parser) timingKeywords(t *Timing, withConnect bool, retryMin int64) keywords {
	kws := keywords{
		"delay_loop": func(n *syntax.Node) {
			var d time.Duration
			if p.seconds(n, 1, time.Microsecond, maxTimer, &d) {
				t.DelayLoop.set(d)
			}
		},
		"retry": func(n *syntax.Node) {
			var v int
			if p.integer(n, 1, retryMin, math.MaxUint32, &v) {
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
			if p.seconds(n, 1, time.Microsecond, maxConnectTimeout, &d) {
				t.ConnectTimeout.set(d)
			}
		}
	}
	return kws
}

// sslBlock parses "SSL { password; ca; certificate; key }" (check_parser.c ssl_handler()).
func (p *parser) sslBlock(n *syntax.Node) {
	if p.cfg.SSL != nil {
		p.errorf(n, "SSL context already specified - replacing")
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
		// keepalived accepts a second group silently; lookups find the first one.
		p.infof(n, "virtual_server_group %s is already defined - this one is never used", name)
		return
	}
	g := &VirtualServerGroup{Pos: n.Pos, Name: name}
	for _, e := range n.Block {
		if ent, ok := p.vsgEntry(name, e); ok {
			g.Entries = append(g.Entries, ent)
		}
	}
	if len(g.Entries) == 0 {
		p.warnf(n, "virtual server group %s has no entries - removing", name)
		return
	}
	has4, has6, fwmNoFamily := false, false, false
	for _, e := range g.Entries {
		switch {
		case e.IsFwmark && e.Family == AFUnspec:
			fwmNoFamily = true
		case e.Family == AFInet:
			has4 = true
		case e.Family == AFInet6:
			has6 = true
		}
	}
	if has4 && has6 && fwmNoFamily {
		p.warnf(n, "virtual server group %s cannot have IPv4, IPv6 and fwmark without family - removing", name)
		return
	}
	p.cfg.VirtualServerGroups = append(p.cfg.VirtualServerGroups, g)
}

// vsgEntry parses one group line: "IP [PORT]", "IP-END [PORT]", "IP-IP [PORT]", "IP/LEN [PORT]" or
// "fwmark N [inet|inet6]" (check_data.c alloc_vsg_entry(), whose messages it uses). A port of 0 means
// none, as in keepalived.
func (p *parser) vsgEntry(g string, n *syntax.Node) (VSGEntry, bool) {
	e := VSGEntry{Pos: n.Pos}
	if n.HasBlock {
		p.errorf(n, "virtual_server_group %s: entry '%s' cannot have a block", g, n.Keyword())
		return e, false
	}
	if n.Keyword() == "fwmark" {
		e.IsFwmark = true
		s, _ := p.arg(n, 1)
		v, err := strconv.ParseUint(s, 10, 32)
		if err != nil {
			p.errorf(n, "(%s): fwmark '%s' must be in [0, %d] - ignoring", g, s, uint32(math.MaxUint32))
			return e, false
		}
		e.Fwmark = uint32(v)
		if len(n.Args) > 2 {
			switch n.Args[2] {
			case "inet":
				e.Family = AFInet
			case "inet6":
				e.Family = AFInet6
			default:
				p.errorf(n, "(%s): fwmark '%d' family %s unknown - ignoring", g, v, n.Args[2])
				return e, false
			}
		}
		return e, true
	}
	if len(n.Args) > 1 {
		port, ok := parsePort(n.Args[1])
		if !ok {
			p.errorf(n, "Invalid virtual server group IP address %s /port/%s - skipping", n.Keyword(), n.Args[1])
			return e, false
		}
		e.Port = port
	}
	first, last, msg := parseAddrRange(n.Keyword())
	if msg != "" {
		p.errorf(n, "%s", msg)
		return e, false
	}
	e.First, e.Last, e.Family = first, last, afOf(first)
	return e, true
}

// parseAddrRange parses a group address: "IP", "IP/LEN" (host bits must be zero), "a.b.c.d-e" (end of
// the last IPv4 octet, decimal), "v6::a-b" (end of the last IPv6 group, hex) or "IP-IP". It returns
// keepalived's message on failure.
func parseAddrRange(s string) (first, last netip.Addr, msg string) {
	bad := func() (netip.Addr, netip.Addr, string) {
		return netip.Addr{}, netip.Addr{}, "Invalid virtual server group IP address " + s + " - skipping"
	}
	if a, err := netip.ParseAddr(s); err == nil {
		return a, a, ""
	}
	if base, bitsStr, ok := strings.Cut(s, "/"); ok {
		a, err := netip.ParseAddr(base)
		if err != nil {
			return bad()
		}
		bits, ok := parseUintBase(bitsStr, 10, uint64(a.BitLen()))
		if !ok || bits == 0 {
			return first, last, "Invalid netmask - " + s + " - skipping"
		}
		pfx := netip.PrefixFrom(a, int(bits))
		if pfx.Masked().Addr() != a {
			return first, last, "Address mask bits not empty - " + s + " - skipping"
		}
		b := a.AsSlice()
		for i := int(bits); i < a.BitLen(); i++ {
			b[i/8] |= 0x80 >> (i % 8)
		}
		last, _ = netip.AddrFromSlice(b)
		return a, last, ""
	}
	i := strings.IndexByte(s, '-')
	if i <= 0 {
		return bad()
	}
	first, err := netip.ParseAddr(s[:i])
	if err != nil {
		return bad()
	}
	end := s[i+1:]
	if (first.Is4() && strings.Contains(end, ".")) || (first.Is6() && strings.Contains(end, ":")) {
		last, err = netip.ParseAddr(end)
		if err != nil {
			return first, last, "Invalid range end " + s + " - skipping"
		}
		if first.Is4() != last.Is4() {
			return first, last, "Range address families do not match " + s + " - skipping"
		}
		if last.Less(first) {
			return first, last, "Address range end is less than address range start - " + s + " - skipping"
		}
		return first, last, ""
	}
	b := first.AsSlice()
	var start, v uint64
	var ok bool
	if first.Is4() {
		start = uint64(b[3])
		v, ok = parseUintBase(end, 10, 255)
		b[3] = byte(v)
	} else {
		start = uint64(b[14])<<8 | uint64(b[15])
		v, ok = parseUintBase(end, 16, 0xffff)
		b[14], b[15] = byte(v>>8), byte(v)
	}
	if !ok {
		return first, last, "Virtual server group range '" + s + "' end '" + end + "' too large or invalid"
	}
	if start >= v {
		return first, last, "Address range end is not greater than address range start - " + s + " - skipping"
	}
	last, _ = netip.AddrFromSlice(b)
	return first, last, ""
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
	vs := &VirtualServer{Pos: n.Pos, Quorum: defaultQuorum, Weight: defaultRSWeight}
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
		// keepalived accepts 0 but then treats the service as an address service; refuse it.
		if err != nil || v == 0 {
			p.errorf(n, "virtual server fwmark '%s' must be in [1, %d] - ignoring", s, uint32(math.MaxUint32))
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
			p.errorf(n, "Invalid virtual server IP address %s - skipping (expected IP [PORT], 'fwmark N' or 'group NAME')", what)
			return
		}
		vs.Addr, vs.Family = a, afOf(a)
		if len(n.Args) > 2 {
			port, ok := parsePort(n.Args[2])
			if !ok {
				p.errorf(n, "Invalid virtual server IP address/port %s/%s - skipping", what, n.Args[2])
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
		// keepalived ignores them silently.
		p.infof(n, "'virtual_server %s': extra words '%s' ignored", strings.Join(n.Args[1:max], " "), strings.Join(n.Args[max:], " "))
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
			p.errorf(n, "Invalid lvs_scheduler '%s' - ignoring (expected rr|wrr|lc|wlc|lblc|sh|mh|dh|fo|ovf|lblcr|sed|nq|twos)", s)
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
			vs.Forwarding, vs.fwdSet = f, true
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
			if v, ok := p.u32(n, 1, 1, maxPersistence); ok {
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
				p.errorf(n, "Unknown protocol %s - ignoring (expected TCP|UDP|SCTP)", s)
				return
			}
			vs.protoSet = true
		},
		"ha_suspend":  func(n *syntax.Node) { p.boolean(n, &vs.HASuspend) },
		"smtp_alert":  func(n *syntax.Node) { p.flagOpt(n, &vs.SMTPAlert) },
		"virtualhost": func(n *syntax.Node) { p.str(n, &vs.Virtualhost) },
		"snmp_name":   func(n *syntax.Node) { p.str(n, &vs.SNMPName) },
		"alpha":       func(n *syntax.Node) { p.boolean(n, &vs.Alpha) },
		"omega":       func(n *syntax.Node) { p.boolean(n, &vs.Omega) },
		"quorum_up": func(n *syntax.Node) {
			if vs.QuorumUp != nil {
				p.infof(n, "Virtual server %s: quorum_up script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			vs.QuorumUp = p.checkScript(n)
		},
		"quorum_down": func(n *syntax.Node) {
			if vs.QuorumDown != nil {
				p.infof(n, "Virtual server %s: quorum_down script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			vs.QuorumDown = p.checkScript(n)
		},
		"quorum": func(n *syntax.Node) { p.integer(n, 1, 1, math.MaxUint32, &vs.Quorum) },
		"hysteresis": func(n *syntax.Node) {
			p.integer(n, 1, 0, math.MaxUint32, &vs.Hysteresis)
		},
		"weight":       func(n *syntax.Node) { p.integer(n, 1, 1, maxIPVSWeight, &vs.Weight) },
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
	kws.merge(p.timingKeywords(&vs.Timing, true, 1))
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
	ip, _ := p.arg(n, 1)
	a, err := netip.ParseAddr(ip)
	if err != nil {
		p.errorf(n, "Invalid sorry server IP address %s - skipping", ip)
		return
	}
	ss := &SorryServer{Pos: n.Pos, Addr: a}
	if len(n.Args) > 2 {
		port, ok := parsePort(n.Args[2])
		if !ok {
			p.errorf(n, "Invalid sorry server IP address/port %s/%s - skipping", ip, n.Args[2])
			return
		}
		ss.Port = port
	}
	if vs.SorryServer != nil {
		p.infof(n, "Virtual server %s: sorry_server already specified - replacing", vs.Name())
	}
	vs.SorryServer = ss
}

// rsBlock parses "real_server IP [PORT] { … }" (check_data.c alloc_rs()).
func (p *parser) rsBlock(n *syntax.Node, vs *VirtualServer) {
	ip, _ := p.arg(n, 1)
	port := "0"
	if len(n.Args) > 2 {
		port = n.Args[2]
	}
	a, err := netip.ParseAddr(ip)
	pn, ok := parsePort(port)
	if err != nil || !ok {
		p.errorf(n, "Invalid real server ip address/port %s/%s - skipping", ip, port)
		return
	}
	rs := &RealServer{Pos: n.Pos, Addr: a, Port: pn, Weight: defaultRSWeight}
	if len(n.Args) > 3 {
		p.infof(n, "'real_server %s %s': extra words '%s' ignored", ip, port, strings.Join(n.Args[3:], " "))
	}
	// keepalived needs the block: without it the next line is taken as the missing '{'.
	if !n.HasBlock {
		p.errorf(n, "'real_server %s' expects a block: 'real_server %s {'", ip, ip)
		return
	}
	p.walk(n.Block, p.rsKeywords(vs, rs))
	vs.RealServers = append(vs.RealServers, rs)
}

// rsKeywords are the keywords inside a real_server block, checkers included.
func (p *parser) rsKeywords(vs *VirtualServer, rs *RealServer) keywords {
	kws := keywords{
		"weight": func(n *syntax.Node) {
			if p.integer(n, 1, 0, maxIPVSWeight, &rs.Weight) {
				rs.weightSet = true
			}
		},
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
				p.infof(n, "Virtual server %s: notify_up script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			rs.NotifyUp = p.checkScript(n)
		},
		"notify_down": func(n *syntax.Node) {
			if rs.NotifyDown != nil {
				p.infof(n, "Virtual server %s: notify_down script already specified - ignoring '%s'", vs.Name(), n.Raw)
				return
			}
			rs.NotifyDown = p.checkScript(n)
		},
		"alpha":       func(n *syntax.Node) { p.flagOpt(n, &rs.Alpha) },
		"smtp_alert":  func(n *syntax.Node) { p.flagOpt(n, &rs.SMTPAlert) },
		"virtualhost": func(n *syntax.Node) { p.str(n, &rs.Virtualhost) },
		"snmp_name":   func(n *syntax.Node) { p.str(n, &rs.SNMPName) },
	}
	kws.merge(p.timingKeywords(&rs.Timing, true, 1))
	kws.merge(p.checkerKeywords(rs))
	return kws
}
