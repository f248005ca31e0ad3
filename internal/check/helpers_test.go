package check

import (
	"net"
	"net/netip"
)

var netListenConfig net.ListenConfig

func mustAddr(s string) netip.Addr         { return netip.MustParseAddr(s) }
func mustAddrPort(s string) netip.AddrPort { return netip.MustParseAddrPort(s) }
