package nettest

import (
	"fmt"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"
)

// Host is a namespace attached to a LAN through a veth named "eth0".
type Host struct {
	*NS
	// Ifname is the host-side interface name, always "eth0".
	Ifname string
	// Ifindex is eth0's index inside the host namespace.
	Ifindex int
	// V4 is the host's 198.51.100.0/24 address.
	V4 netip.Prefix
	// V6 is the host's 2001:db8::/64 address.
	V6 netip.Prefix
	// Port is the bridge-side veth name inside the LAN's bridge namespace.
	Port string
}

// LAN is a bridge in its own namespace with hosts attached by veth pairs.
type LAN struct {
	// Bridge is the namespace holding the bridge "br0" and the veth ports.
	Bridge *NS
	// Hosts are the attached namespaces, host i having 198.51.100.(i+1).
	Hosts []*Host
}

// NewLAN creates a bridge namespace and n host namespaces on it. Host i gets
// 198.51.100.(i+1)/24 and 2001:db8::(i+1)/64 on eth0 (no DAD), all links up.
// Multicast snooping is off so VRRP groups are flooded like on a dumb switch.
func NewLAN(t testing.TB, n int) *LAN {
	t.Helper()
	RequireRoot(t)
	br := NewNS(t, "br")
	br.IP("link", "add", "br0", "type", "bridge", "mcast_snooping", "0", "forward_delay", "0", "stp_state", "0")
	br.IP("link", "set", "br0", "up")
	lan := &LAN{Bridge: br}
	for i := 0; i < n; i++ {
		h := &Host{NS: NewNS(t, fmt.Sprintf("h%d", i)), Ifname: "eth0", Port: fmt.Sprintf("p%d", i)}
		h.V4 = netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 51, 100, byte(i + 1)}), 24)
		h.V6 = netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i + 1)}), 64)
		// Created inside the host namespace with its peer placed straight
		// into the bridge namespace: the host's namespace is never involved.
		h.IP("link", "add", "eth0", "type", "veth", "peer", "name", h.Port, "netns", br.Name)
		h.Sysctl("net.ipv6.conf.eth0.accept_dad", "0")
		br.IP("link", "set", h.Port, "master", "br0")
		br.IP("link", "set", h.Port, "up")
		h.IP("addr", "add", h.V4.String(), "dev", "eth0")
		h.IP("addr", "add", h.V6.String(), "dev", "eth0", "nodad")
		h.IP("link", "set", "eth0", "up")
		h.Ifindex = h.NS.Ifindex("eth0")
		lan.Hosts = append(lan.Hosts, h)
	}
	waitReady(t, lan.Hosts...)
	return lan
}

// NewVethPair creates two namespaces joined directly by a veth pair named
// eth0 on both sides, with 198.51.100.1/24 and .2/24 and 2001:db8::1/64 and
// ::2/64, links up. It is the cheapest two-node topology.
func NewVethPair(t testing.TB) (a, b *Host) {
	t.Helper()
	RequireRoot(t)
	a = &Host{NS: NewNS(t, "a"), Ifname: "eth0"}
	b = &Host{NS: NewNS(t, "b"), Ifname: "eth0"}
	a.IP("link", "add", "eth0", "type", "veth", "peer", "name", "eth0", "netns", b.Name)
	for i, h := range []*Host{a, b} {
		h.V4 = netip.PrefixFrom(netip.AddrFrom4([4]byte{198, 51, 100, byte(i + 1)}), 24)
		h.V6 = netip.PrefixFrom(netip.AddrFrom16([16]byte{0x20, 0x01, 0x0d, 0xb8, 15: byte(i + 1)}), 64)
		h.Sysctl("net.ipv6.conf.eth0.accept_dad", "0")
		h.IP("addr", "add", h.V4.String(), "dev", "eth0")
		h.IP("addr", "add", h.V6.String(), "dev", "eth0", "nodad")
		h.IP("link", "set", "eth0", "up")
		h.Ifindex = h.NS.Ifindex("eth0")
	}
	waitReady(t, a, b)
	return a, b
}

// Interface returns the net.Interface for name inside the namespace.
func (ns *NS) Interface(name string) *net.Interface {
	ns.t.Helper()
	var ifi *net.Interface
	err := ns.Do(func() error {
		var err error
		ifi, err = net.InterfaceByName(name)
		return err
	})
	if err != nil {
		ns.t.Fatalf("interface %s in %s: %v", name, ns.Name, err)
	}
	return ifi
}

func netInterfaceByName(name string) (int, error) {
	ifi, err := net.InterfaceByName(name)
	if err != nil {
		return 0, err
	}
	return ifi.Index, nil
}

// waitReady polls (up to 5 s) until eth0 of every host is operationally up
// and has its IPv6 link-local address: carrier changes are applied by the
// kernel's deferred linkwatch work, so tests would otherwise race it.
func waitReady(t testing.TB, hosts ...*Host) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for _, h := range hosts {
		for {
			state := h.IP("-br", "link", "show", "dev", h.Ifname)
			ll := h.IP("-6", "addr", "show", "dev", h.Ifname, "scope", "link")
			if strings.Contains(state, " UP ") && strings.Contains(ll, "fe80::") && !strings.Contains(ll, "tentative") {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s %s not ready: %q %q", h.Name, h.Ifname, state, ll)
			}
			time.Sleep(10 * time.Millisecond)
		}
	}
}
