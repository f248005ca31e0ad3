package ipvs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"

	"github.com/mdlayher/netlink"
)

// Attribute encoding follows include/uapi/linux/ip_vs.h and the kernel's parsers in
// net/netfilter/ipvs/ip_vs_ctl.c (ip_vs_genl_parse_service/_dest/_daemon): ports are big-endian,
// addresses are a 16-byte union nf_inet_addr, the IPv4 persistence netmask is a big-endian mask and
// the IPv6 one a prefix length, and every other integer is in host order.

// errBadAttr reports a malformed attribute in a kernel message.
var errBadAttr = errors.New("ipvs: malformed attribute")

// putAddr appends a as the kernel's 16-byte union nf_inet_addr.
func putAddr(a netip.Addr) []byte {
	b := make([]byte, 16)
	if a.Is4() {
		v := a.As4()
		copy(b, v[:])
	} else if a.IsValid() {
		v := a.As16()
		copy(b, v[:])
	}
	return b
}

// getAddr reads a union nf_inet_addr (or a bare 4- or 16-byte address) of family f.
func getAddr(f Family, b []byte) (netip.Addr, error) {
	switch {
	case f == INET && len(b) >= 4:
		return netip.AddrFrom4([4]byte(b[:4])), nil
	case f == INET6 && len(b) >= 16:
		return netip.AddrFrom16([16]byte(b[:16])), nil
	}
	return netip.Addr{}, fmt.Errorf("%w: address of %d bytes for family %d", errBadAttr, len(b), f)
}

// be16 encodes a port in network order.
func be16(v uint16) []byte { return binary.BigEndian.AppendUint16(nil, v) }

// netmask encodes the persistence granularity: a big-endian mask for IPv4, a host-order prefix
// length for IPv6 (ip_vs_add_service() checks 1 <= plen <= 128).
func netmask(f Family, plen int) []byte {
	if f == INET6 {
		if plen <= 0 || plen > 128 {
			plen = 128
		}
		return binary.NativeEndian.AppendUint32(nil, uint32(plen))
	}
	if plen <= 0 || plen > 32 {
		plen = 32
	}
	return binary.BigEndian.AppendUint32(nil, ^uint32(0)<<(32-plen))
}

// prefixFromNetmask inverts netmask.
func prefixFromNetmask(f Family, b []byte) int {
	if len(b) != 4 {
		return 0
	}
	if f == INET6 {
		return int(binary.NativeEndian.Uint32(b))
	}
	m := binary.BigEndian.Uint32(b)
	n := 0
	for m&0x80000000 != 0 {
		n++
		m <<= 1
	}
	return n
}

// encodeServiceKey writes the identity attributes of k into a service nest.
func encodeServiceKey(ae *netlink.AttributeEncoder, k ServiceKey) {
	ae.Uint16(svcAF, uint16(k.Family))
	if k.Fwmark != 0 {
		ae.Uint32(svcFwmark, k.Fwmark)
		return
	}
	ae.Uint16(svcProtocol, uint16(k.Protocol))
	ae.Bytes(svcAddr, putAddr(k.Addr))
	ae.Bytes(svcPort, be16(k.Port))
}

// encodeService writes a full service nest: a NEW_SERVICE or SET_SERVICE needs SCHED_NAME, FLAGS,
// TIMEOUT and NETMASK besides the key.
func encodeService(ae *netlink.AttributeEncoder, s Service) {
	encodeServiceKey(ae, s.ServiceKey)
	ae.String(svcSchedName, s.Scheduler)
	// struct ip_vs_flags { __u32 flags; __u32 mask; }: a full mask replaces every bit.
	flags := binary.NativeEndian.AppendUint32(nil, uint32(s.normFlags()))
	flags = binary.NativeEndian.AppendUint32(flags, ^uint32(0))
	ae.Bytes(svcFlags, flags)
	ae.Uint32(svcTimeout, uint32(s.Timeout/time.Second))
	ae.Bytes(svcNetmask, netmask(s.Family, s.Granularity))
	if s.PersistenceEngine != "" {
		ae.String(svcPEName, s.PersistenceEngine)
	}
}

// decodeService parses a service nest (the payload of IPVS_CMD_ATTR_SERVICE).
func decodeService(b []byte) (ServiceEntry, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return ServiceEntry{}, fmt.Errorf("ipvs: service: %w", err)
	}
	var (
		e       ServiceEntry
		addr    []byte
		mask    []byte
		haveAF  bool
		stats32 Stats
		have64  bool
	)
	for ad.Next() {
		switch ad.Type() {
		case svcAF:
			e.Family = Family(ad.Uint16())
			haveAF = true
		case svcProtocol:
			e.Protocol = Protocol(ad.Uint16())
		case svcAddr:
			addr = ad.Bytes()
		case svcPort:
			p := ad.Bytes()
			if len(p) != 2 {
				return e, fmt.Errorf("%w: service port of %d bytes", errBadAttr, len(p))
			}
			e.Port = binary.BigEndian.Uint16(p)
		case svcFwmark:
			e.Fwmark = ad.Uint32()
		case svcSchedName:
			e.Scheduler = ad.String()
		case svcFlags:
			f := ad.Bytes()
			if len(f) != 8 {
				return e, fmt.Errorf("%w: service flags of %d bytes", errBadAttr, len(f))
			}
			e.Flags = ServiceFlags(binary.NativeEndian.Uint32(f))
		case svcTimeout:
			e.Timeout = time.Duration(ad.Uint32()) * time.Second
		case svcNetmask:
			mask = ad.Bytes()
		case svcPEName:
			e.PersistenceEngine = ad.String()
		case svcStats:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				stats32 = decodeStats(nad, false)
				return nil
			})
		case svcStats64:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				e.Stats = decodeStats(nad, true)
				have64 = true
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		return e, fmt.Errorf("ipvs: service: %w", err)
	}
	if !haveAF {
		return e, fmt.Errorf("%w: service without address family", errBadAttr)
	}
	if !have64 {
		e.Stats = stats32
	}
	if e.Fwmark == 0 {
		if e.Addr, err = getAddr(e.Family, addr); err != nil {
			return e, err
		}
	} else {
		// A fwmark service has no protocol, address or port: the kernel sends either the mark or
		// those three (ip_vs_genl_fill_service()), so a message with both is normalised to the
		// mark, the service's identity.
		e.Protocol, e.Port = 0, 0
	}
	if mask != nil {
		// A host mask is the default and reads back as 0 so that it compares equal to an unset one.
		if e.Granularity = prefixFromNetmask(e.Family, mask); e.Granularity == hostPrefix(e.Family) {
			e.Granularity = 0
		}
	}
	return e, nil
}

// hostPrefix is the prefix length of one address of family f.
func hostPrefix(f Family) int {
	if f == INET6 {
		return 128
	}
	return 32
}

// encodeDest writes a destination nest. The tunnel attributes (Linux 5.2+) are only sent for
// tunnel destinations so that older kernels keep working for NAT and DR.
func encodeDest(ae *netlink.AttributeEncoder, svcFamily Family, d Destination, full bool) {
	af := d.Family
	if af == 0 {
		af = FamilyOf(d.Addr)
		if !d.Addr.IsValid() {
			af = svcFamily
		}
	}
	ae.Bytes(destAddr, putAddr(d.Addr))
	ae.Bytes(destPort, be16(d.Port))
	ae.Uint16(destAddrFamily, uint16(af))
	if !full {
		return
	}
	ae.Uint32(destFwdMethod, uint32(d.Forward)&fwdMask)
	ae.Uint32(destWeight, uint32(int32(d.Weight)))
	ae.Uint32(destUThresh, d.UpperThreshold)
	ae.Uint32(destLThresh, d.LowerThreshold)
	if d.Forward == Tunnel {
		ae.Uint8(destTunType, uint8(d.TunnelType))
		ae.Bytes(destTunPort, be16(d.TunnelPort))
		ae.Uint16(destTunFlags, uint16(d.TunnelFlags))
	}
}

// decodeDest parses a destination nest; svcFamily is used when the kernel sends no
// IPVS_DEST_ATTR_ADDR_FAMILY (before Linux 4.5).
func decodeDest(b []byte, svcFamily Family) (DestinationEntry, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return DestinationEntry{}, fmt.Errorf("ipvs: destination: %w", err)
	}
	var (
		e       DestinationEntry
		addr    []byte
		stats32 Stats
		have64  bool
	)
	e.Family = svcFamily
	for ad.Next() {
		switch ad.Type() {
		case destAddr:
			addr = ad.Bytes()
		case destPort:
			p := ad.Bytes()
			if len(p) != 2 {
				return e, fmt.Errorf("%w: destination port of %d bytes", errBadAttr, len(p))
			}
			e.Port = binary.BigEndian.Uint16(p)
		case destFwdMethod:
			e.Forward = ForwardMethod(ad.Uint32() & fwdMask)
		case destWeight:
			e.Weight = int(int32(ad.Uint32()))
		case destUThresh:
			e.UpperThreshold = ad.Uint32()
		case destLThresh:
			e.LowerThreshold = ad.Uint32()
		case destActiveConns:
			e.ActiveConns = ad.Uint32()
		case destInactConns:
			e.InactiveConns = ad.Uint32()
		case destPersistConns:
			e.PersistentConns = ad.Uint32()
		case destAddrFamily:
			e.Family = Family(ad.Uint16())
		case destTunType:
			e.TunnelType = TunnelType(ad.Uint8())
		case destTunPort:
			p := ad.Bytes()
			if len(p) != 2 {
				return e, fmt.Errorf("%w: tunnel port of %d bytes", errBadAttr, len(p))
			}
			e.TunnelPort = binary.BigEndian.Uint16(p)
		case destTunFlags:
			e.TunnelFlags = TunnelFlags(ad.Uint16())
		case destStats:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				stats32 = decodeStats(nad, false)
				return nil
			})
		case destStats64:
			ad.Nested(func(nad *netlink.AttributeDecoder) error {
				e.Stats = decodeStats(nad, true)
				have64 = true
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		return e, fmt.Errorf("ipvs: destination: %w", err)
	}
	if !have64 {
		e.Stats = stats32
	}
	if e.Addr, err = getAddr(e.Family, addr); err != nil {
		return e, err
	}
	return e, nil
}

// decodeStats reads IPVS_STATS_ATTR_*: 64-bit counters in the STATS64 nest; in the legacy nest
// the byte counters are 64-bit and the rest 32-bit.
func decodeStats(ad *netlink.AttributeDecoder, all64 bool) Stats {
	var s Stats
	get := func(wide bool) uint64 {
		if wide {
			return ad.Uint64()
		}
		return uint64(ad.Uint32())
	}
	for ad.Next() {
		switch ad.Type() {
		case statsConns:
			s.Connections = get(all64)
		case statsInPkts:
			s.PacketsIn = get(all64)
		case statsOutPkts:
			s.PacketsOut = get(all64)
		case statsInBytes:
			s.BytesIn = get(true)
		case statsOutBytes:
			s.BytesOut = get(true)
		case statsCPS:
			s.CPS = get(all64)
		case statsInPPS:
			s.PPSIn = get(all64)
		case statsOutPPS:
			s.PPSOut = get(all64)
		case statsInBPS:
			s.BPSIn = get(all64)
		case statsOutBPS:
			s.BPSOut = get(all64)
		}
	}
	return s
}

// encodeDaemon writes a sync daemon nest (ip_vs_genl_new_daemon needs STATE, MCAST_IFN, SYNC_ID).
func encodeDaemon(ae *netlink.AttributeEncoder, d Daemon) {
	ae.Uint32(daemonState, uint32(d.State))
	ae.String(daemonMcastIfn, d.Interface)
	ae.Uint32(daemonSyncID, d.SyncID)
	if d.MaxLen != 0 {
		ae.Uint16(daemonSyncMaxLen, d.MaxLen)
	}
	switch {
	case d.Group.Is4():
		v := d.Group.As4()
		ae.Bytes(daemonMcastGroup, v[:])
	case d.Group.Is6():
		v := d.Group.As16()
		ae.Bytes(daemonMcastGrp6, v[:])
	}
	if d.Port != 0 {
		ae.Uint16(daemonMcastPort, d.Port)
	}
	if d.TTL != 0 {
		ae.Uint8(daemonMcastTTL, d.TTL)
	}
}

// decodeDaemon parses a sync daemon nest.
func decodeDaemon(b []byte) (Daemon, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return Daemon{}, fmt.Errorf("ipvs: daemon: %w", err)
	}
	var d Daemon
	for ad.Next() {
		switch ad.Type() {
		case daemonState:
			d.State = DaemonState(ad.Uint32())
		case daemonMcastIfn:
			d.Interface = ad.String()
		case daemonSyncID:
			d.SyncID = ad.Uint32()
		case daemonSyncMaxLen:
			d.MaxLen = ad.Uint16()
		case daemonMcastGroup:
			if g := ad.Bytes(); len(g) == 4 {
				d.Group = netip.AddrFrom4([4]byte(g))
			}
		case daemonMcastGrp6:
			if g := ad.Bytes(); len(g) == 16 {
				d.Group = netip.AddrFrom16([16]byte(g))
			}
		case daemonMcastPort:
			d.Port = ad.Uint16()
		case daemonMcastTTL:
			d.TTL = ad.Uint8()
		}
	}
	if err := ad.Err(); err != nil {
		return d, fmt.Errorf("ipvs: daemon: %w", err)
	}
	return d, nil
}

// decodeTimeouts parses a GET_CONFIG reply.
func decodeTimeouts(b []byte) (Timeouts, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return Timeouts{}, fmt.Errorf("ipvs: config: %w", err)
	}
	var t Timeouts
	for ad.Next() {
		v := time.Duration(ad.Uint32()) * time.Second
		switch ad.Type() {
		case attrTimeoutTCP:
			t.TCP = v
		case attrTimeoutTCPFin:
			t.TCPFin = v
		case attrTimeoutUDP:
			t.UDP = v
		}
	}
	if err := ad.Err(); err != nil {
		return t, fmt.Errorf("ipvs: config: %w", err)
	}
	return t, nil
}

// decodeInfo parses a GET_INFO reply.
func decodeInfo(b []byte) (Info, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return Info{}, fmt.Errorf("ipvs: info: %w", err)
	}
	var i Info
	for ad.Next() {
		switch ad.Type() {
		case infoVersion:
			i.Version = ad.Uint32()
		case infoConnTabSize:
			i.ConnTableSize = ad.Uint32()
		}
	}
	if err := ad.Err(); err != nil {
		return i, fmt.Errorf("ipvs: info: %w", err)
	}
	return i, nil
}

// nested returns the payload of the first top-level attribute of type typ in b.
func nested(b []byte, typ uint16) ([]byte, error) {
	ad, err := netlink.NewAttributeDecoder(b)
	if err != nil {
		return nil, err
	}
	for ad.Next() {
		if ad.Type() == typ {
			return ad.Bytes(), nil
		}
	}
	if err := ad.Err(); err != nil {
		return nil, err
	}
	return nil, fmt.Errorf("%w: no attribute %d", errBadAttr, typ)
}
