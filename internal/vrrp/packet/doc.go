// Package packet holds the pure VRRP wire code: VRRPv2 (RFC 3768) and VRRPv3
// (RFC 9568, which obsoletes RFC 5798) advertisement codecs, their checksums,
// the IPv4 header and IPsec AH header as keepalived builds them, PASS and AH
// authentication, and keepalived's receive validation with typed drop reasons.
//
// Nothing here opens a socket or reads a clock; the transport hands received
// bytes plus what the socket reported (Meta) to Validate, and asks
// AppendIPv4Advert / AppendIPv6Advert for the bytes to send. Where keepalived
// and the RFCs disagree, keepalived's behaviour is the specification because
// operators run mixed clusters; docs/vrrp-wire.md lists every such place.
package packet
