package packet

import (
	"crypto/subtle"
	"net/netip"
	"time"
)

// Peer is one unicast_peer entry.
type Peer struct {
	Addr netip.Addr
	// MinTTL and MaxTTL bound the received TTL/hop limit (min_ttl/max_ttl);
	// MaxTTL 0 means unset (255).
	MinTTL, MaxTTL uint8
}

// Params is what a VRRP instance is configured with, as far as receive
// validation needs it. It is read-only for Validate except Replay.
type Params struct {
	Version uint8
	Family  Family
	VRID    uint8
	// Priority is the configured (base) priority; 255 is the address owner.
	Priority uint8
	// AuthType and AuthData are the VRRPv2 authentication (auth_type, auth_pass
	// as returned by Password). Ignored for VRRPv3.
	AuthType AuthType
	AuthData [AuthDataLen]byte
	// Replay is the instance's AH anti-replay state, updated when an AH advert
	// passes its ICV and SPI checks. Nil disables the replay check.
	Replay *Replay
	// AdverInt is the local advertisement interval (whole seconds for v2).
	AdverInt time.Duration
	// VIPs are the configured virtual addresses (not the excluded ones).
	VIPs []netip.Addr
	// Peers are the unicast peers; none means multicast.
	Peers []Peer
	// CheckUnicastSrc drops unicast adverts from sources that are not peers
	// (check_unicast_src, vrrp_check_unicast_src, implied by min/max_ttl).
	CheckUnicastSrc bool
	// Checksum and UnicastChecksum are the VRRPv3 IPv4 checksum settings
	// (v3_checksum_as_v2, old_unicast_checksum; UnicastChecksumOld once detected).
	Checksum        ChecksumMode
	UnicastChecksum UnicastChecksum
	// Group4 is the configured IPv4 multicast group (Group4 when invalid).
	Group4 netip.Addr
	// OwnerIgnoreAdverts drops every advert when Priority is 255 (owner_ignore_adverts).
	OwnerIgnoreAdverts bool
	// CheckVIPs compares the advertised addresses with VIPs. keepalived does it
	// when skip_check_adv_addr is off, or when the master changes.
	CheckVIPs bool
	// RejectVIPMismatch restores the ≤ 2.3.2 behaviour of dropping adverts whose
	// addresses differ; by default (2.3.3+) they are accepted and flagged.
	RejectVIPMismatch bool
	// VerifyIPv6Checksum checks the IPv6 checksum here, for sockets that do not
	// set IPV6_CHECKSUM (with it, the kernel has already dropped bad ones).
	VerifyIPv6Checksum bool
}

// Meta is what the socket reported about a received packet. For IPv4 the
// header in the packet is authoritative and Meta is not consulted.
type Meta struct {
	// Src and Dst are the IPv6 source and destination (IPV6_PKTINFO).
	Src, Dst netip.Addr
	// HopLimit is the received IPv6 hop limit (IPV6_HOPLIMIT), or -1 if unknown.
	HopLimit int
}

// Result is Validate's verdict.
type Result struct {
	// Drop is DropNone when the packet is accepted.
	Drop DropReason
	// IntervalMismatch: a VRRPv3 advert with another interval; keepalived only
	// logs it (rate-limited) and the backup adopts the master's interval.
	IntervalMismatch bool
	// VIPMismatch: the advertised addresses differ from the configured ones;
	// accepted and logged since keepalived 2.3.3.
	VIPMismatch bool
	// OldUnicastChecksum: the VRRPv3 unicast checksum only matched with the
	// multicast group in the pseudo-header (keepalived ≤ 1.3.6 peer). The caller
	// logs "Setting unicast VRRPv3 checksum to old version" and switches the
	// instance to UnicastChecksumOld for sending and receiving, until restart.
	OldUnicastChecksum bool
}

// OK reports whether the packet was accepted.
func (r Result) OK() bool { return r.Drop == DropNone }

// Validate decodes a received packet into a (reusing its address slice) and runs
// keepalived's receive checks in keepalived's order (vrrp_check_packet(),
// reference §6.6; RFC 3768 §7.1 and RFC 9568 §7.1 for the RFC subset). For IPv4,
// b is the whole IP datagram as a raw socket returns it; for IPv6 it is the VRRP
// message and m supplies addresses and hop limit. It does not allocate once
// a.Addrs has capacity for the address count.
func Validate(p *Params, b []byte, m *Meta, a *Advert) Result {
	if m == nil {
		m = &noMeta
	}
	fam := p.Family
	var (
		ip     IPv4Header
		ah     AH
		msgOff int
	)
	if fam == IPv4 {
		if len(b) < IPv4HeaderLen {
			return Result{Drop: DropTooShort}
		}
		hl, err := ip.Unmarshal(b)
		if err != nil {
			if len(b) >= IPv4HeaderLen && b[0]>>4 == 4 && int(b[0]&0x0F)*4 > len(b) {
				return Result{Drop: DropTooShort}
			}
			return Result{Drop: DropIPHeader}
		}
		msgOff = hl
		switch ip.Protocol {
		case ProtoVRRP:
		case ProtoAH:
			if ah.Unmarshal(b[hl:]) != nil {
				return Result{Drop: DropTooShort}
			}
			msgOff += AHLen
		default:
			return Result{Drop: DropIPHeader}
		}
	}
	if len(b) < msgOff+HeaderLen {
		return Result{Drop: DropTooShort}
	}
	hdr := b[msgOff:]
	if hdr[1] != p.VRID {
		return Result{Drop: DropVRID}
	}

	// 1. AH present iff configured; complete message received. Extra bytes after
	// an IPv4 datagram are link padding, tolerated since 2.3.2 and checked
	// against tot_len in step 7.
	if fam == IPv4 && (ip.Protocol == ProtoAH) != (p.AuthType == AuthAH) {
		return Result{Drop: DropAHMismatch}
	}
	msgLen := MessageLen(hdr[0]>>4, fam, int(hdr[3]))
	expected := msgOff + msgLen
	if len(b) < expected || (fam == IPv6 && len(b) != expected) {
		return Result{Drop: DropLength}
	}
	msg := b[msgOff:expected]
	if a.Unmarshal(msg, fam) != nil {
		return Result{Drop: DropLength}
	}
	unicast := len(p.Peers) > 0
	ttl := m.HopLimit
	if fam == IPv4 {
		ttl = int(ip.TTL)
	}

	// 2. TTL / hop limit 255, unless unicast (RFC 9568 §7.1 first MUST).
	if !unicast && ttl >= 0 && ttl != TTL {
		return Result{Drop: DropTTL}
	}
	// 3. Version.
	if a.Version != p.Version {
		return Result{Drop: DropVersion}
	}
	// 4. auth_hmac (2.4) is not implemented.
	// 5. VRRPv2 authentication and interval (RFC 3768 §7.1; RFC 2338 §7.1 for auth).
	if p.Version == 2 {
		if a.AuthType > AuthAH {
			return Result{Drop: DropAuthTypeInvalid}
		}
		if a.AuthType != p.AuthType {
			return Result{Drop: DropAuthTypeMismatch}
		}
		switch p.AuthType {
		case AuthPass:
			if !hasAuthData(a.Version, fam) || !PasswordMatch(msg[msgLen-AuthDataLen:], p.AuthData) {
				return Result{Drop: DropAuthPass}
			}
		case AuthAH:
			if fam != IPv4 {
				return Result{Drop: DropAHMismatch}
			}
			if r := checkAH(p, &ip, &ah, b, msgOff, msg, unicast); r != DropNone {
				return Result{Drop: r}
			}
		}
		if time.Duration(a.AdverInt)*time.Second != p.AdverInt {
			return Result{Drop: DropIntervalMismatch}
		}
	}
	// 6. Type.
	if a.Type != TypeAdvertisement {
		return Result{Drop: DropType}
	}
	// 7. IPv4 total length covers exactly the IP, AH and VRRP headers.
	if fam == IPv4 && int(ip.TotalLen) != expected {
		return Result{Drop: DropIPLength}
	}
	var r Result
	// 8. VRRPv3 interval mismatch is only reported.
	if p.Version == 3 && a.AdvertInterval() != p.AdverInt {
		r.IntervalMismatch = true
	}
	// 9. Checksum.
	switch {
	case fam == IPv4 && p.Version == 2:
		if !VerifyAdvertChecksum(msg, PseudoHeader{}) {
			return Result{Drop: DropChecksum}
		}
	case fam == IPv4:
		compat := p.UnicastChecksum
		group := p.Group4
		if !group.IsValid() {
			group = Group4
		}
		if !VerifyAdvertChecksum(msg, V3IPv4PseudoHeader(ip.Src, ip.Dst, p.Checksum, compat, group)) {
			retry := p.Checksum == ChecksumPseudoHeader && unicast &&
				compat == UnicastChecksumAuto && ip.Dst != group
			if !retry || !VerifyAdvertChecksum(msg, PseudoHeader{Src: ip.Src, Dst: group}) {
				return Result{Drop: DropChecksum}
			}
			r.OldUnicastChecksum = true
		}
	case p.VerifyIPv6Checksum:
		if !m.Src.IsValid() || !m.Dst.IsValid() ||
			!VerifyAdvertChecksum(msg, PseudoHeader{Src: m.Src, Dst: m.Dst}) {
			return Result{Drop: DropChecksum}
		}
	}
	// 10. Multicast destination iff multicast instance.
	src, dst := m.Src, m.Dst
	if fam == IPv4 {
		src, dst = ip.Src, ip.Dst
	}
	if dst.IsValid() && dst.IsMulticast() == unicast {
		return Result{Drop: DropCastMismatch}
	}
	// 11. The owner ignores adverts (RFC 9568 intent, keepalived 2.3.3 option).
	if p.OwnerIgnoreAdverts && p.Priority == PriorityOwner {
		return Result{Drop: DropOwnerIgnore}
	}
	// 12. Addresses (RFC 9568 §7.1 MAY): flagged, or dropped in ≤ 2.3.2 mode.
	if p.CheckVIPs {
		if len(a.Addrs) != len(p.VIPs) {
			if p.RejectVIPMismatch {
				return Result{Drop: DropVIPCount}
			}
			r.VIPMismatch = true
		} else if !containsAll(a.Addrs, p.VIPs) {
			if p.RejectVIPMismatch {
				return Result{Drop: DropVIPMismatch}
			}
			r.VIPMismatch = true
		}
	}
	// 13. Unicast source is a peer, with the TTL in its range.
	if unicast && p.CheckUnicastSrc {
		peer := -1
		for i := range p.Peers {
			if p.Peers[i].Addr == src {
				peer = i
				break
			}
		}
		if peer < 0 {
			return Result{Drop: DropUnicastSource}
		}
		lo, hi := int(p.Peers[peer].MinTTL), int(p.Peers[peer].MaxTTL)
		if hi == 0 {
			hi = 255
		}
		if ttl >= 0 && (ttl < lo || ttl > hi) {
			return Result{Drop: DropUnicastTTL}
		}
	}
	return r
}

// noMeta stands in for a nil Meta: nothing known.
var noMeta = Meta{HopLimit: -1}

// checkAH verifies the AH header the way vrrp_in_chk_ipsecah() does: next header,
// ICV, SPI, then the replay window (whose state changes only on success).
func checkAH(p *Params, ip *IPv4Header, ah *AH, b []byte, msgOff int, msg []byte, unicast bool) DropReason {
	if ah.NextHeader != ProtoVRRP {
		return DropAHNextHeader
	}
	hl := msgOff - AHLen
	icv, err := ComputeICV(b[:hl], b[hl:msgOff], msg, p.AuthData, unicast)
	if err != nil || !icvEqual(ah.ICV, icv) {
		return DropAHICV
	}
	if ah.SPI != be32(ip.Src) {
		return DropAHSPI
	}
	if p.Replay != nil && !p.Replay.Accept(ah.Seq) {
		return DropAHReplay
	}
	return DropNone
}

// icvEqual compares two ICVs in constant time (keepalived memcmp_constant_time).
func icvEqual(got, want [ICVLen]byte) bool {
	return subtle.ConstantTimeCompare(got[:], want[:]) == 1
}

// containsAll reports whether every address of want is in got.
func containsAll(got, want []netip.Addr) bool {
	for _, w := range want {
		found := false
		for _, g := range got {
			if g == w {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}
