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
	err := rc.Control(func(fd uintptr) { serr = c.setSockopts(int(fd)) })
	if err != nil {
		return err
	}
	return serr
}

// setSockopts sets fwmark and bind_if on fd.
func (c Conn) setSockopts(fd int) error {
	if c.FWMark != 0 {
		if e := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_MARK, int(c.FWMark)); e != nil {
			return fmt.Errorf("SO_MARK %d: %w", c.FWMark, e)
		}
	}
	if c.BindIf != "" {
		if e := unix.BindToDevice(fd, c.BindIf); e != nil {
			return fmt.Errorf("bind_if %s: %w", c.BindIf, e)
		}
	}
	return nil
}
