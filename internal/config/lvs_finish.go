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

// finishLVS derives values and runs the cross-checks of the LVS section, in the order and with the
// messages of keepalived (check_parser.c rs_end_handler()/vs_end_handler(), check_data.c
// validate_check_config()). Servers that cannot work are reported and removed, as keepalived does.
func (p *parser) finishLVS() {
	kept := p.cfg.VirtualServers[:0]
	for _, vs := range p.cfg.VirtualServers {
		if p.finishVS(vs) {
			kept = append(kept, vs)
		}
	}
	p.cfg.VirtualServers = kept
}

// warnAt, errorAt and infoAt report at a position rather than a node.
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
	var g *VirtualServerGroup
	if vs.Kind == VSByGroup {
		if g = p.cfg.VirtualServerGroup(vs.Group); g == nil {
			p.errorAt(vs.Pos, "virtual_server group %s: no virtual_server_group %s with valid entries is defined - skipping the virtual server", vs.Group, vs.Group)
			return false
		}
		vs.Family = groupFamily(g)
	}
	p.serverFamilies(vs)
	if len(vs.RealServers) == 0 {
		p.warnAt(vs.Pos, "Virtual server %s has no real servers - ignoring", vs.Name())
		return false
	}
	hasAddrs, hasFwmarks := vs.Kind == VSByAddr, vs.Kind == VSByFwmark
	if g != nil {
		for _, e := range g.Entries {
			hasFwmarks = hasFwmarks || e.IsFwmark
			hasAddrs = hasAddrs || !e.IsFwmark
		}
	}
	if vs.HASuspend && hasFwmarks {
		p.warnAt(vs.Pos, "Virtual server %s: cannot use ha_suspend with fwmarks - clearing ha_suspend", vs.Name())
		vs.HASuspend = false
	}
	if hasAddrs {
		if !vs.protoSet {
			// Protocol 0 makes the kernel use UDP, so keepalived sets it explicitly.
			p.warnAt(vs.Pos, "Virtual server %s: no protocol set - defaulting to UDP", vs.Name())
			vs.Protocol, vs.protoSet = ProtoUDP, true
		}
		if vs.SchedFlags&FlagOnePacket != 0 && vs.Protocol != ProtoUDP {
			p.warnAt(vs.Pos, "Virtual server %s: one packet scheduling requires UDP - resetting", vs.Name())
			vs.SchedFlags &^= FlagOnePacket
		}
		if vs.Kind == VSByAddr && vs.Port == 0 && vs.PersistenceTimeout == 0 {
			p.warnAt(vs.Pos, "Virtual server %s: zero port only valid for persistent services - setting persistence_timeout %d",
				vs.Name(), int(defaultPersistenceTimeout/time.Second))
			vs.PersistenceTimeout = defaultPersistenceTimeout
		}
	}
	if g != nil && vs.PersistenceTimeout == 0 {
		for _, e := range g.Entries {
			if !e.IsFwmark && e.Port == 0 {
				p.warnAt(vs.Pos, "Virtual server %s: zero port only valid for persistent services - setting persistence_timeout %d",
					vs.Name(), int(defaultPersistenceTimeout/time.Second))
				vs.PersistenceTimeout = defaultPersistenceTimeout
				break
			}
		}
	}
	if vs.protoSet && hasFwmarks && !hasAddrs {
		p.warnAt(vs.Pos, "Warning: Virtual server %s: protocol specified for fwmark - protocol will be ignored", vs.Name())
		vs.Protocol, vs.protoSet = ProtoNone, false
	}
	if vs.Scheduler == "" {
		p.warnAt(vs.Pos, "Virtual server %s: no scheduler set, setting default '%s'", vs.Name(), SchedWLC)
		vs.Scheduler = SchedWLC
	}
	for _, f := range vs.schedOnly {
		if vs.Scheduler != f.sched {
			p.warnf(f.n, "Virtual server %s: '%s' only applies to the %s scheduler, not %s - ignoring",
				vs.Name(), f.n.Keyword(), f.sched, vs.Scheduler)
			continue
		}
		vs.SchedFlags |= f.flag
	}
	vs.ResolvedSMTPAlert = vs.SMTPAlert.Or(p.globalSMTPAlert(false))
	p.finishRealServers(vs)
	p.finishQuorum(vs)
	p.finishPorts(vs, g)
	for _, rs := range vs.RealServers {
		kept := rs.Checkers[:0]
		for _, c := range rs.Checkers {
			if p.resolveChecker(vs, rs, c) {
				kept = append(kept, c)
			}
		}
		rs.Checkers = kept
	}
	if vs.Family == AFUnspec {
		vs.Family = fallbackFamily(vs)
	}
	return true
}

// groupFamily is the family of a group's addresses and fwmarks, or AFUnspec when it has both or none.
func groupFamily(g *VirtualServerGroup) AddrFamily {
	f := AFUnspec
	for _, e := range g.Entries {
		switch {
		case e.Family == AFUnspec:
		case f == AFUnspec:
			f = e.Family
		case f != e.Family:
			return AFUnspec
		}
	}
	return f
}

// serverFamilies checks the sorry and real servers' families against the service's, as keepalived
// does at the end of each block: a tunnelled server may differ, any other one is removed.
func (p *parser) serverFamilies(vs *VirtualServer) {
	kept := vs.RealServers[:0]
	for _, rs := range vs.RealServers {
		if rs.Forwarding.Or(vs.Forwarding).Method != FwdTUN {
			switch fam := afOf(rs.Addr); {
			case vs.Family == AFUnspec:
				vs.Family = fam
			case vs.Family != fam:
				p.warnAt(rs.Pos, "Virtual server %s: address family of virtual server (%s) and real server %s (%s) don't match - skipping real server",
					vs.Name(), vs.Family, rs.Addr, fam)
				continue
			}
		}
		kept = append(kept, rs)
	}
	vs.RealServers = kept
	if ss := vs.SorryServer; ss != nil {
		method := vs.Forwarding.Method
		if ss.forwardingSet {
			method = ss.Forwarding.Method
		}
		if method != FwdTUN {
			switch fam := afOf(ss.Addr); {
			case vs.Family == AFUnspec:
				vs.Family = fam
			case vs.Family != fam:
				p.warnAt(ss.Pos, "Virtual server %s: address family of virtual server (%s) and sorry server %s (%s) don't match - skipping sorry server",
					vs.Name(), vs.Family, ss.Addr, fam)
				vs.SorryServer = nil
			}
		}
	}
}

// fallbackFamily picks a family for a service whose servers are all tunnelled: the sorry server's,
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

// defaultForwarding returns the service's method, setting NAT with keepalived's warning if unset.
func (p *parser) defaultForwarding(vs *VirtualServer) Forwarding {
	if !vs.fwdSet {
		p.warnAt(vs.Pos, "Virtual server %s: no forwarding method set, setting default NAT", vs.Name())
		vs.Forwarding, vs.fwdSet = Forwarding{Method: FwdNAT}, true
	}
	return vs.Forwarding
}

// finishRealServers de-duplicates the real servers and resolves their inherited settings.
func (p *parser) finishRealServers(vs *VirtualServer) {
	kept := vs.RealServers[:0]
	seen := map[netip.AddrPort]bool{}
	for _, rs := range vs.RealServers {
		key := netip.AddrPortFrom(rs.Addr, rs.Port)
		if seen[key] {
			p.warnAt(rs.Pos, "VS %s: real server %s is duplicated - removing second rs", vs.Name(), vs.serverName(rs.Addr, rs.Port))
			continue
		}
		seen[key] = true
		r := &rs.Resolved
		if rs.Forwarding.Set {
			r.Forwarding = rs.Forwarding.Value
		} else {
			r.Forwarding = p.defaultForwarding(vs)
		}
		if !rs.weightSet {
			rs.Weight = vs.Weight
		}
		r.InhibitOnFailure = rs.InhibitOnFailure.Or(vs.InhibitOnFailure)
		r.Alpha = rs.Alpha.Or(vs.Alpha)
		r.SMTPAlert = rs.SMTPAlert.Or(p.globalSMTPAlert(true))
		r.Virtualhost = rs.Virtualhost
		if r.Virtualhost == "" {
			r.Virtualhost = vs.Virtualhost
		}
		if ss := vs.SorryServer; ss != nil && ss.Addr == rs.Addr && ss.Port == rs.Port && ss.Inhibit != r.InhibitOnFailure {
			verb := "clear"
			if r.InhibitOnFailure {
				verb = "sett"
			}
			p.warnAt(rs.Pos, "Virtual server %s: real server %s matches sorry server, but inhibit setting differs, %sing on sorry server",
				vs.Name(), vs.serverName(rs.Addr, rs.Port), verb)
			ss.Inhibit = r.InhibitOnFailure
		}
		kept = append(kept, rs)
	}
	vs.RealServers = kept
	if ss := vs.SorryServer; ss != nil && !ss.forwardingSet {
		ss.Forwarding, ss.forwardingSet = p.defaultForwarding(vs), true
	}
}

// globalSMTPAlert is the smtp_alert default of the checker process: smtp_alert_checker, else
// smtp_alert, else def (false for services, true for real servers, as in keepalived).
func (p *parser) globalSMTPAlert(def bool) bool {
	g := &p.cfg.Global
	switch {
	case g.SMTPAlertChecker != nil:
		return *g.SMTPAlertChecker
	case g.SMTPAlert != nil:
		return *g.SMTPAlert
	}
	return def
}

// finishQuorum caps the quorum at the total weight and the hysteresis below the quorum.
func (p *parser) finishQuorum(vs *VirtualServer) {
	sum := 0
	for _, rs := range vs.RealServers {
		sum += rs.Weight
	}
	if vs.Quorum > sum {
		p.warnAt(vs.Pos, "Warning - quorum %d for %s exceeds total weight of real servers %d, reducing quorum to %d",
			vs.Quorum, vs.Name(), sum, sum)
		vs.Quorum = sum
	}
	if vs.Hysteresis > 0 && vs.Hysteresis >= vs.Quorum {
		// keepalived sets quorum-1, which wraps around for a quorum of 0; 0 is the intended floor.
		h := max(vs.Quorum-1, 0)
		p.warnAt(vs.Pos, "Virtual server %s: hysteresis %d >= quorum %d; setting hysteresis to %d", vs.Name(), vs.Hysteresis, vs.Quorum, h)
		vs.Hysteresis = h
	}
}

// finishPorts applies keepalived's port rules: a NAT server without a port uses the service's; DR and
// TUN cannot change the port, so a different port is reset (or cleared for fwmark services).
func (p *parser) finishPorts(vs *VirtualServer, g *VirtualServerGroup) {
	if g != nil {
		for _, rs := range vs.RealServers {
			if rs.Resolved.Forwarding.Method == FwdNAT || rs.Port == 0 {
				continue
			}
			for _, e := range g.Entries {
				switch {
				case e.IsFwmark:
					p.warnAt(rs.Pos, "WARNING - fwmark virtual server %s, real server %s has port specified - port will be ignored",
						vs.Name(), vs.serverName(rs.Addr, rs.Port))
				case e.Port != rs.Port:
					p.warnAt(rs.Pos, "virtual server %s:[%s] and real server %s ports don't match",
						vs.Name(), e.String(), vs.serverName(rs.Addr, rs.Port))
				}
			}
		}
		return
	}
	for _, rs := range vs.RealServers {
		rs.Port = p.serverPort(vs, rs.Pos, "real server "+vs.serverName(rs.Addr, rs.Port), rs.Resolved.Forwarding, rs.Port)
	}
	if ss := vs.SorryServer; ss != nil {
		ss.Port = p.serverPort(vs, ss.Pos, "sorry server", ss.Forwarding, ss.Port)
	}
}

// serverPort returns the effective port of a real or sorry server of a non-group service.
func (p *parser) serverPort(vs *VirtualServer, pos syntax.Pos, what string, f Forwarding, port uint16) uint16 {
	switch {
	case f.Method == FwdNAT:
		if vs.Kind != VSByFwmark && port == 0 {
			return vs.Port
		}
	case vs.Kind == VSByFwmark:
		if port != 0 {
			p.warnAt(pos, "WARNING - fwmark virtual server %s, %s has port specified - clearing", vs.Name(), what)
			return 0
		}
	case port == 0:
		return vs.Port
	case port != vs.Port:
		p.warnAt(pos, "WARNING - virtual server %s and %s ports don't match - resetting", vs.Name(), what)
		return vs.Port
	}
	return port
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
// per-checker defaults (check_api.c queue_checker(), check_http.c, check_misc.c, check_dns.c). It
// returns false to drop a checker whose track_file or bfd_instance does not exist.
func (p *parser) resolveChecker(vs *VirtualServer, rs *RealServer, c *Checker) bool {
	switch c.Type {
	case CheckFile:
		tf := p.cfg.TrackFiles[c.File.TrackFile]
		if tf == nil {
			p.warnAt(c.Pos, "track_file %s not found - FILE_CHECK ignored", c.File.TrackFile)
			return false
		}
		f := c.File
		f.Path = tf.File
		f.EffectiveWeight, f.EffectiveReverse = tf.Weight, tf.WeightReverse
		if f.Weight.Set {
			f.EffectiveWeight, f.EffectiveReverse = f.Weight.Value, f.Reverse
		}
	case CheckBFD:
		if p.cfg.BFDInstances[c.BFD.Name] == nil {
			p.warnAt(c.Pos, "(%s) BFD_CHECK - BFD %s not configured - ignored", vs.serverName(rs.Addr, rs.Port), c.BFD.Name)
			return false
		}
	}
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
	r.LogAllFailures = c.LogAllFailures.Or(p.cfg.Global.CheckerLogAllFailures)

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
			// keepalived says nothing; the check can only fail.
			p.infoAt(c.Pos, "virtual server %s: %s of real server %s has no port to connect to (the real server has none) - set connect_port",
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
	return true
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
	if bindIP.IsValid() && afOf(bindIP) != afOf(ip) {
		p.warnAt(pos, "bindto address %s does not match address family of connect_ip %s - skipping", bindIP, ip)
		bindIP = netip.Addr{}
	}
	switch {
	case bindIP.IsValid():
		if bindIP.Is6() && bindIP.IsLinkLocalUnicast() && bindIP.Zone() == "" && bindIf == "" {
			// keepalived says nothing; the bind fails at run time.
			p.infoAt(pos, "bindto %s is a link-local address: bind_if is needed", bindIP)
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
