package config

import (
	"fmt"
	"net/netip"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// LVSSection is the part of the configuration the checker (LVS) process uses: the SSL context,
// virtual server groups and virtual servers with their real servers and checkers (reference
// Appendix D "Checker process top level", §1b.1-§1b.3).
type LVSSection struct {
	// SSL is the client TLS context for SSL_GET; nil when absent (keepalived then builds one).
	SSL *SSLContext
	// VirtualServerGroups are the virtual_server_group blocks, in file order.
	VirtualServerGroups []*VirtualServerGroup
	// VirtualServers are the virtual_server blocks that survived the cross-checks, in file order.
	VirtualServers []*VirtualServer
}

// VirtualServerGroup returns the group called name, or nil.
func (s *LVSSection) VirtualServerGroup(name string) *VirtualServerGroup {
	for _, g := range s.VirtualServerGroups {
		if g.Name == name {
			return g
		}
	}
	return nil
}

// CheckerScripts returns every script the checker process runs (quorum_up/down, notify_up/down and
// MISC_CHECK paths), in file order. Script security (keepalived's check_check_script_security(),
// which also looks at the files) is applied by the caller: "SECURITY VIOLATION - check scripts are
// being executed but script_security not enabled." when one exists and enable_script_security is off.
func (s *LVSSection) CheckerScripts() []*CheckScript {
	var out []*CheckScript
	add := func(c *CheckScript) {
		if c != nil {
			out = append(out, c)
		}
	}
	for _, vs := range s.VirtualServers {
		add(vs.QuorumUp)
		add(vs.QuorumDown)
		for _, rs := range vs.RealServers {
			add(rs.NotifyUp)
			add(rs.NotifyDown)
			for _, c := range rs.Checkers {
				if c.Misc != nil {
					add(c.Misc.Path)
				}
			}
		}
	}
	return out
}

// SSLContext is the top-level SSL block (check_parser.c ssl_handler()).
type SSLContext struct {
	Pos         syntax.Pos
	Password    string
	CA          string
	Certificate string
	Key         string
}

// AddrFamily is an IPVS service address family.
type AddrFamily uint8

// Address families. AFUnspec means nothing decided it (a fwmark service with no servers yet).
const (
	AFUnspec AddrFamily = iota
	AFInet
	AFInet6
)

// String returns keepalived's ip_family word.
func (f AddrFamily) String() string {
	switch f {
	case AFInet:
		return "inet"
	case AFInet6:
		return "inet6"
	}
	return "unspec"
}

// afOf returns the family of a.
func afOf(a netip.Addr) AddrFamily {
	switch {
	case !a.IsValid():
		return AFUnspec
	case a.Is4():
		return AFInet
	}
	return AFInet6
}

// VirtualServerGroup is a named set of addresses, ranges and fwmarks sharing one set of real servers
// and one health check per real server (check_parser.c vsg_handler()).
type VirtualServerGroup struct {
	Pos     syntax.Pos
	Name    string
	Entries []VSGEntry
}

// VSGEntry is one line of a virtual_server_group: an address or address range with an optional port,
// or a fwmark with an optional family.
type VSGEntry struct {
	Pos syntax.Pos
	// IsFwmark selects Fwmark/Family; otherwise First..Last and Port describe the entry.
	IsFwmark bool
	Fwmark   uint32
	// Family is the fwmark's family (inet|inet6), AFUnspec when not given, or the range's family.
	Family AddrFamily
	// First and Last bound the range (equal for a single address). Only the last IPv4 octet or the
	// last IPv6 16-bit group varies, as keepalived's vsg range is an end value for that part.
	First, Last netip.Addr
	// Port is 0 when omitted.
	Port uint16
}

// String renders the entry as keepalived's format_vsge() does: "FWM N", "IP,PORT" or "IP-IP,PORT".
func (e VSGEntry) String() string {
	switch {
	case e.IsFwmark:
		return fmt.Sprintf("FWM %d", e.Fwmark)
	case e.First != e.Last:
		return fmt.Sprintf("%s-%s,%d", e.First, e.Last, e.Port)
	}
	return fmt.Sprintf("%s,%d", e.First, e.Port)
}

// VSKind says how a virtual server is addressed.
type VSKind uint8

// Virtual server kinds.
const (
	VSByAddr   VSKind = iota // virtual_server IP [PORT]
	VSByFwmark               // virtual_server fwmark N
	VSByGroup                // virtual_server group NAME
)

// Protocol is an IPVS service protocol.
type Protocol uint8

// Protocols, with their IP protocol numbers. ProtoNone is a fwmark service's (the protocol is ignored).
const (
	ProtoNone Protocol = 0
	ProtoTCP  Protocol = 6
	ProtoUDP  Protocol = 17
	ProtoSCTP Protocol = 132
)

// String returns the protocol name as keepalived writes it.
func (p Protocol) String() string {
	switch p {
	case ProtoTCP:
		return "TCP"
	case ProtoUDP:
		return "UDP"
	case ProtoSCTP:
		return "SCTP"
	case ProtoNone:
		return "none"
	}
	return fmt.Sprintf("proto(%d)", uint8(p))
}

// Scheduler is an IPVS scheduler name (lb_algo / lvs_sched).
type Scheduler string

// The schedulers keepalived accepts (check_parser.c lvs_schedulers[]).
const (
	SchedRR    Scheduler = "rr"
	SchedWRR   Scheduler = "wrr"
	SchedLC    Scheduler = "lc"
	SchedWLC   Scheduler = "wlc"
	SchedLBLC  Scheduler = "lblc"
	SchedSH    Scheduler = "sh"
	SchedMH    Scheduler = "mh"
	SchedDH    Scheduler = "dh"
	SchedFO    Scheduler = "fo"
	SchedOVF   Scheduler = "ovf"
	SchedLBLCR Scheduler = "lblcr"
	SchedSED   Scheduler = "sed"
	SchedNQ    Scheduler = "nq"
	SchedTWOS  Scheduler = "twos"
)

var schedulers = []Scheduler{SchedRR, SchedWRR, SchedLC, SchedWLC, SchedLBLC, SchedSH, SchedMH,
	SchedDH, SchedFO, SchedOVF, SchedLBLCR, SchedSED, SchedNQ, SchedTWOS}

// SchedFlags are the IPVS service flags set by the scheduler keywords; the values are the kernel's
// IP_VS_SVC_F_* bits (include/uapi/linux/ip_vs.h).
type SchedFlags uint32

// Scheduler flags. sh-fallback and mh-fallback are SCHED1, sh-port and mh-port are SCHED2.
const (
	FlagHashed    SchedFlags = 0x0002 // IP_VS_SVC_F_HASHED
	FlagOnePacket SchedFlags = 0x0004 // IP_VS_SVC_F_ONEPACKET ("ops")
	FlagSched1    SchedFlags = 0x0008 // IP_VS_SVC_F_SCHED1 (flag-1, sh-fallback, mh-fallback)
	FlagSched2    SchedFlags = 0x0010 // IP_VS_SVC_F_SCHED2 (flag-2, sh-port, mh-port)
	FlagSched3    SchedFlags = 0x0020 // IP_VS_SVC_F_SCHED3 (flag-3)
)

// ForwardingMethod is an IPVS forwarding method (lb_kind / lvs_method).
type ForwardingMethod uint8

// Forwarding methods; NAT is keepalived's default.
const (
	FwdNAT ForwardingMethod = iota
	FwdDR
	FwdTUN
)

// String returns the keyword value.
func (m ForwardingMethod) String() string {
	switch m {
	case FwdDR:
		return "DR"
	case FwdTUN:
		return "TUN"
	}
	return "NAT"
}

// TunnelType is the TUN encapsulation.
type TunnelType uint8

// Tunnel types; ipip is the default.
const (
	TunnelIPIP TunnelType = iota
	TunnelGUE
	TunnelGRE
)

// String returns the keyword value.
func (t TunnelType) String() string {
	switch t {
	case TunnelGUE:
		return "gue"
	case TunnelGRE:
		return "gre"
	}
	return "ipip"
}

// TunnelChecksum is the tunnel checksum option.
type TunnelChecksum uint8

// Tunnel checksum options; TunnelCsumDefault means none was given (the kernel's nocsum).
const (
	TunnelCsumDefault TunnelChecksum = iota
	TunnelNoCsum
	TunnelCsum
	TunnelRemCsum
)

// String returns the keyword value.
func (c TunnelChecksum) String() string {
	switch c {
	case TunnelNoCsum:
		return "nocsum"
	case TunnelCsum:
		return "csum"
	case TunnelRemCsum:
		return "remcsum"
	}
	return ""
}

// Forwarding is a forwarding method with its tunnel options.
type Forwarding struct {
	Method         ForwardingMethod
	TunnelType     TunnelType
	TunnelPort     uint16 // gue only
	TunnelChecksum TunnelChecksum
}

// String renders the forwarding as it would be written after lvs_method.
func (f Forwarding) String() string {
	s := f.Method.String()
	if f.Method != FwdTUN {
		return s
	}
	if f.TunnelType != TunnelIPIP {
		s += " type " + f.TunnelType.String()
		if f.TunnelType == TunnelGUE {
			s += fmt.Sprintf(" port %d", f.TunnelPort)
		}
	}
	if f.TunnelChecksum != TunnelCsumDefault {
		s += " " + f.TunnelChecksum.String()
	}
	return s
}

// CheckScript is a command the checker process runs (quorum_up/down, notify_up/down, misc_path).
type CheckScript struct {
	Pos syntax.Pos
	// Command is the command as written (the first shell-like word after the keyword).
	Command string
	// Args is Command split into words; Args[0] is the program.
	Args []string
	// User and Group override script_user; empty means the default.
	User, Group string
}

// Timing holds the checker timing keywords of one level (virtual server, real server or checker);
// unset values are inherited from the level above (check_api.c queue_checker()).
type Timing struct {
	DelayLoop        Setting[time.Duration]
	ConnectTimeout   Setting[time.Duration]
	Retry            Setting[int]
	DelayBeforeRetry Setting[time.Duration]
	Warmup           Setting[time.Duration]
}

// VirtualServer is one virtual_server block.
type VirtualServer struct {
	Pos  syntax.Pos
	Kind VSKind
	// Addr and Port address a VSByAddr service; Port is 0 when omitted (persistent services only).
	Addr netip.Addr
	Port uint16
	// Fwmark is the mark of a VSByFwmark service.
	Fwmark uint32
	// Group names the virtual_server_group of a VSByGroup service.
	Group string
	// Family is the service family, derived from the address, the group, ip_family or the servers.
	Family AddrFamily
	// Protocol is ProtoNone for a fwmark service. An address service without a protocol line gets
	// UDP with a warning, as keepalived does (the kernel's default for protocol 0).
	Protocol Protocol

	// Scheduler defaults to wlc, with a warning when not configured.
	Scheduler  Scheduler
	SchedFlags SchedFlags
	// Forwarding is the default method of the real and sorry servers; NAT (with a warning) when no
	// server sets one and the service does not either.
	Forwarding Forwarding

	// PersistenceTimeout is 0 for a non-persistent service; a bare keyword means 360 s.
	PersistenceTimeout time.Duration
	// PersistenceGranularity is the persistence netmask as a prefix length (0 when unset).
	PersistenceGranularity int
	PersistenceEngine      string

	Quorum     int // default 1
	Hysteresis int
	QuorumUp   *CheckScript
	QuorumDown *CheckScript

	SorryServer *SorryServer

	InhibitOnFailure bool
	Alpha            bool
	Omega            bool
	HASuspend        bool
	Virtualhost      string
	SMTPAlert        Setting[bool]
	// ResolvedSMTPAlert is SMTPAlert, else the global smtp_alert_checker, smtp_alert, else false.
	ResolvedSMTPAlert bool
	SNMPName          string
	// Weight is the default weight of the real servers (keepalived's vs->weight), default 1.
	Weight int

	// Timing holds the virtual-server-level defaults for the checkers; DelayLoop resolves to 60 s.
	Timing Timing

	RealServers []*RealServer

	protoSet  bool // a protocol line was given
	fwdSet    bool // lb_kind/lvs_method was given
	schedOnly []schedOnlyFlag
}

// schedOnlyFlag is a scheduler flag keyword that only applies to one scheduler (sh-port, mh-port, ...).
type schedOnlyFlag struct {
	n     *syntax.Node
	flag  SchedFlags
	sched Scheduler
}

// Name renders the service for messages as keepalived's FMT_VS does: "[IP]:proto:PORT", "FWM N" or
// "[GROUP]:0", so that log lines stay greppable.
func (vs *VirtualServer) Name() string {
	switch vs.Kind {
	case VSByFwmark:
		return fmt.Sprintf("FWM %d", vs.Fwmark)
	case VSByGroup:
		return fmt.Sprintf("[%s]:0", vs.Group)
	}
	return fmt.Sprintf("[%s]:%s:%d", vs.Addr, strings.ToLower(vs.Protocol.String()), vs.Port)
}

// serverName renders a real or sorry server as keepalived's FMT_RS does: "[IP]:proto:PORT".
func (vs *VirtualServer) serverName(a netip.Addr, port uint16) string {
	return fmt.Sprintf("[%s]:%s:%d", a, strings.ToLower(vs.Protocol.String()), port)
}

// SorryServer replaces all real servers while the quorum is lost.
type SorryServer struct {
	Pos     syntax.Pos
	Addr    netip.Addr
	Port    uint16
	Inhibit bool
	// Forwarding is sorry_server_lvs_method, or the virtual server's method.
	Forwarding    Forwarding
	forwardingSet bool
}

// RealServer is one real_server block.
type RealServer struct {
	Pos  syntax.Pos
	Addr netip.Addr
	// Port is 0 when omitted; in a service with a port it then takes the service's port.
	Port uint16
	// Weight is the IPVS weight: the real server's weight line, else the service's weight (default 1).
	Weight    int
	weightSet bool
	// Forwarding is the per-server lvs_method; Resolved.Forwarding holds the effective one.
	Forwarding       Setting[Forwarding]
	UThreshold       uint32
	LThreshold       uint32
	InhibitOnFailure Setting[bool]
	NotifyUp         *CheckScript
	NotifyDown       *CheckScript
	Alpha            Setting[bool]
	SMTPAlert        Setting[bool]
	Virtualhost      string
	SNMPName         string
	Timing           Timing

	Checkers []*Checker

	// Resolved holds the values after the virtual server → real server cascade (filled by finishLVS).
	Resolved ResolvedRealServer
}

// ResolvedRealServer is a real server's effective settings.
type ResolvedRealServer struct {
	InhibitOnFailure bool
	Alpha            bool
	// SMTPAlert is the real server's smtp_alert, else the global smtp_alert_checker, smtp_alert,
	// else true (not the service's value: keepalived keeps this for backward compatibility).
	SMTPAlert   bool
	Virtualhost string
	Forwarding  Forwarding
}

// lvsTopKeywords are the top-level keywords of the checker process.
func (p *parser) lvsTopKeywords() keywords {
	return keywords{
		"SSL":                  p.sslBlock,
		"virtual_server_group": p.vsgBlock,
		"virtual_server":       p.vsBlock,
	}
}

// String returns the header form of the kind.
func (k VSKind) String() string {
	switch k {
	case VSByFwmark:
		return "fwmark"
	case VSByGroup:
		return "group"
	}
	return "addr"
}

// MarshalText renders enums by name in JSON dumps and goldens.
func (k VSKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalText renders the family by name.
func (f AddrFamily) MarshalText() ([]byte, error) { return []byte(f.String()), nil }

// MarshalText renders the protocol by name.
func (p Protocol) MarshalText() ([]byte, error) { return []byte(p.String()), nil }

// MarshalText renders the method by name.
func (m ForwardingMethod) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// MarshalText renders the tunnel type by name.
func (t TunnelType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// MarshalText renders the checksum option by name.
func (c TunnelChecksum) MarshalText() ([]byte, error) { return []byte(c.String()), nil }
