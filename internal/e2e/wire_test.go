package e2e

import (
	"encoding/hex"
	"net/netip"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(strings.ReplaceAll(s, " ", ""))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// Frames built around the VRRP payloads captured from keepalived 2.2.7
// (reference Appendix B).
const (
	ethV4 = "01005e000012 020000000001 0800"
	ipV4  = "45c00028 0001 0000 ff70 0000 0a630001 e0000012"
	ethV6 = "333300000012 020000000001 86dd"
	// Payload length 40, next header 112, hop limit 255, fe80::1 → ff02::12.
	ipV6 = "6c000000 0028 70 ff fe800000000000000000000000000001 ff020000000000000000000000000012"
	garp = "ffffffffffff 020000000001 0806 0001 0800 06 04 0001 020000000001 0a630064 ffffffffffff 0a630064"
	// NA from 2001:db8::100 with Override, target 2001:db8::100.
	na = "333300000001 020000000001 86dd 60000000 0020 3a ff 20010db8000000000000000000000100 ff020000000000000000000000000001" +
		"88 00 0000 20000000 20010db8000000000000000000000100 0201 020000000001"
)

func TestDecode(t *testing.T) {
	tests := []struct {
		name  string
		frame string
		want  Pkt
	}{
		{"v2", ethV4 + ipV4 + "212a64010001700c0a630064 0000000000000000",
			Pkt{Kind: KindAdvert, Version: 2, VRID: 42, Prio: 100, Count: 1, AdvInt: time.Second, TTL: 255}},
		{"v2 priority 0", ethV4 + ipV4 + "212a00010001d40c0a630064 0000000000000000",
			Pkt{Kind: KindAdvert, Version: 2, VRID: 42, Prio: 0, Count: 1, AdvInt: time.Second, TTL: 255}},
		{"v3 ipv4", ethV4 + ipV4 + "312a9601003242e80a630064",
			Pkt{Kind: KindAdvert, Version: 3, VRID: 42, Prio: 150, Count: 1, AdvInt: 500 * time.Millisecond, TTL: 255}},
		{"v3 ipv6", ethV6 + ipV6 + "312b960200643ed0 fe800000000000000000000000000100 20010db8000000000000000000000100",
			Pkt{Kind: KindAdvert, Version: 3, VRID: 43, Prio: 150, Count: 2, AdvInt: time.Second, TTL: 255}},
		{"garp", garp, Pkt{Kind: KindGARP, ARPOp: 1, Target: netip.MustParseAddr("10.99.0.100")}},
		{"na", na, Pkt{Kind: KindNA, Override: true, TTL: 255, Target: netip.MustParseAddr("2001:db8::100")}},
		{"arp reply is not gratuitous", "ffffffffffff 020000000001 0806 0001 0800 06 04 0002 020000000001 0a630001 ffffffffffff 0a630064", Pkt{}},
		{"truncated", ethV4 + "45c0", Pkt{}},
		{"tcp", ethV4 + "45c00028 0001 0000 ff06 0000 0a630001 0a630002" + "0000000000000000", Pkt{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := Decode(nettest.Frame{Data: mustHex(t, tc.frame)})
			if ok != (tc.want.Kind != 0) {
				t.Fatalf("Decode ok = %v, want %v", ok, tc.want.Kind != 0)
			}
			if !ok {
				return
			}
			w := tc.want
			if got.Kind != w.Kind || got.Version != w.Version || got.VRID != w.VRID || got.Prio != w.Prio ||
				got.Count != w.Count || got.AdvInt != w.AdvInt || got.TTL != w.TTL || got.Override != w.Override ||
				got.ARPOp != w.ARPOp || (w.Target.IsValid() && got.Target != w.Target) {
				t.Errorf("Decode = %+v\nwant %+v", got, w)
			}
			if got.Kind == KindAdvert && len(got.Addrs) != int(got.Count) {
				t.Errorf("decoded %d addresses for count %d", len(got.Addrs), got.Count)
			}
		})
	}
}

func TestTimers(t *testing.T) {
	tests := []struct {
		version   int
		adv       time.Duration
		prio      int
		skew, mdi time.Duration
	}{
		// Reference §6.5: v2 P=100 took over 3.61 s after the last advert
		// and 0.609 s after priority 0; v3 0.5 s P=100 0.305 s.
		{2, time.Second, 100, 609375 * time.Microsecond, 3609375 * time.Microsecond},
		{3, 500 * time.Millisecond, 100, 304687 * time.Microsecond, 1804687 * time.Microsecond},
		{3, 100 * time.Millisecond, 150, 41406 * time.Microsecond, 341406 * time.Microsecond},
		{3, 10 * time.Millisecond, 100, 6093 * time.Microsecond, 36093 * time.Microsecond},
		{2, 3 * time.Second, 255, 3906 * time.Microsecond, 9003906 * time.Microsecond},
	}
	for _, tc := range tests {
		if got := Skew(tc.version, tc.adv, tc.prio); got != tc.skew {
			t.Errorf("Skew(v%d, %v, %d) = %v, want %v", tc.version, tc.adv, tc.prio, got, tc.skew)
		}
		if got := MasterDown(tc.version, tc.adv, tc.prio); got != tc.mdi {
			t.Errorf("MasterDown(v%d, %v, %d) = %v, want %v", tc.version, tc.adv, tc.prio, got, tc.mdi)
		}
	}
}

func TestConfRender(t *testing.T) {
	c := Conf{RouterID: "r0", Instances: []Instance{{Name: "VI_1", VRID: 51, Priority: 150, Version: 2, AdvertInt: "1",
		VIPs: []string{"198.51.100.100/24"}, AuthPass: "s3cret", UnicastSrc: "198.51.100.1", UnicastPeers: []string{"198.51.100.2"},
		Nopreempt: true, TrackIfaces: []string{"trk0"}}}}
	got := c.Render()
	want := mustRead(t, "testdata/render.conf")
	if got != want {
		t.Errorf("Render:\n%s\nwant (testdata/render.conf):\n%s", got, want)
	}
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{ethV4 + ipV4 + "212a64010001700c0a630064 0000000000000000", ethV6 + ipV6 + "312b960200643ed0", garp, na} {
		f.Add(mustHex(f, s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		p, ok := Decode(nettest.Frame{Data: b})
		if !ok {
			return
		}
		if p.Kind == KindAdvert && len(p.Addrs) > int(p.Count) {
			t.Fatalf("more addresses (%d) than the count (%d)", len(p.Addrs), p.Count)
		}
		_ = p.String()
	})
}

func mustRead(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
