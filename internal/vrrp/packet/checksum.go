package packet

import (
	"encoding/binary"
	"net/netip"
)

// sum adds b to the one's-complement accumulator acc as a sequence of big-endian
// 16-bit words, padding an odd trailing byte with zero (RFC 1071 §4.1).
func sum(acc uint64, b []byte) uint64 {
	for len(b) >= 2 {
		acc += uint64(binary.BigEndian.Uint16(b))
		b = b[2:]
	}
	if len(b) == 1 {
		acc += uint64(b[0]) << 8
	}
	return acc
}

// fold reduces the accumulator to 16 bits with end-around carry.
func fold(acc uint64) uint16 {
	for acc > 0xFFFF {
		acc = acc&0xFFFF + acc>>16
	}
	return uint16(acc)
}

// InternetChecksum returns the RFC 1071 checksum of b: the one's complement of
// the one's-complement sum of its 16-bit words.
func InternetChecksum(b []byte) uint16 { return ^fold(sum(0, b)) }

// PseudoHeader selects the pseudo-header prepended to the VRRP message for the
// checksum. The zero value means none (VRRPv2, and VRRPv3 with v3_checksum_as_v2).
// For IPv4 it is {Src, Dst, 0, 112, length} (RFC 9568 §5.2.8 referring to RFC 768
// style, keepalived ipv4_phdr_t); for IPv6 {Src, Dst, length(32), 0, 112}
// (RFC 8200 §8.1).
type PseudoHeader struct {
	Src, Dst netip.Addr
}

// None reports whether no pseudo-header is used.
func (ph PseudoHeader) None() bool { return !ph.Src.IsValid() }

// pseudoSum returns the one's-complement sum of the pseudo-header for an upper
// layer message of n bytes and protocol proto.
func pseudoSum(ph PseudoHeader, proto uint8, n int) uint64 {
	if ph.None() {
		return 0
	}
	var acc uint64
	if ph.Src.Is4() {
		s, d := ph.Src.As4(), ph.Dst.As4()
		acc = sum(acc, s[:])
		acc = sum(acc, d[:])
		acc += uint64(proto)
		acc += uint64(n & 0xFFFF)
		return acc
	}
	s, d := ph.Src.As16(), ph.Dst.As16()
	acc = sum(acc, s[:])
	acc = sum(acc, d[:])
	acc += uint64(uint32(n)>>16) + uint64(n&0xFFFF)
	acc += uint64(proto)
	return acc
}

// AdvertChecksum returns the checksum of the VRRP message msg (exactly the message:
// header, addresses and, for v2 over IPv4, the auth data), computed with the
// checksum field (bytes 6-7) taken as zero and with the pseudo-header ph.
//
// VRRPv2: no pseudo-header (RFC 3768 §5.3.8). VRRPv3 over IPv4: keepalived's
// default includes the pseudo-header with the actual destination; RFC 9568 §5.2.8
// and v3_checksum_as_v2 use none. VRRPv3 over IPv6: the IPv6 pseudo-header
// (RFC 9568 §5.2.8, RFC 8200 §8.1).
func AdvertChecksum(msg []byte, ph PseudoHeader) uint16 {
	acc := pseudoSum(ph, ProtoVRRP, len(msg))
	if len(msg) < HeaderLen {
		return ^fold(sum(acc, msg))
	}
	acc = sum(acc, msg[:6])
	acc = sum(acc, msg[8:])
	return ^fold(acc)
}

// VerifyAdvertChecksum reports whether the checksum stored in msg is right for
// the pseudo-header ph: the sum over everything, checksum included, must be
// all ones (keepalived: in_csum(...) == 0).
func VerifyAdvertChecksum(msg []byte, ph PseudoHeader) bool {
	return fold(sum(pseudoSum(ph, ProtoVRRP, len(msg)), msg)) == 0xFFFF
}

// PutChecksum stores sum in the checksum field of the VRRP message msg.
func PutChecksum(msg []byte, sum uint16) {
	binary.BigEndian.PutUint16(msg[6:8], sum)
}

// ChecksumMode is how a VRRPv3 IPv4 checksum is formed (config v3_checksum_as_v2).
type ChecksumMode uint8

// Checksum modes.
const (
	// ChecksumPseudoHeader includes the IPv4 pseudo-header (keepalived default).
	ChecksumPseudoHeader ChecksumMode = iota
	// ChecksumAsV2 omits the pseudo-header, as RFC 9568, Cisco and Juniper do.
	ChecksumAsV2
)

// UnicastChecksum is the old_unicast_checksum setting: which destination goes in
// the VRRPv3 IPv4 pseudo-header of unicast adverts. keepalived ≤ 1.3.6 used the
// multicast group instead of the peer (issue #642).
type UnicastChecksum uint8

// Unicast checksum modes.
const (
	// UnicastChecksumAuto uses the actual destination, and on receive retries a
	// failed unicast checksum with the group; a match is reported in
	// Result.OldUnicastChecksum so the caller switches to the old style for good
	// (keepalived CHKSUM_COMPATIBILITY_NONE, the default).
	UnicastChecksumAuto UnicastChecksum = iota
	// UnicastChecksumNever uses the actual destination and never retries
	// (old_unicast_checksum never).
	UnicastChecksumNever
	// UnicastChecksumOld always uses the group (bare old_unicast_checksum, or after
	// auto-detection).
	UnicastChecksumOld
)

// V3IPv4PseudoHeader returns the pseudo-header for a VRRPv3 IPv4 advert from src
// to dst under mode and compat, with group the configured IPv4 multicast group
// (Group4 when invalid). The old style only changes unicast destinations.
func V3IPv4PseudoHeader(src, dst netip.Addr, mode ChecksumMode, compat UnicastChecksum, group netip.Addr) PseudoHeader {
	if mode == ChecksumAsV2 {
		return PseudoHeader{}
	}
	if compat == UnicastChecksumOld {
		if !group.IsValid() {
			group = Group4
		}
		dst = group
	}
	return PseudoHeader{Src: src, Dst: dst}
}
