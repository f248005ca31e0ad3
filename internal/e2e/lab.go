package e2e

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// Lab is a bridge namespace with router namespaces and one client namespace
// on it. The client captures every frame on its eth0: the bridge's ageing
// time is 0, so it learns no MAC addresses and floods unicast adverts too,
// like a hub, and the client sees exactly what the routers put on the wire.
type Lab struct {
	T       testing.TB
	LAN     *nettest.LAN
	Routers []*nettest.Host
	Client  *nettest.Host
	// Cap captures on the client's eth0 with kernel timestamps.
	Cap *Capture
	// Dir holds configurations and pid files.
	Dir string
}

// NewLab creates a lab with n routers (198.51.100.1 … .n, 2001:db8::1 … ::n)
// and a client (the next address).
func NewLab(t testing.TB, n int) *Lab {
	t.Helper()
	lan := nettest.NewLAN(t, n+1)
	lan.Bridge.IP("link", "set", "br0", "type", "bridge", "ageing_time", "0")
	l := &Lab{T: t, LAN: lan, Routers: lan.Hosts[:n], Client: lan.Hosts[n], Dir: t.TempDir()}
	l.Cap = NewCapture(t, l.Client.NS, "eth0")
	return l
}

// Start starts impl on router i with conf.
func (l *Lab) Start(impl Impl, i int, conf Conf) *Daemon {
	l.T.Helper()
	return StartDaemon(l.T, impl, l.Routers[i], l.Dir, "r"+string(rune('0'+i)), conf)
}

// WaitVIP polls until addr is present (want true) or absent on the router's
// eth0, and reports whether that happened within timeout.
func WaitVIP(h *nettest.Host, addr netip.Addr, want bool, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for {
		if HasAddr(h.NS, h.Ifname, addr) == want {
			return true
		}
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// Filter keeps the packets matching match.
func Filter(pkts []Pkt, match func(Pkt) bool) []Pkt {
	var out []Pkt
	for _, p := range pkts {
		if match(p) {
			out = append(out, p)
		}
	}
	return out
}

// Between keeps the packets captured in [from, to).
func Between(pkts []Pkt, from, to time.Time) []Pkt {
	var out []Pkt
	for _, p := range pkts {
		if !p.At.Before(from) && (to.IsZero() || p.At.Before(to)) {
			out = append(out, p)
		}
	}
	return out
}

// LastBefore returns the last packet before t matching match.
func LastBefore(pkts []Pkt, t time.Time, match func(Pkt) bool) (Pkt, bool) {
	var last Pkt
	ok := false
	for _, p := range pkts {
		if p.At.Before(t) && match(p) {
			last, ok = p, true
		}
	}
	return last, ok
}

// FirstAfter returns the first packet at or after t matching match.
func FirstAfter(pkts []Pkt, t time.Time, match func(Pkt) bool) (Pkt, bool) {
	for _, p := range pkts {
		if !p.At.Before(t) && match(p) {
			return p, true
		}
	}
	return Pkt{}, false
}

// MaxGap is the longest interval between consecutive packets.
func MaxGap(pkts []Pkt) time.Duration {
	g, _ := MaxGapAt(pkts)
	return g
}

// MaxGapAt is MaxGap and the time of the packet that ended the gap.
func MaxGapAt(pkts []Pkt) (time.Duration, time.Time) {
	var m time.Duration
	var at time.Time
	for i := 1; i < len(pkts); i++ {
		if g := pkts[i].At.Sub(pkts[i-1].At); g > m {
			m, at = g, pkts[i].At
		}
	}
	return m, at
}

// MAC returns router i's eth0 hardware address as text; frames are
// attributed to routers by Ethernet source, which works for IPv4, IPv6
// link-local sources and ARP alike.
func (l *Lab) MAC(i int) string {
	return l.Routers[i].Interface("eth0").HardwareAddr.String()
}

// IsAdvertFrom matches adverts for vrid sent by the interface with mac.
func IsAdvertFrom(vrid uint8, mac string) func(Pkt) bool {
	return func(p Pkt) bool { return p.Kind == KindAdvert && p.VRID == vrid && p.SrcMAC.String() == mac }
}

// IsAnnounceFor matches gratuitous ARPs and neighbour advertisements for vip
// sent by mac.
func IsAnnounceFor(vip netip.Addr, mac string) func(Pkt) bool {
	return func(p Pkt) bool {
		return (p.Kind == KindGARP || p.Kind == KindNA) && p.Target == vip && p.SrcMAC.String() == mac
	}
}

// Count returns how many packets match.
func Count(pkts []Pkt, match func(Pkt) bool) int {
	n := 0
	for _, p := range pkts {
		if match(p) {
			n++
		}
	}
	return n
}
