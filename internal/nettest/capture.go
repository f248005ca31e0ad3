package nettest

import (
	"net"
	"sync"
	"time"

	"github.com/mdlayher/packet"
	"golang.org/x/sys/unix"
)

// Frame is one captured link-layer frame.
type Frame struct {
	// At is when the capture goroutine read the frame.
	At time.Time
	// Data is the whole Ethernet frame.
	Data []byte
}

// Capture records every frame seen on one interface of a namespace.
type Capture struct {
	conn   *packet.Conn
	mu     sync.Mutex
	frames []Frame
	notify chan struct{}
	done   chan struct{}
}

// NewCapture opens an AF_PACKET socket (ETH_P_ALL) on ifname inside ns and
// records frames until t's cleanup. Outgoing frames of the namespace itself
// are included, as with tcpdump.
func (ns *NS) NewCapture(ifname string) *Capture {
	ns.t.Helper()
	var conn *packet.Conn
	err := ns.Do(func() error {
		ifi, err := net.InterfaceByName(ifname)
		if err != nil {
			return err
		}
		conn, err = packet.Listen(ifi, packet.Raw, unix.ETH_P_ALL, nil)
		return err
	})
	if err != nil {
		ns.t.Fatalf("capture on %s in %s: %v", ifname, ns.Name, err)
	}
	c := &Capture{conn: conn, notify: make(chan struct{}, 1), done: make(chan struct{})}
	go c.loop()
	ns.t.Cleanup(func() {
		conn.Close()
		<-c.done
	})
	return c
}

func (c *Capture) loop() {
	defer close(c.done)
	buf := make([]byte, 65536)
	for {
		n, _, err := c.conn.ReadFrom(buf)
		if err != nil {
			// Closed by cleanup (or a broken socket): either way, stop.
			return
		}
		f := Frame{At: time.Now(), Data: append([]byte(nil), buf[:n]...)}
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
func (c *Capture) Frames() []Frame {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]Frame(nil), c.frames...)
}

// WaitFor returns the first captured frame (old or new) matching match, or
// false when timeout passes first.
func (c *Capture) WaitFor(timeout time.Duration, match func(Frame) bool) (Frame, bool) {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	seen := 0
	for {
		frames := c.Frames()
		for _, f := range frames[seen:] {
			if match(f) {
				return f, true
			}
		}
		seen = len(frames)
		select {
		case <-c.notify:
		case <-deadline.C:
			return Frame{}, false
		}
	}
}
