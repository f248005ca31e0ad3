package packet

import (
	"fmt"
	"net/netip"
)

// IPv4Send describes how one IPv4 advert is framed, the way keepalived's
// vrrp_build_pkt() and vrrp_update_pkt() do it.
type IPv4Send struct {
	// Src and Dst are the IP addresses: the instance's source and the group or
	// one unicast peer. Each unicast copy gets its own checksum (VRRPv3) and ICV.
	Src, Dst netip.Addr
	// TTL is 255 for multicast, unicast_ttl (default 255) for unicast.
	TTL uint8
	// ID comes from the instance's IPID counter; unicast copies of one advert share it.
	ID uint16
	// Unicast is true when the instance has unicast peers (zeroes TTL in the AH ICV).
	Unicast bool
	// Checksum is the VRRPv3 checksum mode and UnicastChecksum the
	// old_unicast_checksum state (UnicastChecksumOld once auto-detected).
	Checksum        ChecksumMode
	UnicastChecksum UnicastChecksum
	// Group is the configured IPv4 group (Group4 when invalid), used by the old
	// unicast checksum style.
	Group netip.Addr
	// AHKey and AHSeq are used when the advert's auth type is AH.
	AHKey [AuthDataLen]byte
	AHSeq uint32
}

// AppendIPv4Advert appends a complete IPv4 datagram carrying a to b: IPv4 header
// (TOS 0xC0, DF clear, protocol 112, or 51 with AH), the AH header for auth type
// AH, and the VRRP message with its checksum. The IPv4 header checksum is filled
// in too, although the kernel recomputes it for IP_HDRINCL sockets. It does not
// modify a and does not allocate when b has room.
func AppendIPv4Advert(b []byte, a *Advert, s *IPv4Send) ([]byte, error) {
	useAH := a.Version == 2 && a.AuthType == AuthAH
	msgLen := a.Len(IPv4)
	h := IPv4Header{
		TOS:      TOS,
		TotalLen: uint16(IPv4HeaderLen + msgLen),
		ID:       s.ID,
		TTL:      s.TTL,
		Protocol: ProtoVRRP,
		Src:      s.Src,
		Dst:      s.Dst,
	}
	if useAH {
		h.TotalLen += AHLen
		h.Protocol = ProtoAH
	}
	start := len(b)
	b, err := h.AppendMarshal(b)
	if err != nil {
		return b[:start], fmt.Errorf("vrrp ipv4 advert: %w", err)
	}
	ahOff := len(b)
	if useAH {
		ah := AH{NextHeader: ProtoVRRP, PayloadLen: ahPayloadLen, SPI: be32(s.Src), Seq: s.AHSeq}
		b = ah.AppendMarshal(b)
	}
	msgOff := len(b)
	b, err = a.AppendMarshal(b, IPv4)
	if err != nil {
		return b[:start], fmt.Errorf("vrrp ipv4 advert: %w", err)
	}
	msg := b[msgOff:]
	var ph PseudoHeader
	if a.Version == 3 {
		compat := s.UnicastChecksum
		if !s.Unicast {
			compat = UnicastChecksumAuto
		}
		ph = V3IPv4PseudoHeader(s.Src, s.Dst, s.Checksum, compat, s.Group)
	}
	PutChecksum(msg, AdvertChecksum(msg, ph))
	if useAH {
		// The ICV covers the header with its checksum field zero, so it is
		// computed before the header checksum is stored.
		icv, err := ComputeICV(b[start:ahOff], b[ahOff:msgOff], msg, s.AHKey, s.Unicast)
		if err != nil {
			return b[:start], fmt.Errorf("vrrp ipv4 advert: %w", err)
		}
		copy(b[msgOff-ICVLen:msgOff], icv[:])
	}
	hdr := b[start:ahOff]
	hc := IPv4HeaderChecksum(hdr)
	hdr[10], hdr[11] = byte(hc>>8), byte(hc)
	return b, nil
}

// AppendIPv6Advert appends the VRRP message of a for IPv6 to b. With a pseudo-header
// (Src set) the checksum is computed here; with none it is left 0 for the kernel
// (keepalived sets IPV6_CHECKSUM to offset 6).
func AppendIPv6Advert(b []byte, a *Advert, ph PseudoHeader) ([]byte, error) {
	start := len(b)
	c := *a
	c.Checksum = 0
	b, err := c.AppendMarshal(b, IPv6)
	if err != nil {
		return b[:start], fmt.Errorf("vrrp ipv6 advert: %w", err)
	}
	if !ph.None() {
		msg := b[start:]
		PutChecksum(msg, AdvertChecksum(msg, ph))
	}
	return b, nil
}

// be32 returns an IPv4 address as a big-endian integer (0 for anything else).
func be32(a netip.Addr) uint32 {
	if !a.Is4() {
		return 0
	}
	v := a.As4()
	return uint32(v[0])<<24 | uint32(v[1])<<16 | uint32(v[2])<<8 | uint32(v[3])
}
