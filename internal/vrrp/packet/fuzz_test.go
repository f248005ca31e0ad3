package packet

import (
	"bytes"
	"net/netip"
	"testing"
	"time"
)

// goldenSeeds are the captured and generated packets used as seeds by every target.
func goldenSeeds(t testing.TB) (msgs4, msgs6, dgrams [][]byte) {
	msgs4 = [][]byte{readHex(t, "v2_prio100.hex"), readHex(t, "v2_prio0.hex"), readHex(t, "v3_ipv4_mcast.hex"), readHex(t, "v3_ipv4_unicast.hex")}
	msgs6 = [][]byte{readHex(t, "v3_ipv6.hex")}
	dgrams = [][]byte{readHex(t, "dgram_v2_mcast.hex"), readHex(t, "dgram_v2_pass.hex"), readHex(t, "dgram_v3_unicast.hex"),
		readHex(t, "dgram_v2_ah.hex"), readHex(t, "dgram_v2_ah_unicast.hex")}
	return
}

func FuzzUnmarshalAdvert(f *testing.F) {
	m4, m6, _ := goldenSeeds(f)
	for _, m := range m4 {
		f.Add(m, false)
	}
	for _, m := range m6 {
		f.Add(m, true)
	}
	f.Fuzz(func(t *testing.T, data []byte, v6 bool) {
		fam := IPv4
		if v6 {
			fam = IPv6
		}
		var a Advert
		if err := a.Unmarshal(data, fam); err != nil {
			return
		}
		n := a.Len(fam)
		if n > len(data) {
			t.Fatalf("Len %d beyond %d input bytes", n, len(data))
		}
		if a.Version != 2 && a.Version != 3 {
			return
		}
		out, err := a.Marshal(fam)
		if err != nil {
			t.Fatalf("re-marshal of decoded %+v: %v", a, err)
		}
		if !bytes.Equal(out, data[:n]) {
			t.Fatalf("round trip %x, input %x", out, data[:n])
		}
	})
}

// fuzzParams are the instances FuzzValidate checks each input against.
var fuzzParams = []Params{
	{Version: 2, Family: IPv4, VRID: 42, Priority: 100, AdverInt: time.Second, VIPs: []netip.Addr{addr("10.99.0.100")}, CheckVIPs: true},
	{Version: 2, Family: IPv4, VRID: 42, Priority: 100, AdverInt: time.Second, AuthType: AuthAH, AuthData: [8]byte{'s', 'e', 'c', 'r', 'e', 't'}, Replay: &Replay{}},
	{Version: 2, Family: IPv4, VRID: 42, AdverInt: time.Second, AuthType: AuthPass, AuthData: [8]byte{'s', 'e', 'c', 'r', 'e', 't'}},
	{Version: 3, Family: IPv4, VRID: 44, AdverInt: time.Second, Peers: []Peer{{Addr: addr("10.99.0.1"), MinTTL: 1}}, CheckUnicastSrc: true, CheckVIPs: true, RejectVIPMismatch: true},
	{Version: 3, Family: IPv6, VRID: 43, AdverInt: time.Second, VerifyIPv6Checksum: true, OwnerIgnoreAdverts: true, Priority: 255},
}

func FuzzValidate(f *testing.F) {
	m4, m6, dg := goldenSeeds(f)
	for _, d := range dg {
		f.Add(d, uint8(0), 255)
	}
	for _, m := range append(m4, m6...) {
		f.Add(m, uint8(4), 255)
	}
	f.Fuzz(func(t *testing.T, data []byte, which uint8, hop int) {
		p := fuzzParams[int(which)%len(fuzzParams)]
		m := Meta{Src: addr("fe80::1"), Dst: Group6, HopLimit: hop}
		var a Advert
		r := Validate(&p, data, &m, &a)
		if r.Drop >= dropReasonCount {
			t.Fatalf("reason %d out of range", r.Drop)
		}
		if !r.OK() {
			return
		}
		if a.VRID != p.VRID || a.Version != p.Version || a.Type != TypeAdvertisement {
			t.Fatalf("accepted %+v for %+v", a, p)
		}
		if p.Family == IPv4 && int(data[2])<<8|int(data[3]) > len(data) {
			t.Fatal("accepted a datagram longer than the input")
		}
	})
}

func FuzzIPv4Header(f *testing.F) {
	_, _, dg := goldenSeeds(f)
	for _, d := range dg {
		f.Add(d)
	}
	f.Add([]byte{0x46, 0xc0, 0, 24, 0, 1, 0, 0, 255, 112, 0, 0, 10, 0, 0, 1, 224, 0, 0, 18, 1, 1, 1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		var h IPv4Header
		n, err := h.Unmarshal(data)
		if err != nil {
			return
		}
		if n != h.Len() || n > len(data) {
			t.Fatalf("length %d, Len %d, input %d", n, h.Len(), len(data))
		}
		out, err := h.AppendMarshal(nil)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		if !bytes.Equal(out, data[:n]) {
			t.Fatalf("round trip %x, input %x", out, data[:n])
		}
	})
}
