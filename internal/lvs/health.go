package lvs

import (
	"fmt"
	"net/netip"
)

// RSKey identifies a real server of a virtual server across reloads: the virtual server by
// keepalived's FMT_VS name (config.VirtualServer.Name) and the real server by address and port as
// configured.
type RSKey struct {
	VS   string
	Addr netip.Addr
	Port uint16
}

// String renders the key for logs.
func (k RSKey) String() string {
	return fmt.Sprintf("%s %s", k.VS, netip.AddrPortFrom(k.Addr, k.Port))
}

// Health is a checker's verdict on a real server.
type Health struct {
	// Up is true when every checker of the real server passes.
	Up bool
	// Weight, when HasWeight is set, replaces the configured weight (MISC_CHECK misc_dynamic: exit
	// status minus 2; FILE_CHECK). Without HasWeight the weight stays as it is, so that a verdict
	// from another checker of the same server does not undo a dynamic weight.
	Weight    int
	HasWeight bool
}
