package ipvs

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mdlayher/netlink"
)

var update = flag.Bool("update", false, "rewrite the golden files")

// encode runs f on a fresh encoder.
func encode(t testing.TB, f func(*netlink.AttributeEncoder)) []byte {
	t.Helper()
	ae := netlink.NewAttributeEncoder()
	f(ae)
	b, err := ae.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

var services = []Service{
	{ServiceKey: ServiceKey{Family: INET, Protocol: TCP, Addr: netip.MustParseAddr("198.51.100.1"), Port: 80}, Scheduler: "wlc"},
	{ServiceKey: ServiceKey{Family: INET, Protocol: UDP, Addr: netip.MustParseAddr("198.51.100.2"), Port: 53}, Scheduler: "sh",
		Flags: FlagSched1 | FlagSched2 | FlagOnePacket},
	{ServiceKey: ServiceKey{Family: INET, Protocol: TCP, Addr: netip.MustParseAddr("198.51.100.3"), Port: 0}, Scheduler: "rr",
		Timeout: 360 * time.Second, Granularity: 24, PersistenceEngine: "sip"},
	{ServiceKey: ServiceKey{Family: INET6, Protocol: SCTP, Addr: netip.MustParseAddr("2001:db8::1"), Port: 443}, Scheduler: "mh",
		Flags: FlagSched2, Timeout: 50 * time.Second, Granularity: 64},
	{ServiceKey: ServiceKey{Family: INET, Fwmark: 7}, Scheduler: "wrr"},
	{ServiceKey: ServiceKey{Family: INET6, Fwmark: 8}, Scheduler: "lblcr"},
}

var dests = []Destination{
	{DestinationKey: DestinationKey{Addr: netip.MustParseAddr("203.0.113.10"), Port: 8080}, Forward: Masquerade, Weight: 3},
	{DestinationKey: DestinationKey{Addr: netip.MustParseAddr("203.0.113.11"), Port: 80}, Forward: DirectRoute, Weight: 0,
		UpperThreshold: 100, LowerThreshold: 10},
	{DestinationKey: DestinationKey{Addr: netip.MustParseAddr("203.0.113.12"), Port: 80}, Forward: Tunnel, Weight: 1,
		TunnelType: TunnelGUE, TunnelPort: 6080, TunnelFlags: TunnelRemCsum},
	{DestinationKey: DestinationKey{Addr: netip.MustParseAddr("2001:db8::10"), Port: 80}, Forward: Tunnel, Weight: 65535,
		TunnelType: TunnelGRE, TunnelFlags: TunnelCsum},
}

func TestServiceRoundTrip(t *testing.T) {
	for _, s := range services {
		t.Run(s.ServiceKey.String(), func(t *testing.T) {
			b := encode(t, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) })
			got, err := decodeService(b)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(s) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got.Service, s)
			}
			if s.Timeout > 0 && got.Flags&FlagPersistent == 0 {
				t.Errorf("persistent service encoded without IP_VS_SVC_F_PERSISTENT: %#x", got.Flags)
			}
		})
	}
}

func TestDestRoundTrip(t *testing.T) {
	for _, d := range dests {
		t.Run(d.DestinationKey.String(), func(t *testing.T) {
			b := encode(t, func(ae *netlink.AttributeEncoder) { encodeDest(ae, INET, d, true) })
			got, err := decodeDest(b, INET)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Equal(d) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", got.Destination, d)
			}
			if got.Family != FamilyOf(d.Addr) {
				t.Errorf("family %v, want %v", got.Family, FamilyOf(d.Addr))
			}
		})
	}
}

func TestNetmask(t *testing.T) {
	for _, tc := range []struct {
		f    Family
		plen int
		want []byte
	}{
		{INET, 0, []byte{0xff, 0xff, 0xff, 0xff}},
		{INET, 32, []byte{0xff, 0xff, 0xff, 0xff}},
		{INET, 24, []byte{0xff, 0xff, 0xff, 0x00}},
		{INET, 1, []byte{0x80, 0, 0, 0}},
		// IPv6 carries the prefix length in host order.
		{INET6, 0, binary.NativeEndian.AppendUint32(nil, 128)},
		{INET6, 64, binary.NativeEndian.AppendUint32(nil, 64)},
	} {
		got := netmask(tc.f, tc.plen)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("netmask(%v, %d) = %x, want %x", tc.f, tc.plen, got, tc.want)
		}
		if p := prefixFromNetmask(tc.f, got); tc.plen != 0 && p != tc.plen {
			t.Errorf("prefixFromNetmask(%v, %x) = %d, want %d", tc.f, got, p, tc.plen)
		}
	}
}

func TestDecodeErrors(t *testing.T) {
	for _, tc := range []struct {
		name string
		b    []byte
	}{
		{"no family", encode(t, func(ae *netlink.AttributeEncoder) { ae.Uint16(svcProtocol, 6) })},
		{"short address", encode(t, func(ae *netlink.AttributeEncoder) {
			ae.Uint16(svcAF, uint16(INET6))
			ae.Bytes(svcAddr, []byte{1, 2, 3, 4})
		})},
		{"short port", encode(t, func(ae *netlink.AttributeEncoder) {
			ae.Uint16(svcAF, uint16(INET))
			ae.Bytes(svcPort, []byte{1})
		})},
		{"bad flags", encode(t, func(ae *netlink.AttributeEncoder) {
			ae.Uint16(svcAF, uint16(INET))
			ae.Bytes(svcFlags, []byte{1, 2, 3})
		})},
		{"truncated", []byte{8, 0, 1}},
	} {
		if _, err := decodeService(tc.b); err == nil {
			t.Errorf("%s: decoded without error", tc.name)
		}
	}
}

// TestStats checks that the 64-bit nest wins over the legacy one and that the legacy nest's
// byte counters are read as 64-bit.
func TestStats(t *testing.T) {
	b := encode(t, func(ae *netlink.AttributeEncoder) {
		encodeServiceKey(ae, services[0].ServiceKey)
		ae.Nested(svcStats, func(n *netlink.AttributeEncoder) error {
			n.Uint32(statsConns, 5)
			n.Uint64(statsInBytes, 1<<40)
			return nil
		})
	})
	s, err := decodeService(b)
	if err != nil {
		t.Fatal(err)
	}
	if s.Stats.Connections != 5 || s.Stats.BytesIn != 1<<40 {
		t.Errorf("legacy stats %+v", s.Stats)
	}
	b = encode(t, func(ae *netlink.AttributeEncoder) {
		encodeServiceKey(ae, services[0].ServiceKey)
		ae.Nested(svcStats, func(n *netlink.AttributeEncoder) error { n.Uint32(statsConns, 5); return nil })
		ae.Nested(svcStats64, func(n *netlink.AttributeEncoder) error { n.Uint64(statsConns, 1<<33); return nil })
	})
	if s, err = decodeService(b); err != nil || s.Stats.Connections != 1<<33 {
		t.Errorf("stats64: %+v, %v", s.Stats, err)
	}
}

func TestDaemonRoundTrip(t *testing.T) {
	for _, d := range []Daemon{
		{State: DaemonMaster, Interface: "eth1", SyncID: 5},
		{State: DaemonBackup, Interface: "eth2", SyncID: 9, MaxLen: 1400, Group: netip.MustParseAddr("239.0.0.1"), Port: 8849, TTL: 3},
		{State: DaemonBackup, Interface: "eth3", Group: netip.MustParseAddr("ff02::1:2")},
	} {
		got, err := decodeDaemon(encode(t, func(ae *netlink.AttributeEncoder) { encodeDaemon(ae, d) }))
		if err != nil || got != d {
			t.Errorf("daemon round trip: got %+v, %v; want %+v", got, err, d)
		}
	}
}

// TestGolden pins the bytes of every request kind against testdata/requests.golden.
func TestGolden(t *testing.T) {
	var sb strings.Builder
	add := func(name string, b []byte) { fmt.Fprintf(&sb, "%s\n%s\n", name, hex.EncodeToString(b)) }
	for _, s := range services {
		add("service "+s.ServiceKey.String(), encode(t, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) }))
	}
	for _, d := range dests {
		add("dest "+d.DestinationKey.String(), encode(t, func(ae *netlink.AttributeEncoder) { encodeDest(ae, INET, d, true) }))
	}
	add("daemon", encode(t, func(ae *netlink.AttributeEncoder) {
		encodeDaemon(ae, Daemon{State: DaemonMaster, Interface: "eth1", SyncID: 5, Group: netip.MustParseAddr("239.0.0.1"), Port: 8848, TTL: 1})
	}))
	path := filepath.Join("testdata", "requests.golden")
	if *update {
		if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if sb.String() != string(want) {
		t.Errorf("encoding differs from %s (run with -update after checking):\n%s", path, sb.String())
	}
}

// FuzzDecode feeds arbitrary attribute bytes to every decoder; whatever decodes must re-encode
// and decode to an equal value.
func FuzzDecode(f *testing.F) {
	for _, s := range services {
		f.Add(encode(f, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) }))
	}
	for _, d := range dests {
		f.Add(encode(f, func(ae *netlink.AttributeEncoder) { encodeDest(ae, INET, d, true) }))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if s, err := decodeService(b); err == nil && (s.Family == INET || s.Family == INET6) && s.Granularity <= hostPrefix(s.Family) {
			s.Flags &^= FlagHashed
			re, err := decodeService(encode(t, func(ae *netlink.AttributeEncoder) { encodeService(ae, s.Service) }))
			if err != nil || !re.Equal(s.Service) {
				t.Fatalf("service re-encode: %+v -> %+v (%v)", s.Service, re.Service, err)
			}
		}
		if d, err := decodeDest(b, INET); err == nil && d.Weight >= 0 {
			re, err := decodeDest(encode(t, func(ae *netlink.AttributeEncoder) { encodeDest(ae, INET, d.Destination, true) }), INET)
			if err != nil || !re.Equal(d.Destination) {
				t.Fatalf("dest re-encode: %+v -> %+v (%v)", d.Destination, re.Destination, err)
			}
		}
		_, _ = decodeDaemon(b)
		_, _ = decodeTimeouts(b)
		_, _ = decodeInfo(b)
	})
}
