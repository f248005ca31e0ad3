package transport

import "net/netip"

// VRIDOf returns the VRID octet of a received payload: byte 1 of the VRRP
// header (RFC 3768 §5.1, RFC 9568 §5.2), behind the Authentication Header
// when proto is ProtoAH (RFC 4302 §2: AH length = (Payload Len + 2) × 4).
func VRIDOf(proto int, payload []byte) (uint8, bool) {
	off := 0
	if proto == ProtoAH {
		if len(payload) < 2 {
			return 0, false
		}
		off = (int(payload[1]) + 2) * 4
	}
	if len(payload) < off+2 {
		return 0, false
	}
	return payload[off+1], true
}

// member is what the demultiplexer needs to know about an instance.
type member interface {
	hasPeer(netip.Addr) bool
}

// pick chooses the instance for a packet from src among those sharing its
// VRID. A single candidate gets every packet (check_unicast_src is the
// validator's job); several candidates (duplicate VRIDs over unicast) are
// told apart by their configured peers, as keepalived does.
func pick[M member](cands []M, src netip.Addr) (M, bool) {
	var zero M
	switch len(cands) {
	case 0:
		return zero, false
	case 1:
		return cands[0], true
	}
	for _, c := range cands {
		if c.hasPeer(src) {
			return c, true
		}
	}
	return zero, false
}

// nextID advances a per-instance IPv4 ID counter: starts at 1, +1 per
// advert, never 0 (keepalived vrrp_update_pkt).
func nextID(cur uint16) uint16 {
	cur++
	if cur == 0 {
		cur = 1
	}
	return cur
}
