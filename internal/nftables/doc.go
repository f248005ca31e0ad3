// Package nftables keeps the nftables rules gokeepalived installs: keepalived's no_accept
// filter, which drops traffic addressed to (and sent from) the VIPs of a master that is not
// their owner (RFC 5798 Accept_Mode off, the default under vrrp_strict).
//
// The layout follows keepalived's vrrp_nftables.c: a table (default "keepalived") in the ip and
// ip6 families with base chains "in" (input hook) and "out" (output hook), a set "vips" that the
// chains drop on, and for IPv6 an accept rule for neighbour solicitations and advertisements (so
// a filtered VIP stays resolvable) and link-local VIPs matched together with their interface.
package nftables
