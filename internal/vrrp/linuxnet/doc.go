// Package linuxnet is the VRRP engine's Network on Linux: raw VRRP sockets (package transport),
// addresses, routes and rules through rtnetlink (package ifaddr, reconciled), gratuitous ARP and
// unsolicited NA over AF_PACKET (package announce), and link/address events (package linkmon).
package linuxnet
