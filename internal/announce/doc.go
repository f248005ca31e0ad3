// Package announce builds and parses the frames a new VRRP master sends so that
// neighbours update their caches: gratuitous ARP requests for IPv4 VIPs and
// unsolicited Neighbor Advertisements for IPv6 VIPs, byte for byte as keepalived
// sends them on its AF_PACKET sockets (vrrp_arp.c, vrrp_ndisc.c).
//
// The frame code is pure; the sender that writes frames to an interface lives
// in sender_linux.go. The parsers exist for tests that capture frames on the wire.
package announce
