package config

import (
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Per-checker defaults that differ from the common ones (retry 1, delay_before_retry 1 s).
const (
	defaultRetry            = 1
	defaultDelayBeforeRetry = time.Second
	httpDelayBeforeRetry    = 3 * time.Second // check_http.c
	miscRetry               = 0               // check_misc.c
	dnsRetry                = 3               // check_dns.c; its delay_before_retry defaults to delay_loop
	smtpPort                = 25
	dnsPort                 = 53
)

// finishLVS derives values and runs the cross-checks of the LVS section (vs_end_handler(),
// rs_end_handler() and the checkers' end handlers). Virtual and real servers that cannot work are
// reported and removed, as keepalived does.
func (p *parser) finishLVS() {
	kept := p.cfg.VirtualServers[:0]
	for _, vs := range p.cfg.VirtualServers {
		if p.finishVS(vs) {
			kept = append(kept, vs)
		}
	}
	p.cfg.VirtualServers = kept
}

// errorAt, warnAt and infoAt report at a position rather than a node.
func (p *parser) warnAt(pos syntax.Pos, format string, args ...any) {
	p.report(pos, syntax.Warning, format, args...)
}

func (p *parser) errorAt(pos syntax.Pos, format string, args ...any) {
	p.report(pos, syntax.Error, format, args...)
}

func (p *parser) infoAt(pos syntax.Pos, format string, args ...any) {
	p.report(pos, syntax.Info, format, args...)
}

// finishVS completes one virtual server; it returns false to drop it.
func (p *parser) finishVS(vs *VirtualServer) bool {
	if vs.Kind == VSByGroup && !p.finishVSGroup(vs) {
		return false
	}
	if vs.Kind == VSByFwmark && vs.protoPos != nil {
		p.warnf(vs.protoPos, "virtual server %s: protocol specified for fwmark - protocol will be ignored", vs.Name())
	}
	for _, f := range vs.schedOnly {
		if vs.Scheduler != f.sched {
			p.warnf(f.n, "virtual server %s: '%s' only applies to the %s scheduler, not %s - ignoring",
				vs.Name(), f.n.Keyword(), f.sched, vs.Scheduler)
			continue
		}
		vs.SchedFlags |= f.flag
	}
	if vs.SchedFlags&FlagOnePacket != 0 && vs.Kind == VSByAddr && vs.Protocol != ProtoUDP {
		p.infoAt(vs.Pos, "virtual server %s: 'ops' (one-packet scheduling) only has an effect on UDP services", vs.Name())
	}
	if vs.Kind == VSByAddr && vs.Port == 0 && vs.PersistenceTimeout == 0 {
		p.warnAt(vs.Pos, "virtual server %s: a port may only be omitted for a persistent service - setting persistence_timeout %d",
			vs.Name(), int(defaultPersistenceTimeout/time.Second))
		vs.PersistenceTimeout = defaultPersistenceTimeout
	}
	if vs.Hysteresis > 0 && vs.Hysteresis >= vs.Quorum {
		p.infoAt(vs.Pos, "virtual server %s: hysteresis %d is not less than quorum %d, so the quorum is only lost when no real server is up",
			vs.Name(), vs.Hysteresis, vs.Quorum)
	}
	if ss := vs.SorryServer; ss != nil {
		if !ss.forwardingSet {
			ss.Forwarding = vs.Forwarding
		}
		if ss.Forwarding.Method != FwdTUN {
			switch {
			case vs.Family == AFUnspec:
				vs.Family = afOf(ss.Addr)
			case vs.Family != afOf(ss.Addr):
				p.warnAt(ss.Pos, "virtual server %s: address family of virtual server (%s) and sorry server %s (%s) don't match - skipping sorry server",
					vs.Name(), vs.Family, ss.Addr, afOf(ss.Addr))
				vs.SorryServer = nil
			}
		}
		if vs.SorryServer != nil && ss.Port == 0 && vs.Port != 0 {
			ss.Port = vs.Port
		}
	}
	p.finishRealServers(vs)
	if vs.Family == AFUnspec {
		vs.Family = fallbackFamily(vs)
	}
	return true
}

// finishVSGroup resolves a "virtual_server group NAME" service's family from its group.
func (p *parser) finishVSGroup(vs *VirtualServer) bool {
	g := p.cfg.VirtualServerGroup(vs.Group)
	if g == nil {
		p.errorAt(vs.Pos, "virtual_server group %s: no virtual_server_group %s with valid entries is defined - skipping the virtual server", vs.Group, vs.Group)
		return false
	}
	for _, e := range g.Entries {
		if e.Family == AFUnspec {
			continue
		}
		if vs.Family == AFUnspec {
			vs.Family = e.Family
		} else if vs.Family != e.Family {
			p.errorAt(e.Pos, "virtual server %s: group entry family %s conflicts with the service family %s", vs.Name(), e.Family, vs.Family)
		}
	}
	return true
}

// fallbackFamily picks a family for a service that only has tunnelled servers: the sorry server's,
// else the real servers' when they all agree, else IPv4 (vs_end_handler()).
func fallbackFamily(vs *VirtualServer) AddrFamily {
	if vs.SorryServer != nil {
		return afOf(vs.SorryServer.Addr)
	}
	f := AFUnspec
	for _, rs := range vs.RealServers {
		switch {
		case f == AFUnspec:
			f = afOf(rs.Addr)
		case f != afOf(rs.Addr):
			return AFInet
		}
	}
	if f == AFUnspec {
		return AFInet
	}
	return f
}

// finishRealServers resolves, checks and de-duplicates the real servers of vs.
func (p *parser) finishRealServers(vs *VirtualServer) {
	kept := vs.RealServers[:0]
	seen := map[netip.AddrPort]bool{}
	for _, rs := range vs.RealServers {
		r := &rs.Resolved
		r.Forwarding = rs.Forwarding.Or(vs.Forwarding)
		// For tunnelled forwarding the families need not match (rs_end_handler()).
		if r.Forwarding.Method != FwdTUN {
			switch fam := afOf(rs.Addr); {
			case vs.Family == AFUnspec:
				vs.Family = fam
			case vs.Family != fam:
				p.warnAt(rs.Pos, "virtual server %s: address family of virtual server (%s) and real server %s (%s) don't match - skipping real server",
					vs.Name(), vs.Family, rs.Addr, fam)
				continue
			}
		}
		if rs.Port == 0 && vs.Port != 0 {
			rs.Port = vs.Port
		}
		if r.Forwarding.Method != FwdNAT && vs.Port != 0 && rs.Port != vs.Port {
			p.infoAt(rs.Pos, "virtual server %s: real server %s uses %s forwarding, which cannot change the destination port; port %d has no effect",
				vs.Name(), rs.Addr, r.Forwarding.Method, rs.Port)
		}
		key := netip.AddrPortFrom(rs.Addr, rs.Port)
		if seen[key] {
			p.warnAt(rs.Pos, "virtual server %s: real server %s is duplicated - removing", vs.Name(), key)
			continue
		}
		seen[key] = true
		if rs.UThreshold != 0 && rs.LThreshold > rs.UThreshold {
			p.errorAt(rs.Pos, "virtual server %s: real server %s lthreshold %d is greater than uthreshold %d",
				vs.Name(), key, rs.LThreshold, rs.UThreshold)
		}
		r.InhibitOnFailure = rs.InhibitOnFailure.Or(vs.InhibitOnFailure)
		r.Alpha = rs.Alpha.Or(vs.Alpha)
		r.SMTPAlert = rs.SMTPAlert.Or(vs.SMTPAlert.Or(false))
		r.Virtualhost = rs.Virtualhost
		if r.Virtualhost == "" {
			r.Virtualhost = vs.Virtualhost
		}
		for _, c := range rs.Checkers {
			p.resolveChecker(vs, rs, c)
		}
		kept = append(kept, rs)
	}
	vs.RealServers = kept
}

// firstSet returns the first set value, or def.
func firstSet[T any](def T, ss ...Setting[T]) T {
	for _, s := range ss {
		if s.Set {
			return s.Value
		}
	}
	return def
}

// resolveChecker fills c.Resolved from the checker → real server → virtual server cascade and the
// per-checker defaults (check_api.c queue_checker(), check_http.c, check_misc.c, check_dns.c).
func (p *parser) resolveChecker(vs *VirtualServer, rs *RealServer, c *Checker) {
	ct, rt, vt := c.Timing, rs.Timing, vs.Timing
	r := &c.Resolved
	r.DelayLoop = firstSet(defaultDelayLoop, ct.DelayLoop, rt.DelayLoop, vt.DelayLoop)
	r.ConnectTimeout = firstSet(defaultConnectTimeout, ct.ConnectTimeout, rt.ConnectTimeout, vt.ConnectTimeout)
	retry, dbr := defaultRetry, defaultDelayBeforeRetry
	switch c.Type {
	case CheckHTTP, CheckSSL:
		dbr = httpDelayBeforeRetry
	case CheckMisc:
		retry = miscRetry
	case CheckDNS:
		retry, dbr = dnsRetry, r.DelayLoop
	}
	r.Retry = firstSet(retry, ct.Retry, rt.Retry, vt.Retry)
	r.DelayBeforeRetry = firstSet(dbr, ct.DelayBeforeRetry, rt.DelayBeforeRetry, vt.DelayBeforeRetry)
	r.Warmup = firstSet(r.DelayLoop, ct.Warmup, rt.Warmup, vt.Warmup)
	r.Alpha = c.Alpha.Or(rs.Resolved.Alpha)

	wellKnown := uint16(0)
	switch c.Type {
	case CheckSMTP:
		wellKnown = smtpPort
	case CheckDNS:
		wellKnown = dnsPort
	}
	r.Target, r.Bind = p.resolveConn(c.Pos, c.Conn, ConnOptions{}, rs, wellKnown)
	switch c.Type {
	case CheckTCP, CheckHTTP, CheckSSL, CheckUDP:
		if r.Target.Port() == 0 {
			p.warnAt(c.Pos, "virtual server %s: %s of real server %s has no port to connect to (the real server has none) - set connect_port",
				vs.Name(), c.Type, rs.Addr)
		}
	}
	switch c.Type {
	case CheckHTTP, CheckSSL:
		r.Virtualhost = c.HTTP.Virtualhost
		if r.Virtualhost == "" {
			r.Virtualhost = rs.Resolved.Virtualhost
		}
	case CheckMisc:
		c.Misc.ResolvedTimeout = c.Misc.Timeout
		if c.Misc.ResolvedTimeout == 0 {
			c.Misc.ResolvedTimeout = r.DelayLoop
		}
	case CheckSMTP:
		s := c.SMTP
		s.Targets = nil
		if len(s.Hosts) == 0 {
			s.Targets = []ResolvedHost{{Target: r.Target, Bind: r.Bind, BindIf: c.Conn.BindIf, Fwmark: c.Conn.Fwmark}}
		}
		for _, h := range s.Hosts {
			t, b := p.resolveConn(h.Pos, h.Conn, c.Conn, rs, smtpPort)
			s.Targets = append(s.Targets, ResolvedHost{Target: t, Bind: b,
				BindIf: cmpOr(h.Conn.BindIf, c.Conn.BindIf), Fwmark: cmpOr(h.Conn.Fwmark, c.Conn.Fwmark)})
		}
	}
}

// cmpOr returns a unless it is the zero value, else b.
func cmpOr[T comparable](a, b T) T {
	var zero T
	if a != zero {
		return a
	}
	return b
}

// resolveConn computes the target and bind addresses of a connection: own options, then the
// enclosing checker's (for SMTP host{}), then the real server, then the well-known port.
func (p *parser) resolveConn(pos syntax.Pos, own, outer ConnOptions, rs *RealServer, wellKnown uint16) (target, bind netip.AddrPort) {
	ip := rs.Addr
	if outer.ConnectIP.IsValid() {
		ip = outer.ConnectIP
	}
	if own.ConnectIP.IsValid() {
		ip = own.ConnectIP
	}
	port := cmpOr(own.ConnectPort, cmpOr(outer.ConnectPort, cmpOr(rs.Port, wellKnown)))
	target = netip.AddrPortFrom(ip, port)
	bindIP := own.BindTo
	if !bindIP.IsValid() {
		bindIP = outer.BindTo
	}
	bindPort := cmpOr(own.BindPort, outer.BindPort)
	bindIf := cmpOr(own.BindIf, outer.BindIf)
	switch {
	case bindIP.IsValid():
		if afOf(bindIP) != afOf(ip) {
			p.errorAt(pos, "bindto %s and the connect address %s are of different families", bindIP, ip)
		}
		if bindIP.Is6() && bindIP.IsLinkLocalUnicast() && bindIP.Zone() == "" && bindIf == "" {
			p.errorAt(pos, "bindto %s is a link-local address: bind_if is required", bindIP)
		}
		bind = netip.AddrPortFrom(bindIP, bindPort)
	case bindPort != 0:
		if ip.Is4() {
			bind = netip.AddrPortFrom(netip.IPv4Unspecified(), bindPort)
		} else {
			bind = netip.AddrPortFrom(netip.IPv6Unspecified(), bindPort)
		}
	}
	return target, bind
}
