package ipvs

import (
	"fmt"

	"github.com/mdlayher/genetlink"
)

// Open connects to the kernel's IPVS over generic netlink in the current network namespace. When
// the kernel has no IPVS family the error matches ErrNotAvailable. (The kernel autoloads ip_vs
// for a generic netlink family request only when the module is installed.)
func Open() (Client, error) {
	c, err := genetlink.Dial(nil)
	if err != nil {
		return nil, fmt.Errorf("ipvs: dial generic netlink: %w", err)
	}
	cl, err := newConn(c)
	if err != nil {
		c.Close()
		return nil, err
	}
	return cl, nil
}
