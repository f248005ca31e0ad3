package packet

import (
	"crypto/md5"
	"crypto/subtle"
	"encoding/binary"
	"fmt"
)

// Password returns the 8-byte VRRPv2 auth data for auth_pass: the password
// truncated to 8 bytes (keepalived warns) or zero padded (RFC 2338 §5.3.10).
func Password(pass string) (data [AuthDataLen]byte, truncated bool) {
	copy(data[:], pass)
	return data, len(pass) > AuthDataLen
}

// PasswordMatch compares received auth data with the local one in constant time,
// as keepalived does (memcmp_constant_time), so timing leaks nothing.
func PasswordMatch(got []byte, want [AuthDataLen]byte) bool {
	return len(got) == AuthDataLen && subtle.ConstantTimeCompare(got, want[:]) == 1
}

// AH is the IPsec Authentication Header keepalived puts between the IPv4 header
// and a VRRPv2 message with auth_type AH (RFC 2402 §2, now RFC 4302 §2;
// keepalived vrrp_ipsecah.h, vrrp_build_ipsecah()).
type AH struct {
	// NextHeader is 112 (VRRP).
	NextHeader uint8
	// PayloadLen is the AH length in 32-bit words minus 2: 4 for 24 bytes.
	PayloadLen uint8
	Reserved   uint16
	// SPI is the sender's IPv4 source address: there is no SA negotiation on a
	// multicast LAN, so keepalived derives it from the address (draft-paridaens-xcast-sec-framework).
	SPI uint32
	// Seq increases by one per advert sent, starting at 1 (RFC 4302 §2.5).
	Seq uint32
	// ICV is HMAC-MD5-96 (RFC 2404) keyed with the 8-byte auth data.
	ICV [ICVLen]byte
}

// AH field values keepalived sends.
const (
	ahPayloadLen = 4 // IPSEC_AH_PLEN: (24 / 4) - 2
)

// AppendMarshal appends the 24-byte header to b.
func (h *AH) AppendMarshal(b []byte) []byte {
	b = append(b, h.NextHeader, h.PayloadLen)
	b = binary.BigEndian.AppendUint16(b, h.Reserved)
	b = binary.BigEndian.AppendUint32(b, h.SPI)
	b = binary.BigEndian.AppendUint32(b, h.Seq)
	return append(b, h.ICV[:]...)
}

// Unmarshal decodes the AH header at the start of b.
func (h *AH) Unmarshal(b []byte) error {
	if len(b) < AHLen {
		return fmt.Errorf("ipsec ah header: %d bytes: %w", len(b), ErrTruncated)
	}
	h.NextHeader = b[0]
	h.PayloadLen = b[1]
	h.Reserved = binary.BigEndian.Uint16(b[2:4])
	h.SPI = binary.BigEndian.Uint32(b[4:8])
	h.Seq = binary.BigEndian.Uint32(b[8:12])
	copy(h.ICV[:], b[12:24])
	return nil
}

// zeroICV stands in for the ICV while it is computed.
var zeroICV [ICVLen]byte

// maxICVInput bounds what ComputeICV hashes: the longest IPv4 header, the AH
// header and the longest VRRPv2 IPv4 message (255 addresses plus auth data).
const maxICVInput = 60 + AHLen + HeaderLen + 255*4 + AuthDataLen

// ComputeICV returns the HMAC-MD5-96 ICV (RFC 2404, RFC 2104) keepalived puts in
// the AH header, over exactly what vrrp_update_pkt() and vrrp_in_chk_ipsecah()
// hash:
//
//   - the IPv4 header ipHdr with the mutable fields TOS, flags/fragment offset and
//     header checksum zeroed, and the TTL zeroed too when the instance is unicast
//     (RFC 4302 §3.3.3.1.1.1 lists TTL as mutable; keepalived keeps it for
//     multicast because it must be 255 there);
//   - the 24-byte AH header ah with its ICV zeroed;
//   - the VRRP message msg.
//
// The key is the 8-byte auth data. It does not allocate.
func ComputeICV(ipHdr, ah, msg []byte, key [AuthDataLen]byte, unicast bool) ([ICVLen]byte, error) {
	var icv [ICVLen]byte
	if len(ipHdr) < IPv4HeaderLen || len(ipHdr) > 60 || len(ah) < AHLen {
		return icv, fmt.Errorf("ipsec ah icv: ip header %d bytes, ah %d bytes: bad lengths", len(ipHdr), len(ah))
	}
	n := len(ipHdr) + AHLen + len(msg)
	if n > maxICVInput {
		return icv, fmt.Errorf("ipsec ah icv: %d bytes to hash, at most %d", n, maxICVInput)
	}
	// HMAC (RFC 2104) written out with md5.Sum over stack buffers so that
	// validating an AH advert does not allocate: H(K^opad || H(K^ipad || text)).
	const block = md5.BlockSize
	var inner [block + maxICVInput]byte
	var outer [block + md5.Size]byte
	for i := 0; i < block; i++ {
		k := byte(0)
		if i < len(key) {
			k = key[i]
		}
		inner[i] = k ^ 0x36
		outer[i] = k ^ 0x5c
	}
	t := inner[block:block]
	t = append(t, ipHdr...)
	t[1] = 0            // TOS
	t[6], t[7] = 0, 0   // flags + fragment offset
	t[10], t[11] = 0, 0 // header checksum
	if unicast {
		t[8] = 0 // TTL
	}
	t = append(t, ah[:AHLen-ICVLen]...)
	t = append(t, zeroICV[:]...)
	t = append(t, msg...)
	ih := md5.Sum(inner[:block+len(t)])
	copy(outer[block:], ih[:])
	oh := md5.Sum(outer[:])
	copy(icv[:], oh[:ICVLen])
	return icv, nil
}

// Replay is the AH anti-replay state of one receiving instance (RFC 4302 §3.4.3,
// simplified as keepalived does): a sequence number is accepted only if it is
// greater than the last accepted one.
type Replay struct{ last uint32 }

// Accept reports whether seq is new and, if so, records it.
func (r *Replay) Accept(seq uint32) bool {
	if seq <= r.last {
		return false
	}
	r.last = seq
	return true
}

// Last returns the last accepted sequence number.
func (r *Replay) Last() uint32 { return r.last }

// Reset forgets the last sequence number; keepalived does it when the instance
// becomes master after its own counter cycled.
func (r *Replay) Reset() { r.last = 0 }

// AHSequence is the sending side's AH sequence counter. keepalived starts at 0,
// sends 1 first, and stops increasing once past 0xFFFFFFFD, flagging "cycled"
// so that the instance gives up mastership (vrrp_update_pkt).
type AHSequence struct {
	n      uint32
	cycled bool
}

// Next returns the sequence number of the next advert and whether the counter
// has cycled.
func (s *AHSequence) Next() (uint32, bool) {
	if s.n > 0xFFFFFFFD {
		s.cycled = true
	} else {
		s.n++
	}
	return s.n, s.cycled
}

// Reset restarts the counter (keepalived resets it on becoming master after a cycle).
func (s *AHSequence) Reset() { *s = AHSequence{} }
