package e2e

import (
	"encoding/binary"
	"net"
	"net/netip"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"golang.org/x/sys/unix"
)

// AddrEvent is one address added to or removed from an interface, as the
// kernel announced it on rtnetlink.
type AddrEvent struct {
	At    time.Time
	New   bool
	Index int
	Addr  netip.Addr
}

// AddrWatch records rtnetlink address events of one namespace. Polling `ip
// addr` costs milliseconds per call; the multicast groups give the moment a
// VIP appears or goes to well under a millisecond.
type AddrWatch struct {
	fd     int
	mu     sync.Mutex
	events []AddrEvent
	notify chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// NewAddrWatch subscribes to IPv4 and IPv6 address events inside ns until
// t's cleanup.
func NewAddrWatch(t testing.TB, ns *nettest.NS) *AddrWatch {
	t.Helper()
	w := &AddrWatch{fd: -1, notify: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	err := ns.Do(func() error {
		fd, err := unix.Socket(unix.AF_NETLINK, unix.SOCK_RAW|unix.SOCK_CLOEXEC, unix.NETLINK_ROUTE)
		if err != nil {
			return err
		}
		sa := &unix.SockaddrNetlink{Family: unix.AF_NETLINK, Groups: unix.RTMGRP_IPV4_IFADDR | unix.RTMGRP_IPV6_IFADDR}
		if err := unix.Bind(fd, sa); err != nil {
			unix.Close(fd)
			return err
		}
		tv := unix.NsecToTimeval((50 * time.Millisecond).Nanoseconds())
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			unix.Close(fd)
			return err
		}
		w.fd = fd
		return nil
	})
	if err != nil {
		t.Fatalf("address watch in %s: %v", ns.Name, err)
	}
	go w.loop()
	t.Cleanup(w.Close)
	return w
}

// Close stops the watch; events stay readable.
func (w *AddrWatch) Close() {
	select {
	case <-w.stop:
		return
	default:
	}
	close(w.stop)
	<-w.done
	unix.Close(w.fd)
}

func (w *AddrWatch) loop() {
	defer close(w.done)
	buf := make([]byte, 1<<16)
	for {
		select {
		case <-w.stop:
			return
		default:
		}
		n, _, err := unix.Recvfrom(w.fd, buf, 0)
		if err != nil {
			if err == unix.EAGAIN || err == unix.EINTR {
				continue
			}
			return
		}
		at := time.Now()
		msgs, err := syscall.ParseNetlinkMessage(buf[:n])
		if err != nil {
			continue
		}
		for _, m := range msgs {
			if m.Header.Type != unix.RTM_NEWADDR && m.Header.Type != unix.RTM_DELADDR {
				continue
			}
			if len(m.Data) < unix.SizeofIfAddrmsg {
				continue
			}
			index := int(binary.NativeEndian.Uint32(m.Data[4:8]))
			attrs, err := syscall.ParseNetlinkRouteAttr(&m)
			if err != nil {
				continue
			}
			var addr netip.Addr
			for _, a := range attrs {
				if a.Attr.Type == unix.IFA_LOCAL || (a.Attr.Type == unix.IFA_ADDRESS && !addr.IsValid()) {
					if ip, ok := netip.AddrFromSlice(a.Value); ok {
						addr = ip.Unmap()
					}
				}
			}
			if !addr.IsValid() {
				continue
			}
			w.mu.Lock()
			w.events = append(w.events, AddrEvent{At: at, New: m.Header.Type == unix.RTM_NEWADDR, Index: index, Addr: addr})
			w.mu.Unlock()
			select {
			case w.notify <- struct{}{}:
			default:
			}
		}
	}
}

// Events returns a copy of the events so far.
func (w *AddrWatch) Events() []AddrEvent {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]AddrEvent(nil), w.events...)
}

// Wait returns the first event for addr with the given direction at or after
// since.
func (w *AddrWatch) Wait(addr netip.Addr, added bool, since time.Time, timeout time.Duration) (AddrEvent, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		for _, e := range w.Events() {
			if e.Addr == addr && e.New == added && !e.At.Before(since) {
				return e, true
			}
		}
		select {
		case <-w.notify:
		case <-deadline.C:
			return AddrEvent{}, false
		}
	}
}

// HasAddr reports whether addr is configured on ifname inside ns, read with
// `ip -o addr` so the check is independent of the watch.
func HasAddr(ns *nettest.NS, ifname string, addr netip.Addr) bool {
	out, err := ns.TryIP("-o", "addr", "show", "dev", ifname)
	if err != nil {
		return false
	}
	for _, line := range strings.Split(out, "\n") {
		f := strings.Fields(line)
		for i := 0; i+1 < len(f); i++ {
			if f[i] != "inet" && f[i] != "inet6" {
				continue
			}
			if p, err := netip.ParsePrefix(f[i+1]); err == nil && p.Addr() == addr {
				return true
			}
		}
	}
	return false
}

func interfaceIndex(name string) (int, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, err
	}
	return ifi.Index, nil
}
