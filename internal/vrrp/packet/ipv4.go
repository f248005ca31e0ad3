package packet

import (
	"encoding/binary"
	"fmt"
	"net/netip"
)

// IPv4Header is an IPv4 header (RFC 791 §3.1). keepalived builds its own header
// with IP_HDRINCL (vrrp_build_ip4): TOS 0xC0, ID from a per-instance counter that
// skips 0, DF clear, TTL 255 (multicast) or unicast_ttl, protocol 112 or 51.
type IPv4Header struct {
	TOS      uint8
	TotalLen uint16
	ID       uint16
	// FragOff holds the 3 flag bits and the 13-bit fragment offset as on the wire.
	FragOff  uint16
	TTL      uint8
	Protocol uint8
	Checksum uint16
	Src, Dst netip.Addr
	// Options are the header options (a multiple of 4 bytes, at most 40); on decode
	// they alias the input buffer.
	Options []byte
}

// Len returns the header length in bytes.
func (h *IPv4Header) Len() int { return IPv4HeaderLen + len(h.Options) }

// AppendMarshal appends the header to b, writing h.Checksum verbatim (the kernel
// fills the checksum of IP_HDRINCL packets; use IPv4HeaderChecksum for a complete one).
func (h *IPv4Header) AppendMarshal(b []byte) ([]byte, error) {
	if len(h.Options)%4 != 0 || len(h.Options) > 40 {
		return b, fmt.Errorf("ipv4 header: %d option bytes, need a multiple of 4 up to 40", len(h.Options))
	}
	if !h.Src.Is4() || !h.Dst.Is4() {
		return b, fmt.Errorf("ipv4 header: %v -> %v: not IPv4 addresses", h.Src, h.Dst)
	}
	b = append(b, 4<<4|uint8(h.Len()/4), h.TOS)
	b = binary.BigEndian.AppendUint16(b, h.TotalLen)
	b = binary.BigEndian.AppendUint16(b, h.ID)
	b = binary.BigEndian.AppendUint16(b, h.FragOff)
	b = append(b, h.TTL, h.Protocol)
	b = binary.BigEndian.AppendUint16(b, h.Checksum)
	s, d := h.Src.As4(), h.Dst.As4()
	b = append(b, s[:]...)
	b = append(b, d[:]...)
	return append(b, h.Options...), nil
}

// Unmarshal decodes the IPv4 header at the start of b and returns its length.
func (h *IPv4Header) Unmarshal(b []byte) (int, error) {
	if len(b) < IPv4HeaderLen {
		return 0, fmt.Errorf("ipv4 header: %d bytes: %w", len(b), ErrTruncated)
	}
	if b[0]>>4 != 4 {
		return 0, fmt.Errorf("ipv4 header: version %d", b[0]>>4)
	}
	hl := int(b[0]&0x0F) * 4
	if hl < IPv4HeaderLen {
		return 0, fmt.Errorf("ipv4 header: IHL %d bytes below 20", hl)
	}
	if len(b) < hl {
		return 0, fmt.Errorf("ipv4 header: IHL %d bytes, have %d: %w", hl, len(b), ErrTruncated)
	}
	h.TOS = b[1]
	h.TotalLen = binary.BigEndian.Uint16(b[2:4])
	h.ID = binary.BigEndian.Uint16(b[4:6])
	h.FragOff = binary.BigEndian.Uint16(b[6:8])
	h.TTL = b[8]
	h.Protocol = b[9]
	h.Checksum = binary.BigEndian.Uint16(b[10:12])
	h.Src = netip.AddrFrom4([4]byte(b[12:16]))
	h.Dst = netip.AddrFrom4([4]byte(b[16:20]))
	h.Options = b[IPv4HeaderLen:hl:hl]
	return hl, nil
}

// IPv4HeaderChecksum returns the header checksum of the marshalled header hdr,
// computed with its checksum field taken as zero (RFC 791 §3.1).
func IPv4HeaderChecksum(hdr []byte) uint16 {
	acc := sum(0, hdr[:10])
	acc = sum(acc, hdr[12:])
	return ^fold(acc)
}

// IPID is keepalived's per-instance IPv4 identification counter: it starts at 1
// and skips 0, because the kernel replaces an ID of 0 in IP_HDRINCL packets
// (vrrp_update_pkt). All unicast copies of one advert share one ID.
type IPID struct{ n uint16 }

// Next returns the ID for the next advert.
func (c *IPID) Next() uint16 {
	c.n++
	if c.n == 0 {
		c.n++
	}
	return c.n
}
