package packet

import "net/netip"

// Wire constants (RFC 3768 §5, RFC 9568 §5, RFC 4302 §2, keepalived include/vrrp.h).
const (
	// ProtoVRRP is the IP protocol number of VRRP (RFC 3768 §5.2.4, RFC 9568 §5.1.1.4).
	ProtoVRRP = 112
	// ProtoAH is the IP protocol number of the IPsec Authentication Header (RFC 4302 §2).
	ProtoAH = 51

	// HeaderLen is the fixed part of a VRRP message, before the addresses.
	HeaderLen = 8
	// AuthDataLen is the authentication data keepalived appends to every VRRPv2
	// message over IPv4, whatever the auth type (RFC 3768 §5.3.10, RFC 2338 §5.3.10).
	AuthDataLen = 8
	// AHLen is the length of the AH header keepalived sends: 12 fixed bytes plus a
	// 12-byte HMAC-MD5-96 ICV (RFC 4302 §2, RFC 2404).
	AHLen = 24
	// ICVLen is the truncated HMAC-MD5-96 integrity check value (RFC 2404 §2).
	ICVLen = 12
	// IPv4HeaderLen is the IPv4 header keepalived builds (no options).
	IPv4HeaderLen = 20

	// TypeAdvertisement is the only VRRP packet type (RFC 3768 §5.3.2, RFC 9568 §5.2.2).
	TypeAdvertisement = 1
	// TTL is the IPv4 TTL / IPv6 hop limit of multicast adverts, and the only one
	// accepted from multicast (RFC 9568 §5.1.1.3, §7.1).
	TTL = 255
	// TOS is the IPv4 TOS / IPv6 traffic class keepalived sends (IPTOS_PREC_INTERNETCONTROL, CS6).
	TOS = 0xC0

	// MaxAdverIntV2 is the largest VRRPv2 Adver Int, in seconds (8-bit field).
	MaxAdverIntV2 = 0xFF
	// MaxAdverIntV3 is the largest VRRPv3 Max Adver Int, in centiseconds (12-bit field).
	MaxAdverIntV3 = 0xFFF

	// PriorityStop is the priority a master sends when it stops (RFC 9568 §5.2.4).
	PriorityStop = 0
	// PriorityOwner is the priority of the address owner (RFC 9568 §5.2.4).
	PriorityOwner = 255
)

// Default multicast groups (RFC 9568 §5.1.1.2, §5.1.2.2). keepalived lets both be changed
// (vrrp_mcast_group4/6, mcast_dst_ip), so the checksum and validation code take the
// group as a parameter and use these only when it is unset.
var (
	Group4 = netip.AddrFrom4([4]byte{224, 0, 0, 18})
	Group6 = netip.AddrFrom16([16]byte{0: 0xff, 1: 0x02, 15: 0x12})
)

// Family is the address family of a VRRP instance; it decides the address length
// in the advert and whether the VRRPv2 auth data is present.
type Family uint8

// Families.
const (
	IPv4 Family = 4
	IPv6 Family = 6
)

// AddrLen returns the length of one address of the family in an advert.
func (f Family) AddrLen() int {
	if f == IPv6 {
		return 16
	}
	return 4
}

// String returns "ipv4" or "ipv6".
func (f Family) String() string {
	if f == IPv6 {
		return "ipv6"
	}
	return "ipv4"
}

// AuthType is the VRRPv2 Auth Type field (RFC 2338 §5.3.6; RFC 3768 §5.3.6 keeps only 0).
type AuthType uint8

// Auth types keepalived supports.
const (
	AuthNone AuthType = 0
	AuthPass AuthType = 1
	AuthAH   AuthType = 2
)

// String returns keepalived's configuration spelling.
func (t AuthType) String() string {
	switch t {
	case AuthNone:
		return "NONE"
	case AuthPass:
		return "PASS"
	case AuthAH:
		return "AH"
	}
	return "unknown"
}
