package track

import (
	"context"
	"errors"
	"fmt"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// procEvents subscribes to the kernel's proc connector and calls kick for every
// event that can change a process count. It returns an error when the connector is
// unavailable (not root, not the initial namespaces, no CONFIG_PROC_EVENTS); the
// trackers then rely on their periodic scan alone.
func procEvents(ctx context.Context, kick func()) (wait func(), err error) {
	c, err := netlink.Dial(unix.NETLINK_CONNECTOR, &netlink.Config{Groups: cnIdxProc})
	if err != nil {
		return nil, fmt.Errorf("proc connector: %w", err)
	}
	if _, err := c.Send(netlink.Message{Header: netlink.Header{Type: netlink.Done}, Data: listenRequest()}); err != nil {
		c.Close()
		return nil, fmt.Errorf("proc connector: listen: %w", err)
	}
	done := make(chan struct{})
	go func() {
		<-ctx.Done()
		c.Close()
	}()
	go func() {
		defer close(done)
		for {
			msgs, err := c.Receive()
			if err != nil {
				if ctx.Err() != nil || !errors.Is(err, unix.ENOBUFS) {
					return
				}
				// Events were lost: a kick makes the trackers rescan.
				kick()
				continue
			}
			for _, m := range msgs {
				if ev, err := ParseProcEvent(m.Data); err == nil && ev.Relevant() {
					kick()
				}
			}
		}
	}()
	return func() { <-done }, nil
}
