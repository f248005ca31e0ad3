package packet

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// ErrTruncated is returned when a buffer is shorter than the structure it should hold.
var ErrTruncated = errors.New("truncated")

// Advert is one VRRP advertisement message (RFC 3768 §5.1 for version 2, RFC 9568
// §5.1 for version 3), without the IP header. The address count on the wire is
// len(Addrs).
//
//	v2: |Ver|Type| VRID | Priority | Count | AuthType | AdverInt(s) | Checksum | addrs | auth data (IPv4)
//	v3: |Ver|Type| VRID | Priority | Count | Rsvd(4) MaxAdverInt(12, cs) | Checksum | addrs
type Advert struct {
	// Version is 2 or 3 (the high nibble of byte 0).
	Version uint8
	// Type is the low nibble of byte 0; 1 (advertisement) is the only defined type.
	Type uint8
	// VRID is the virtual router ID, 1-255.
	VRID uint8
	// Priority is 0 (stopping), 1-254, or 255 (address owner).
	Priority uint8
	// AuthType is the VRRPv2 Auth Type; VRRPv3 has no such field and ignores it.
	AuthType AuthType
	// AdverInt is the raw interval field: whole seconds for v2 (8 bits),
	// centiseconds for v3 (12 bits). See AdvertInterval.
	AdverInt uint16
	// Reserved is the 4-bit reserved field of v3: sent as 0, ignored on receive
	// (RFC 9568 §5.2.6, keepalived masks it with 0x0FFF).
	Reserved uint8
	// Checksum is the checksum field as found on the wire or to be written verbatim
	// by AppendMarshal; AppendIPv4Advert and AppendIPv6Advert compute it.
	Checksum uint16
	// Addrs are the virtual addresses, all of the instance's family.
	Addrs []netip.Addr
	// AuthData is the 8-byte VRRPv2 authentication data, present on the wire only
	// for v2 over IPv4 (zero for auth type NONE and AH, the zero-padded password for PASS).
	AuthData [AuthDataLen]byte
}

// hasAuthData reports whether the 8 auth data bytes follow the addresses: keepalived
// appends them to every VRRPv2 message over IPv4 and never over IPv6 (non-RFC v2/IPv6).
func hasAuthData(version uint8, fam Family) bool {
	return version == 2 && fam == IPv4
}

// MessageLen returns the length of a VRRP message of this version and family
// with n addresses (keepalived vrrp_pkt_len / expected_vrrp_pkt_len).
func MessageLen(version uint8, fam Family, n int) int {
	l := HeaderLen + n*fam.AddrLen()
	if hasAuthData(version, fam) {
		l += AuthDataLen
	}
	return l
}

// Len returns the wire length of a in family fam.
func (a *Advert) Len(fam Family) int { return MessageLen(a.Version, fam, len(a.Addrs)) }

// AdvertInterval returns the advertisement interval as a duration: v2 counts
// seconds (RFC 3768 §5.3.7), v3 centiseconds (RFC 9568 §5.2.7).
func (a *Advert) AdvertInterval() time.Duration {
	if a.Version == 2 {
		return time.Duration(a.AdverInt) * time.Second
	}
	return time.Duration(a.AdverInt) * 10 * time.Millisecond
}

// SetAdvertInterval stores d in the interval field for a's version, truncated the
// way keepalived does (adver_int / TIMER_HZ for v2, / TIMER_CENTI_HZ for v3);
// it fails when d does not fit the field.
func (a *Advert) SetAdvertInterval(d time.Duration) error {
	switch a.Version {
	case 2:
		s := d / time.Second
		if s < 0 || s > MaxAdverIntV2 {
			return fmt.Errorf("vrrp v2 advert interval %v: outside 0-255 s", d)
		}
		a.AdverInt = uint16(s)
	case 3:
		cs := d / (10 * time.Millisecond)
		if cs < 0 || cs > MaxAdverIntV3 {
			return fmt.Errorf("vrrp v3 advert interval %v: outside 0-40.95 s", d)
		}
		a.AdverInt = uint16(cs)
	default:
		return fmt.Errorf("vrrp version %d: unsupported", a.Version)
	}
	return nil
}

// Marshal returns the wire form of a for family fam (see AppendMarshal).
func (a *Advert) Marshal(fam Family) ([]byte, error) {
	return a.AppendMarshal(make([]byte, 0, a.Len(fam)), fam)
}

// AppendMarshal appends the wire form of a to b and returns the extended slice.
// The checksum field is written as a.Checksum. It does not allocate when b has
// room for a.Len(fam) more bytes.
func (a *Advert) AppendMarshal(b []byte, fam Family) ([]byte, error) {
	if a.Version != 2 && a.Version != 3 {
		return b, fmt.Errorf("vrrp marshal: version %d unsupported", a.Version)
	}
	if a.Type > 0xF || a.Reserved > 0xF {
		return b, fmt.Errorf("vrrp marshal: type %d or reserved %d wider than 4 bits", a.Type, a.Reserved)
	}
	if len(a.Addrs) > 255 {
		return b, fmt.Errorf("vrrp marshal: %d addresses, at most 255 fit", len(a.Addrs))
	}
	var word uint16
	if a.Version == 2 {
		if a.AdverInt > MaxAdverIntV2 {
			return b, fmt.Errorf("vrrp marshal: v2 adver int %d s does not fit 8 bits", a.AdverInt)
		}
		word = uint16(a.AuthType)<<8 | a.AdverInt
	} else {
		if a.AdverInt > MaxAdverIntV3 {
			return b, fmt.Errorf("vrrp marshal: v3 max adver int %d cs does not fit 12 bits", a.AdverInt)
		}
		word = uint16(a.Reserved)<<12 | a.AdverInt
	}
	b = append(b, a.Version<<4|a.Type, a.VRID, a.Priority, uint8(len(a.Addrs)))
	b = binary.BigEndian.AppendUint16(b, word)
	b = binary.BigEndian.AppendUint16(b, a.Checksum)
	for i, ad := range a.Addrs {
		switch {
		case fam == IPv4 && ad.Is4():
			v := ad.As4()
			b = append(b, v[:]...)
		case fam == IPv6 && ad.Is6():
			v := ad.As16()
			b = append(b, v[:]...)
		default:
			return b, fmt.Errorf("vrrp marshal: address %d (%v) is not %v", i, ad, fam)
		}
	}
	if hasAuthData(a.Version, fam) {
		b = append(b, a.AuthData[:]...)
	}
	return b, nil
}

// Unmarshal decodes the VRRP message at the start of b for family fam into a,
// reusing a.Addrs' backing array so that a warm decode does not allocate. Bytes
// after the message (link padding) are ignored. A version other than 2 or 3 is
// decoded with the v3 layout and left for Validate to reject.
func (a *Advert) Unmarshal(b []byte, fam Family) error {
	if len(b) < HeaderLen {
		return fmt.Errorf("vrrp header: %d bytes: %w", len(b), ErrTruncated)
	}
	a.Version = b[0] >> 4
	a.Type = b[0] & 0x0F
	a.VRID = b[1]
	a.Priority = b[2]
	n := int(b[3])
	if a.Version == 2 {
		a.AuthType = AuthType(b[4])
		a.AdverInt = uint16(b[5])
		a.Reserved = 0
	} else {
		a.AuthType = AuthNone
		w := binary.BigEndian.Uint16(b[4:6])
		a.Reserved = uint8(w >> 12)
		a.AdverInt = w & MaxAdverIntV3
	}
	a.Checksum = binary.BigEndian.Uint16(b[6:8])
	need := MessageLen(a.Version, fam, n)
	if len(b) < need {
		return fmt.Errorf("vrrp message with %d addresses: %d bytes, need %d: %w", n, len(b), need, ErrTruncated)
	}
	a.Addrs = a.Addrs[:0]
	alen := fam.AddrLen()
	p := b[HeaderLen:]
	for i := 0; i < n; i++ {
		if alen == 4 {
			a.Addrs = append(a.Addrs, netip.AddrFrom4([4]byte(p[:4])))
		} else {
			a.Addrs = append(a.Addrs, netip.AddrFrom16([16]byte(p[:16])))
		}
		p = p[alen:]
	}
	a.AuthData = [AuthDataLen]byte{}
	if hasAuthData(a.Version, fam) {
		copy(a.AuthData[:], p[:AuthDataLen])
	}
	return nil
}

// PeekVRID returns the VRID of a received packet without decoding it, so that the
// receiver can pick the instance whose Params to validate with (keepalived
// demultiplexes by VRID before vrrp_check_packet). For IPv4, b is the whole IP
// datagram; for IPv6, the VRRP message.
func PeekVRID(b []byte, fam Family) (uint8, bool) {
	off := 0
	if fam == IPv4 {
		if len(b) < IPv4HeaderLen || b[0]>>4 != 4 {
			return 0, false
		}
		off = int(b[0]&0x0F) * 4
		if b[9] == ProtoAH {
			off += AHLen
		}
	}
	if off < 0 || len(b) < off+HeaderLen {
		return 0, false
	}
	return b[off+1], true
}
