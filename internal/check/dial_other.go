//go:build !linux

package check

import (
	"errors"
	"syscall"
)

// control rejects fwmark and bind_if, which need Linux.
func (c Conn) control(network, address string, rc syscall.RawConn) error {
	if c.FWMark != 0 || c.BindIf != "" {
		return errors.ErrUnsupported
	}
	return nil
}
