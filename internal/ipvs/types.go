package ipvs

import (
	"fmt"
	"net/netip"
	"time"
)

// Protocol is an IPVS service protocol (an IP protocol number).
type Protocol uint16

// The protocols IPVS balances.
const (
	TCP  Protocol = 6
	UDP  Protocol = 17
	SCTP Protocol = 132
)

// String returns the protocol name as ipvsadm writes it.
func (p Protocol) String() string {
	switch p {
	case TCP:
		return "TCP"
	case UDP:
		return "UDP"
	case SCTP:
		return "SCTP"
	case 0:
		return "none"
	}
	return fmt.Sprintf("proto(%d)", uint16(p))
}

// Family is an address family as the kernel numbers it (AF_INET, AF_INET6).
type Family uint16

// Address families.
const (
	INET  Family = 2  // AF_INET
	INET6 Family = 10 // AF_INET6
)

// String returns keepalived's ip_family word.
func (f Family) String() string {
	switch f {
	case INET:
		return "inet"
	case INET6:
		return "inet6"
	}
	return fmt.Sprintf("af(%d)", uint16(f))
}

// FamilyOf returns the family of a; INET for an invalid address.
func FamilyOf(a netip.Addr) Family {
	if a.Is6() && !a.Is4In6() {
		return INET6
	}
	return INET
}

// ServiceFlags are the kernel's IP_VS_SVC_F_* bits.
type ServiceFlags uint32

// Service flags (include/uapi/linux/ip_vs.h).
const (
	FlagPersistent ServiceFlags = 0x0001 // IP_VS_SVC_F_PERSISTENT
	FlagHashed     ServiceFlags = 0x0002 // IP_VS_SVC_F_HASHED, set by the kernel on every service
	FlagOnePacket  ServiceFlags = 0x0004 // IP_VS_SVC_F_ONEPACKET (ops)
	FlagSched1     ServiceFlags = 0x0008 // IP_VS_SVC_F_SCHED1 (sh-fallback, mh-fallback, flag-1)
	FlagSched2     ServiceFlags = 0x0010 // IP_VS_SVC_F_SCHED2 (sh-port, mh-port, flag-2)
	FlagSched3     ServiceFlags = 0x0020 // IP_VS_SVC_F_SCHED3 (flag-3)
)

// ServiceKey identifies a service the way the kernel does: by fwmark when Fwmark is not zero,
// otherwise by protocol, address and port. Family is part of the identity in both cases.
type ServiceKey struct {
	Family   Family
	Protocol Protocol
	Addr     netip.Addr
	Port     uint16
	Fwmark   uint32
}

// String renders the key as ipvsadm -Ln does: "TCP 198.51.100.1:80", "FWM 5 IPv6".
func (k ServiceKey) String() string {
	if k.Fwmark != 0 {
		if k.Family == INET6 {
			return fmt.Sprintf("FWM %d IPv6", k.Fwmark)
		}
		return fmt.Sprintf("FWM %d", k.Fwmark)
	}
	return fmt.Sprintf("%s %s", k.Protocol, netip.AddrPortFrom(k.Addr, k.Port))
}

// Service is a virtual service with its scheduling and persistence settings.
type Service struct {
	ServiceKey
	// Scheduler is the scheduler module name (rr, wrr, wlc, sh, mh, ...).
	Scheduler string
	// Flags are the scheduler and persistence flags; FlagHashed is ignored when comparing.
	// FlagPersistent is set by the encoder whenever Timeout is not zero.
	Flags ServiceFlags
	// Timeout is the persistence timeout (whole seconds); zero for a non-persistent service.
	Timeout time.Duration
	// Granularity is the persistence netmask as a prefix length; 0 means a host (/32 or /128).
	Granularity int
	// PersistenceEngine is the persistence engine name ("sip"), empty for none.
	PersistenceEngine string
}

// Equal reports whether s and o would program the kernel identically.
func (s Service) Equal(o Service) bool {
	return s.ServiceKey == o.ServiceKey && s.Scheduler == o.Scheduler &&
		s.normFlags() == o.normFlags() && s.Timeout/time.Second == o.Timeout/time.Second &&
		s.prefixLen() == o.prefixLen() && s.PersistenceEngine == o.PersistenceEngine
}

// normFlags are the flags as the kernel will store them, without the kernel-internal hashed bit.
func (s Service) normFlags() ServiceFlags {
	f := s.Flags &^ FlagHashed &^ FlagPersistent
	if s.Timeout >= time.Second {
		f |= FlagPersistent
	}
	return f
}

// prefixLen is the persistence granularity with the host default applied.
func (s Service) prefixLen() int {
	if s.Granularity > 0 {
		return s.Granularity
	}
	if s.Family == INET6 {
		return 128
	}
	return 32
}

// ForwardMethod is the destination's packet forwarding method (IP_VS_CONN_F_FWD_MASK values).
type ForwardMethod uint32

// Forwarding methods.
const (
	Masquerade  ForwardMethod = 0 // IP_VS_CONN_F_MASQ (NAT)
	LocalNode   ForwardMethod = 1 // IP_VS_CONN_F_LOCALNODE
	Tunnel      ForwardMethod = 2 // IP_VS_CONN_F_TUNNEL (TUN)
	DirectRoute ForwardMethod = 3 // IP_VS_CONN_F_DROUTE (DR)
)

// String returns ipvsadm's column word.
func (m ForwardMethod) String() string {
	switch m {
	case Masquerade:
		return "Masq"
	case LocalNode:
		return "Local"
	case Tunnel:
		return "Tunnel"
	case DirectRoute:
		return "Route"
	}
	return fmt.Sprintf("fwd(%d)", uint32(m))
}

// TunnelType is the encapsulation of a Tunnel destination (IP_VS_CONN_F_TUNNEL_TYPE_*).
type TunnelType uint8

// Tunnel types.
const (
	TunnelIPIP TunnelType = 0
	TunnelGUE  TunnelType = 1
	TunnelGRE  TunnelType = 2
)

// TunnelFlags are the IP_VS_TUNNEL_ENCAP_FLAG_* bits; zero is nocsum.
type TunnelFlags uint16

// Tunnel encapsulation flags.
const (
	TunnelCsum    TunnelFlags = 1 << 0
	TunnelRemCsum TunnelFlags = 1 << 1
)

// DestinationKey identifies a destination within its service.
type DestinationKey struct {
	Addr netip.Addr
	Port uint16
}

// String renders the key as "ADDR:PORT" ("[ADDR]:PORT" for IPv6).
func (k DestinationKey) String() string { return netip.AddrPortFrom(k.Addr, k.Port).String() }

// Destination is a real server of a service.
type Destination struct {
	DestinationKey
	// Family is the destination's own family; zero means the service's (IPv6 destinations of an
	// IPv4 service are possible with tunnelling).
	Family  Family
	Forward ForwardMethod
	Weight  int
	// UpperThreshold and LowerThreshold bound the connections (0 = no limit).
	UpperThreshold, LowerThreshold uint32
	TunnelType                     TunnelType
	TunnelPort                     uint16
	TunnelFlags                    TunnelFlags
}

// Key returns the destination's identity.
func (d Destination) Key() DestinationKey { return d.DestinationKey }

// Equal reports whether d and o would program the kernel identically. Tunnel options only matter
// for tunnel destinations, as the kernel ignores them otherwise.
func (d Destination) Equal(o Destination) bool {
	if d.DestinationKey != o.DestinationKey || d.Forward != o.Forward || d.Weight != o.Weight ||
		d.UpperThreshold != o.UpperThreshold || d.LowerThreshold != o.LowerThreshold {
		return false
	}
	if d.Forward != Tunnel {
		return true
	}
	return d.TunnelType == o.TunnelType && d.TunnelPort == o.TunnelPort && d.TunnelFlags == o.TunnelFlags
}

// Stats are the counters of a service or destination (IPVS_STATS_ATTR_*, 64-bit when available).
type Stats struct {
	Connections           uint64
	PacketsIn, PacketsOut uint64
	BytesIn, BytesOut     uint64
	CPS                   uint64
	PPSIn, PPSOut         uint64
	BPSIn, BPSOut         uint64
}

// ServiceEntry is a service as read back from the kernel, with its statistics.
type ServiceEntry struct {
	Service
	Stats Stats
}

// DestinationEntry is a destination as read back from the kernel, with its connection counts
// and statistics.
type DestinationEntry struct {
	Destination
	ActiveConns, InactiveConns, PersistentConns uint32
	Stats                                       Stats
}

// Timeouts are the connection timeouts of lvs_timeouts; a zero field is left unchanged by
// SetTimeouts, as the kernel does.
type Timeouts struct {
	TCP, TCPFin, UDP time.Duration
}

// DaemonState is the role of a connection sync daemon (IP_VS_STATE_*).
type DaemonState uint32

// Sync daemon roles.
const (
	DaemonMaster DaemonState = 1
	DaemonBackup DaemonState = 2
)

// String returns the role name.
func (s DaemonState) String() string {
	switch s {
	case DaemonMaster:
		return "master"
	case DaemonBackup:
		return "backup"
	}
	return fmt.Sprintf("state(%d)", uint32(s))
}

// Daemon is a connection synchronisation daemon (lvs_sync_daemon).
type Daemon struct {
	State     DaemonState
	Interface string
	SyncID    uint32
	// MaxLen is the sync message length (0 = kernel default).
	MaxLen uint16
	// Group is the multicast group (zero = the kernel's 224.0.0.81).
	Group netip.Addr
	// Port is the multicast port (0 = 8848) and TTL the multicast TTL (0 = 1).
	Port uint16
	TTL  uint8
}

// Info is the kernel's IPVS version and connection table size.
type Info struct {
	Version       uint32
	ConnTableSize uint32
}

// VersionString renders Version as "1.2.1".
func (i Info) VersionString() string {
	return fmt.Sprintf("%d.%d.%d", i.Version>>16&0xff, i.Version>>8&0xff, i.Version&0xff)
}
