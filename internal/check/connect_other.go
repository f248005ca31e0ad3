//go:build !linux

package check

import (
	"context"
	"net/netip"
)

// connectOnly opens a TCP connection to target and closes it at once.
func (c Conn) connectOnly(ctx context.Context, target netip.AddrPort) error {
	conn, err := c.dialTCP(ctx, target)
	if err != nil {
		return err
	}
	return conn.Close()
}
