package check

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"os"
	"strconv"
	"time"

	"golang.org/x/sys/unix"
)

// connectOnly opens a TCP connection to target and closes it at once, which
// is all TCP_CHECK needs. It makes the same system calls as keepalived's
// tcp_bind_connect() + tcp_check_thread() (socket, options, connect, wait
// for writability, SO_ERROR, close) and skips what net.Dialer adds for a
// connection that is used afterwards (address parsing, getsockname,
// getpeername, TCP_NODELAY, a context watcher): at 10,000 checks a second
// that is about a fifth of the checker's CPU (docs/benchmarks.md).
func (c Conn) connectOnly(ctx context.Context, target netip.AddrPort) error {
	if err := c.connectFD(ctx, target); err != nil {
		return fmt.Errorf("connect %s: %w", target, err)
	}
	return nil
}

func (c Conn) connectFD(ctx context.Context, target netip.AddrPort) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	deadline := time.Now().Add(c.timeout())
	family := unix.AF_INET
	if !target.Addr().Unmap().Is4() {
		family = unix.AF_INET6
	}
	sa, err := sockaddr(target, family)
	if err != nil {
		return err
	}
	fd, err := unix.Socket(family, unix.SOCK_STREAM|unix.SOCK_NONBLOCK|unix.SOCK_CLOEXEC, 0)
	if err != nil {
		return os.NewSyscallError("socket", err)
	}
	if err := c.prepare(fd, family); err != nil {
		unix.Close(fd)
		return err
	}
	switch err := unix.Connect(fd, sa); err {
	case nil:
		unix.Close(fd)
		return nil
	case unix.EINPROGRESS, unix.EINTR:
	default:
		unix.Close(fd)
		return os.NewSyscallError("connect", err)
	}
	// Over loopback the handshake is usually complete when connect returns;
	// then the socket never needs the poller.
	if done, err := connectDone(fd); done {
		unix.Close(fd)
		return err
	}
	// Hand the socket to the runtime's poller to wait for the handshake.
	f := os.NewFile(uintptr(fd), "tcp-check")
	defer f.Close()
	if err := f.SetWriteDeadline(deadline); err != nil {
		return err
	}
	if ctx.Done() != nil {
		stop := context.AfterFunc(ctx, func() { _ = f.SetWriteDeadline(time.Unix(1, 0)) })
		defer stop()
	}
	rc, err := f.SyscallConn()
	if err != nil {
		return err
	}
	var result error
	werr := rc.Write(func(fd uintptr) bool {
		// Called before each wait: the poller forgets a readiness event
		// that came before this call, so the state must be read first.
		done, err := connectDone(int(fd))
		result = err
		return done
	})
	if werr != nil {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if errors.Is(werr, os.ErrDeadlineExceeded) {
			return fmt.Errorf("i/o timeout after %v", c.timeout())
		}
		return werr
	}
	return result
}

// connectDone reports whether the non-blocking connect on fd has finished,
// and how. It reads the TCP state (SO_ERROR alone cannot tell "still
// connecting" from "connected") and SO_ERROR only when the attempt failed.
func connectDone(fd int) (bool, error) {
	info, err := unix.GetsockoptTCPInfo(fd, unix.IPPROTO_TCP, unix.TCP_INFO)
	if err != nil {
		return true, os.NewSyscallError("getsockopt", err)
	}
	switch info.State {
	case unix.BPF_TCP_SYN_SENT, unix.BPF_TCP_SYN_RECV:
		return false, nil
	case unix.BPF_TCP_CLOSE:
		v, err := unix.GetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_ERROR)
		if err != nil {
			return true, os.NewSyscallError("getsockopt", err)
		}
		if v == 0 {
			return true, errors.New("connection closed")
		}
		return true, os.NewSyscallError("connect", unix.Errno(v))
	default:
		// ESTABLISHED, or later states of a connection that was
		// established and already closed by the server.
		return true, nil
	}
}

// prepare applies bindto/bind_port, bind_if and fwmark to a new socket.
func (c Conn) prepare(fd, family int) error {
	if err := c.setSockopts(fd); err != nil {
		return err
	}
	if !c.BindTo.IsValid() && c.BindPort == 0 {
		return nil
	}
	ip := c.BindTo
	if !ip.IsValid() {
		ip = netip.IPv4Unspecified()
		if family == unix.AF_INET6 {
			ip = netip.IPv6Unspecified()
		}
	}
	if ip.Zone() == "" && c.BindIf != "" && ip.Is6() && ip.IsLinkLocalUnicast() {
		ip = ip.WithZone(c.BindIf)
	}
	sa, err := sockaddr(netip.AddrPortFrom(ip, c.BindPort), family)
	if err != nil {
		return fmt.Errorf("bindto %s: %w", ip, err)
	}
	if c.BindPort != 0 {
		// keepalived sets SO_REUSEADDR on every checker socket; it matters only
		// here, where the same source port is bound check after check.
		_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_REUSEADDR, 1)
	}
	if err := unix.Bind(fd, sa); err != nil {
		return fmt.Errorf("bindto %s: %w", netip.AddrPortFrom(ip, c.BindPort), os.NewSyscallError("bind", err))
	}
	return nil
}

// sockaddr converts ap to a socket address of the given family; an IPv6
// zone is resolved to an interface index.
func sockaddr(ap netip.AddrPort, family int) (unix.Sockaddr, error) {
	ip := ap.Addr()
	if family == unix.AF_INET {
		ip = ip.Unmap()
		if !ip.Is4() {
			return nil, fmt.Errorf("%s is not an IPv4 address", ip)
		}
		return &unix.SockaddrInet4{Port: int(ap.Port()), Addr: ip.As4()}, nil
	}
	sa := &unix.SockaddrInet6{Port: int(ap.Port()), Addr: ip.As16()}
	if z := ip.Zone(); z != "" {
		if n, err := strconv.ParseUint(z, 10, 32); err == nil {
			sa.ZoneId = uint32(n)
		} else {
			ifi, err := net.InterfaceByName(z)
			if err != nil {
				return nil, fmt.Errorf("zone %s: %w", z, err)
			}
			sa.ZoneId = uint32(ifi.Index)
		}
	}
	return sa, nil
}
