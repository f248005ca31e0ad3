package e2etrack

import (
	"encoding/binary"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// hasAddr reports whether addr is configured on ifname inside ns.
func hasAddr(ns *nettest.NS, ifname string, addr netip.Addr) bool {
	out, err := ns.TryIP("-o", "addr", "show", "dev", ifname)
	if err != nil {
		return false
	}
	for _, f := range strings.Fields(out) {
		if p, err := netip.ParsePrefix(f); err == nil && p.Addr() == addr {
			return true
		}
	}
	return false
}

// waitAddr waits until addr is present (want) or absent on ifname and
// fails the test otherwise; it returns when the state was reached.
func waitAddr(t *testing.T, ns *nettest.NS, ifname string, addr netip.Addr, want bool, timeout time.Duration) time.Time {
	t.Helper()
	at := poll(timeout, func() bool { return hasAddr(ns, ifname, addr) == want })
	if at.IsZero() {
		t.Fatalf("%s %s: address %s present=%v not reached within %v:\n%s", ns.Name, ifname, addr, want, timeout,
			ns.IP("addr", "show", "dev", ifname))
	}
	return at
}

// lab is one bridge LAN with two routers (198.51.100.1 and .2) and a client
// (.3) whose eth0 captures what the routers put on the wire.
type lab struct {
	r   [2]*nettest.Host
	cli *nettest.Host
	cap *nettest.Capture
	dir string
}

func newLab(t *testing.T) *lab {
	t.Helper()
	requireBinary(t)
	lan := nettest.NewLAN(t, 3)
	l := &lab{r: [2]*nettest.Host{lan.Hosts[0], lan.Hosts[1]}, cli: lan.Hosts[2], dir: scriptDir(t)}
	l.cap = l.cli.NewCapture("eth0")
	return l
}

// scriptDir returns a fresh root-owned 0755 directory for configurations,
// scripts and FIFOs; t.TempDir's parent chain (/tmp sticky, then 0700
// directories owned by root) passes keepalived's script security.
func scriptDir(t *testing.T) string {
	t.Helper()
	d := t.TempDir()
	if err := os.Chmod(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// writeScript writes an executable shell script.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// advert is a decoded VRRP advertisement from a captured frame.
type advert struct {
	at       time.Time
	srcMAC   net.HardwareAddr
	src      netip.Addr
	vrid     int
	priority int
}

// parseAdvert decodes an Ethernet/IPv4/VRRP (protocol 112) frame; RFC 9568
// §5.1 puts VRID in octet 1 and priority in octet 2 of the VRRP header.
func parseAdvert(f nettest.Frame) (advert, bool) {
	d := f.Data
	if len(d) < 14+20+8 || binary.BigEndian.Uint16(d[12:14]) != 0x0800 {
		return advert{}, false
	}
	ip := d[14:]
	ihl := int(ip[0]&0x0f) * 4
	if ip[9] != 112 || len(ip) < ihl+8 {
		return advert{}, false
	}
	v := ip[ihl:]
	src, _ := netip.AddrFromSlice(ip[12:16])
	return advert{at: f.At, srcMAC: net.HardwareAddr(d[6:12]), src: src, vrid: int(v[1]), priority: int(v[2])}, true
}

// adverts returns the captured adverts for vrid.
func adverts(c *nettest.Capture, vrid int) []advert {
	var out []advert
	for _, f := range c.Frames() {
		if a, ok := parseAdvert(f); ok && a.vrid == vrid {
			out = append(out, a)
		}
	}
	return out
}

// isGARP reports whether f is a gratuitous ARP for vip and returns its
// Ethernet and ARP sender hardware addresses (RFC 826 layout).
func isGARP(f nettest.Frame, vip netip.Addr) (eth, sha net.HardwareAddr, ok bool) {
	d := f.Data
	if len(d) < 42 || binary.BigEndian.Uint16(d[12:14]) != 0x0806 {
		return nil, nil, false
	}
	a := d[14:]
	spa, _ := netip.AddrFromSlice(a[14:18])
	tpa, _ := netip.AddrFromSlice(a[24:28])
	if spa != vip || tpa != vip {
		return nil, nil, false
	}
	return net.HardwareAddr(d[6:12]), net.HardwareAddr(a[8:14]), true
}
