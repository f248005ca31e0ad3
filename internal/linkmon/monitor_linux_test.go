package linkmon

import (
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"github.com/jsimonetti/rtnetlink/v2"
	"golang.org/x/sys/unix"
)

func start(t *testing.T, ns *nettest.NS, opts Options) *Monitor {
	t.Helper()
	var m *Monitor
	if err := ns.Do(func() error {
		var err error
		m, err = Start(opts)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { m.Close() })
	return m
}

// waitEvent returns the first event matching match, failing after 5 s.
func waitEvent(t *testing.T, m *Monitor, what string, match func(Event) bool) Event {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for {
		select {
		case e, ok := <-m.Events():
			if !ok {
				t.Fatalf("events closed while waiting for %s", what)
			}
			if match(e) {
				return e
			}
		case <-timeout:
			t.Fatalf("no %s event within 5s", what)
		}
	}
}

func TestMonitorLinkAndAddress(t *testing.T) {
	ns := nettest.NewNS(t, "mon")
	ns.IP("link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP("link", "set", "v1", "up")
	ns.IP("addr", "add", "198.51.100.1/24", "dev", "v0")
	m := start(t, ns, Options{})
	idx := ns.Ifindex("v0")

	links, addrs := m.Snapshot()
	var sawV0 bool
	for _, l := range links {
		if l.Name == "v0" && l.Ifindex == idx && !l.Up {
			sawV0 = true
		}
	}
	if !sawV0 || !HasAddr(addrs, idx, netip.MustParseAddr("198.51.100.1")) {
		t.Fatalf("initial snapshot lacks v0 down with its address: %+v %+v", links, addrs)
	}

	ns.IP("link", "set", "v0", "up")
	waitEvent(t, m, "link-up v0", func(e Event) bool { return e.Kind == LinkUp && e.Ifindex == idx && e.Name == "v0" })
	ns.IP("link", "set", "v0", "down")
	waitEvent(t, m, "link-down v0", func(e Event) bool { return e.Kind == LinkDown && e.Ifindex == idx && e.Name == "v0" })
	ns.IP("link", "set", "v0", "up")
	waitEvent(t, m, "link-up v0 again", func(e Event) bool { return e.Kind == LinkUp && e.Ifindex == idx })

	ns.IP("addr", "add", "2001:db8::10/128", "dev", "v0", "nodad")
	waitEvent(t, m, "addr-added", func(e Event) bool {
		return e.Kind == AddrAdded && e.Addr.Prefix == netip.MustParsePrefix("2001:db8::10/128") && e.Ifindex == idx
	})
	ns.IP("addr", "del", "198.51.100.1/24", "dev", "v0")
	waitEvent(t, m, "addr-removed", func(e Event) bool {
		return e.Kind == AddrRemoved && e.Addr.Prefix == netip.MustParsePrefix("198.51.100.1/24") && e.Name == "v0"
	})
	ns.IP("link", "del", "v0")
	waitEvent(t, m, "link-deleted", func(e Event) bool { return e.Kind == LinkDeleted && e.Ifindex == idx })
}

// TestMonitorENOBUFS lets the consumer fall behind with a tiny socket
// buffer so the kernel drops notifications, then checks the monitor
// re-dumps and ends up with the true state.
func TestMonitorENOBUFS(t *testing.T) {
	ns := nettest.NewNS(t, "nobufs")
	ns.IP("link", "add", "v0", "type", "veth", "peer", "name", "v1")
	ns.IP("link", "set", "v0", "up")
	m := start(t, ns, Options{QueueLen: 1, ReadBuffer: 4096, Log: slog.New(slog.DiscardHandler)})
	const n = 300
	var batch strings.Builder
	for i := 1; i <= n; i++ {
		fmt.Fprintf(&batch, "addr add 2001:db8:0:%x::1/64 dev v0 nodad\n", i)
	}
	path := filepath.Join(t.TempDir(), "batch")
	if err := os.WriteFile(path, []byte(batch.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	ns.IP("-batch", path)
	waitEvent(t, m, "resync", func(e Event) bool { return e.Kind == Resync })
	// Drain what is queued, then the snapshot must hold every address. Every pending event is
	// consumed before each snapshot check: the monitor waits on the consumer (QueueLen 1), and
	// taking a 300-address snapshot per single event made the loop, not the monitor, the slow
	// part under load.
	deadline := time.Now().Add(5 * time.Second)
	for {
	drain:
		for {
			select {
			case <-m.Events():
			default:
				break drain
			}
		}
		_, addrs := m.Snapshot()
		count := 0
		for _, a := range addrs {
			if strings.HasPrefix(a.Prefix.String(), "2001:db8:0:") {
				count++
			}
		}
		if count == n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("snapshot has %d of %d addresses after resync", count, n)
		}
		select {
		case <-m.Events():
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func FuzzDecodeLink(f *testing.F) {
	lm := rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Index: 2, Flags: unix.IFF_UP | unix.IFF_RUNNING, Attributes: &rtnetlink.LinkAttributes{Name: "eth0", MTU: 1500}}
	b, err := lm.MarshalBinary()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add(b[:16])
	f.Fuzz(func(t *testing.T, b []byte) {
		l, err := decodeLink(b)
		if err != nil {
			return
		}
		if l.Up && len(b) >= 12 && b[8]&unix.IFF_UP == 0 {
			t.Fatalf("up without IFF_UP: %+v from %x", l, b)
		}
	})
}
