package check

import (
	"fmt"
	"syscall"

	"golang.org/x/sys/unix"
)

// control applies SO_MARK (fwmark) and SO_BINDTODEVICE (bind_if) to the socket
// before connect, as keepalived's tcp_bind_connect() does.
func (c Conn) control(network, address string, rc syscall.RawConn) error {
	if c.FWMark == 0 && c.BindIf == "" {
		return nil
	}
	var serr error
	err := rc.Control(func(fd uintptr) {
		if c.FWMark != 0 {
			if e := unix.SetsockoptInt(int(fd), unix.SOL_SOCKET, unix.SO_MARK, int(c.FWMark)); e != nil {
				serr = fmt.Errorf("SO_MARK %d: %w", c.FWMark, e)
				return
			}
		}
		if c.BindIf != "" {
			if e := unix.BindToDevice(int(fd), c.BindIf); e != nil {
				serr = fmt.Errorf("bind_if %s: %w", c.BindIf, e)
			}
		}
	})
	if err != nil {
		return err
	}
	return serr
}
