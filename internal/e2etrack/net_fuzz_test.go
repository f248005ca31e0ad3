package e2etrack

import (
	"net/netip"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// FuzzFrameDecoders feeds arbitrary frames to the capture decoders the
// tests rely on: they must never panic, and an advert they accept must
// come from an IPv4 frame carrying protocol 112. Needs neither root nor a
// network.
func FuzzFrameDecoders(f *testing.F) {
	// A VRRPv3 advert, VRID 51, priority 150, from 198.51.100.1.
	advert := []byte{
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0xff, 112, 0, 0, 198, 51, 100, 1, 224, 0, 0, 18,
		0x31, 51, 150, 1, 0x00, 0x0a, 0, 0, 198, 51, 100, 100,
	}
	// A gratuitous ARP request for 198.51.100.100 from the VMAC.
	garp := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0x08, 0x06,
		0, 1, 0x08, 0x00, 6, 4, 0, 1, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 198, 51, 100, 100,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 198, 51, 100, 100,
	}
	f.Add(advert)
	f.Add(garp)
	f.Add(advert[:20])
	f.Add([]byte{})
	vip := netip.MustParseAddr("198.51.100.100")
	f.Fuzz(func(t *testing.T, data []byte) {
		fr := nettest.Frame{At: time.Unix(0, 0), Data: data}
		if a, ok := parseAdvert(fr); ok {
			if data[12] != 0x08 || data[13] != 0x00 || data[14+9] != 112 {
				t.Fatalf("accepted a non-VRRP frame as advert %+v", a)
			}
		}
		if _, _, ok := isGARP(fr, vip); ok && (data[12] != 0x08 || data[13] != 0x06) {
			t.Fatal("accepted a non-ARP frame as GARP")
		}
	})
}

// TestFrameDecoderSeeds pins what the decoders read from the seed frames.
func TestFrameDecoderSeeds(t *testing.T) {
	advert := []byte{
		0x01, 0x00, 0x5e, 0x00, 0x00, 0x12, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0x08, 0x00,
		0x45, 0x00, 0x00, 0x20, 0, 0, 0, 0, 0xff, 112, 0, 0, 198, 51, 100, 1, 224, 0, 0, 18,
		0x31, 51, 150, 1, 0x00, 0x0a, 0, 0, 198, 51, 100, 100,
	}
	a, ok := parseAdvert(nettest.Frame{Data: advert})
	if !ok || a.vrid != 51 || a.priority != 150 || a.src != netip.MustParseAddr("198.51.100.1") || a.srcMAC.String() != "00:00:5e:00:01:33" {
		t.Fatalf("parseAdvert = %+v, %v", a, ok)
	}
	if _, ok := parseAdvert(nettest.Frame{Data: advert[:41]}); ok {
		t.Error("a truncated advert was accepted")
	}
	garp := []byte{
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 0x08, 0x06,
		0, 1, 0x08, 0x00, 6, 4, 0, 1, 0x00, 0x00, 0x5e, 0x00, 0x01, 0x33, 198, 51, 100, 100,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 198, 51, 100, 100,
	}
	eth, sha, ok := isGARP(nettest.Frame{Data: garp}, netip.MustParseAddr("198.51.100.100"))
	if !ok || eth.String() != "00:00:5e:00:01:33" || sha.String() != "00:00:5e:00:01:33" {
		t.Fatalf("isGARP = %v %v %v", eth, sha, ok)
	}
	if _, _, ok := isGARP(nettest.Frame{Data: garp}, netip.MustParseAddr("198.51.100.101")); ok {
		t.Error("GARP for another address matched")
	}
}
