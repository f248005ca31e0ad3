package e2e

import (
	"encoding/binary"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"golang.org/x/sys/unix"
)

// Capture records every frame on one interface of a namespace with the
// kernel's receive timestamp (SO_TIMESTAMPNS). Timer checks compare gaps of a
// few milliseconds, so the time a Go goroutine happened to read a frame is
// not precise enough under load.
type Capture struct {
	fd     int
	mu     sync.Mutex
	frames []nettest.Frame
	notify chan struct{}
	stop   chan struct{}
	done   chan struct{}
}

// NewCapture opens an AF_PACKET socket on ifname inside ns and records frames
// until t's cleanup. Outgoing frames of the namespace are included.
func NewCapture(t testing.TB, ns *nettest.NS, ifname string) *Capture {
	t.Helper()
	c := &Capture{fd: -1, notify: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	err := ns.Do(func() error {
		ifi, err := interfaceIndex(ifname)
		if err != nil {
			return err
		}
		proto := htons(unix.ETH_P_ALL)
		fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(proto))
		if err != nil {
			return fmt.Errorf("AF_PACKET socket: %w", err)
		}
		if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: proto, Ifindex: ifi}); err != nil {
			unix.Close(fd)
			return fmt.Errorf("bind AF_PACKET to %s: %w", ifname, err)
		}
		if err := unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_TIMESTAMPNS, 1); err != nil {
			unix.Close(fd)
			return fmt.Errorf("SO_TIMESTAMPNS: %w", err)
		}
		// A short receive timeout lets the loop notice the stop request:
		// closing a descriptor does not wake a blocked recvmsg.
		tv := unix.NsecToTimeval((50 * time.Millisecond).Nanoseconds())
		if err := unix.SetsockoptTimeval(fd, unix.SOL_SOCKET, unix.SO_RCVTIMEO, &tv); err != nil {
			unix.Close(fd)
			return fmt.Errorf("SO_RCVTIMEO: %w", err)
		}
		_ = unix.SetsockoptInt(fd, unix.SOL_SOCKET, unix.SO_RCVBUF, 4<<20)
		c.fd = fd
		return nil
	})
	if err != nil {
		t.Fatalf("capture on %s in %s: %v", ifname, ns.Name, err)
	}
	go c.loop()
	t.Cleanup(c.Close)
	return c
}

// Close stops the capture; frames stay readable.
func (c *Capture) Close() {
	select {
	case <-c.stop:
		return
	default:
	}
	close(c.stop)
	<-c.done
	unix.Close(c.fd)
}

func (c *Capture) loop() {
	defer close(c.done)
	buf := make([]byte, 65536)
	oob := make([]byte, 256)
	for {
		select {
		case <-c.stop:
			return
		default:
		}
		n, oobn, _, _, err := unix.Recvmsg(c.fd, buf, oob, 0)
		if err != nil {
			if err == unix.EAGAIN || err == unix.EINTR {
				continue
			}
			return
		}
		at := time.Now()
		if msgs, err := unix.ParseSocketControlMessage(oob[:oobn]); err == nil {
			for _, m := range msgs {
				if m.Header.Level == unix.SOL_SOCKET && m.Header.Type == unix.SO_TIMESTAMPNS && len(m.Data) >= 16 {
					sec := int64(binary.NativeEndian.Uint64(m.Data[0:8]))
					nsec := int64(binary.NativeEndian.Uint64(m.Data[8:16]))
					at = time.Unix(sec, nsec)
				}
			}
		}
		f := nettest.Frame{At: at, Data: append([]byte(nil), buf[:n]...)}
		c.mu.Lock()
		c.frames = append(c.frames, f)
		c.mu.Unlock()
		select {
		case c.notify <- struct{}{}:
		default:
		}
	}
}

// Frames returns a copy of everything captured so far, in arrival order.
func (c *Capture) Frames() []nettest.Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]nettest.Frame(nil), c.frames...)
}

// Packets decodes every captured frame that is VRRP, ARP or a neighbour
// advertisement.
func (c *Capture) Packets() []Pkt {
	var out []Pkt
	for _, f := range c.Frames() {
		if p, ok := Decode(f); ok {
			out = append(out, p)
		}
	}
	return out
}

// WaitPkt waits until a decoded packet matching match was captured at or
// after since, and returns it.
func (c *Capture) WaitPkt(since time.Time, timeout time.Duration, match func(Pkt) bool) (Pkt, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		frames := c.Frames()
		for _, f := range frames[seen:] {
			if f.At.Before(since) {
				continue
			}
			if p, ok := Decode(f); ok && match(p) {
				return p, true
			}
		}
		seen = len(frames)
		select {
		case <-c.notify:
		case <-deadline.C:
			return Pkt{}, false
		}
	}
}

func htons(v uint16) uint16 { return v<<8 | v>>8 }
