package announce

import (
	"bytes"
	"encoding/hex"
	"errors"
	"flag"
	"net"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mdlayher/ndp"
	"golang.org/x/net/icmp"
	"golang.org/x/net/ipv6"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

// mac is a documentation MAC address (RFC 7042 §2.1.2).
var mac = net.HardwareAddr{0x00, 0x00, 0x5e, 0x00, 0x53, 0x01}

func readHex(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		sb.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(sb.String())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

func checkGolden(t *testing.T, name, comment string, got []byte) {
	t.Helper()
	if *update {
		var sb strings.Builder
		sb.WriteString("# " + comment + "\n")
		for i := 0; i < len(got); i += 16 {
			sb.WriteString(hex.EncodeToString(got[i:min(i+16, len(got))]) + "\n")
		}
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if want := readHex(t, name); !bytes.Equal(got, want) {
		t.Errorf("%s mismatch\ngot  %x\nwant %x", name, got, want)
	}
}

func TestGARPGolden(t *testing.T) {
	vip := netip.MustParseAddr("198.51.100.10")
	b, err := AppendGARP(nil, mac, vip)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "garp.hex", "Gratuitous ARP for 198.51.100.10 from 00:00:5e:00:53:01 as keepalived sends it (42 bytes, unpadded).", b)
	// Field by field, against the offsets of RFC 826 rather than the parser.
	want := "ffffffffffff" + "00005e005301" + "0806" + "0001" + "0800" + "06" + "04" + "0001" +
		"00005e005301" + "c633640a" + "ffffffffffff" + "c633640a"
	if hex.EncodeToString(b) != want {
		t.Errorf("frame %x\nwant  %s", b, want)
	}
	// A NIC pads to 60 bytes; the parser ignores the padding.
	a, err := ParseARP(append(b, make([]byte, 18)...))
	if err != nil {
		t.Fatal(err)
	}
	if a.Op != ARPRequest || !a.IsGratuitous() || a.SenderIP != vip || !bytes.Equal(a.TargetMAC, Broadcast) ||
		!bytes.Equal(a.EthDst, Broadcast) || !bytes.Equal(a.EthSrc, mac) || !bytes.Equal(a.SenderMAC, mac) {
		t.Errorf("parsed %+v", a)
	}
}

func TestARPErrors(t *testing.T) {
	good, _ := AppendGARP(nil, mac, netip.MustParseAddr("198.51.100.10"))
	bad := func(i int, v byte) []byte { c := bytes.Clone(good); c[i] = v; return c }
	for name, b := range map[string][]byte{
		"short":     good[:41],
		"ethertype": bad(13, 0x00),
		"hw type":   bad(15, 6),
		"hw len":    bad(18, 8),
	} {
		if _, err := ParseARP(b); err == nil {
			t.Errorf("%s: accepted", name)
		} else if name == "short" && !errors.Is(err, ErrTruncated) {
			t.Errorf("short: %v", err)
		}
	}
	if _, err := AppendGARP(nil, mac[:5], netip.MustParseAddr("198.51.100.10")); err == nil {
		t.Error("5-byte MAC accepted")
	}
	if _, err := AppendGARP(nil, mac, netip.MustParseAddr("2001:db8::1")); err == nil {
		t.Error("IPv6 VIP accepted")
	}
	g := GARP(mac, netip.MustParseAddr("198.51.100.10"))
	g.TargetIP = netip.MustParseAddr("198.51.100.11")
	if g.IsGratuitous() {
		t.Error("spa != tpa reported gratuitous")
	}
}

func TestNAGolden(t *testing.T) {
	vip := netip.MustParseAddr("2001:db8::10")
	for _, tt := range []struct {
		file   string
		router bool
		flags  byte
	}{{"na.hex", false, 0x20}, {"na_router.hex", true, 0xa0}} {
		t.Run(tt.file, func(t *testing.T) {
			b, err := AppendUnsolicitedNA(nil, mac, vip, tt.router)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.file, "Unsolicited NA for 2001:db8::10 from 00:00:5e:00:53:01 as keepalived sends it (86 bytes).", b)
			if len(b) != NALen || !bytes.Equal(b[:6], []byte{0x33, 0x33, 0, 0, 0, 1}) || b[21] != 255 || b[20] != 58 {
				t.Fatalf("frame %x", b)
			}
			body := b[EthHeaderLen+IPv6HeaderLen:]
			if body[4] != tt.flags {
				t.Errorf("flags %#x, want %#x", body[4], tt.flags)
			}
			// Independent checksum: x/net/icmp computes it over the same pseudo-header.
			m := icmp.Message{Type: ipv6.ICMPTypeNeighborAdvertisement, Body: &icmp.RawBody{Data: bytes.Clone(body[4:])}}
			want, err := m.Marshal(icmp.IPv6PseudoHeader(net.IP(vip.AsSlice()), net.IP(AllNodes.AsSlice())))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(body, want) {
				t.Errorf("ICMPv6 %x, x/net/icmp %x", body, want)
			}
			// Independent decode: mdlayher/ndp.
			msg, err := ndp.ParseMessage(body)
			if err != nil {
				t.Fatal(err)
			}
			na, ok := msg.(*ndp.NeighborAdvertisement)
			if !ok || na.TargetAddress != vip || !na.Override || na.Solicited || na.Router != tt.router || len(na.Options) != 1 {
				t.Fatalf("ndp sees %#v", msg)
			}
			if lla, ok := na.Options[0].(*ndp.LinkLayerAddress); !ok || lla.Direction != ndp.Target || !bytes.Equal(lla.Addr, mac) {
				t.Errorf("option %#v", na.Options[0])
			}
			// Own parser.
			n, err := ParseNA(b)
			if err != nil {
				t.Fatal(err)
			}
			if !n.ChecksumOK || n.Src != vip || n.Dst != AllNodes || n.Target != vip || n.HopLimit != 255 ||
				n.TrafficClass != 0 || !n.Override || n.Router != tt.router || n.Solicited || !bytes.Equal(n.TargetMAC, mac) {
				t.Errorf("parsed %+v", n)
			}
		})
	}
}

func TestNAParse(t *testing.T) {
	vip := netip.MustParseAddr("2001:db8::10")
	good, _ := AppendUnsolicitedNA(nil, mac, vip, false)
	bad := func(i int, v byte) []byte { c := bytes.Clone(good); c[i] = v; return c }
	for name, b := range map[string][]byte{
		"short":          good[:77],
		"ethertype":      bad(12, 0x08),
		"ip version":     bad(14, 0x40),
		"next header":    bad(20, 17),
		"payload length": bad(19, 200),
		"icmp type":      bad(54, 135),
		"zero option":    bad(79, 0),
		"long option":    bad(79, 3),
	} {
		if _, err := ParseNA(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	// A corrupted checksum is reported, not fatal.
	n, err := ParseNA(bad(57, good[57]^0xff))
	if err != nil || n.ChecksumOK {
		t.Errorf("bad checksum: %v ok=%v", err, n.ChecksumOK)
	}
	// Without the option, and with an extra unknown option before it.
	plain := NA{EthDst: AllNodesMAC, EthSrc: mac, HopLimit: 255, Src: vip, Dst: AllNodes, Target: vip, Solicited: true}
	pb, err := plain.AppendMarshal(nil)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := ParseNA(pb); err != nil || n.TargetMAC != nil || !n.Solicited || !n.ChecksumOK {
		t.Errorf("no option: %+v %v", n, err)
	}
	ext := append(bytes.Clone(good[:78]), 14, 1, 1, 2, 3, 4, 5, 6)
	ext = append(ext, good[78:]...)
	ext[19] += 8
	if n, err := ParseNA(ext); err != nil || !bytes.Equal(n.TargetMAC, mac) {
		t.Errorf("extra option: %+v %v", n, err)
	}
	for _, bn := range []NA{
		{EthDst: AllNodesMAC, EthSrc: mac[:4], Src: vip, Dst: AllNodes, Target: vip},
		{EthDst: AllNodesMAC, EthSrc: mac, Src: netip.MustParseAddr("198.51.100.1"), Dst: AllNodes, Target: vip},
	} {
		if _, err := bn.AppendMarshal(nil); err == nil {
			t.Errorf("%+v accepted", bn)
		}
	}
}

func TestNoAlloc(t *testing.T) {
	buf := make([]byte, 0, 128)
	v4, v6 := netip.MustParseAddr("198.51.100.10"), netip.MustParseAddr("2001:db8::10")
	if n := testing.AllocsPerRun(100, func() {
		_, _ = AppendGARP(buf, mac, v4)
		_, _ = AppendUnsolicitedNA(buf, mac, v6, true)
	}); n != 0 {
		t.Errorf("%v allocs", n)
	}
}

func FuzzARP(f *testing.F) {
	f.Add(readHex(f, "garp.hex"))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := ParseARP(data)
		if err != nil {
			return
		}
		out, err := a.AppendMarshal(nil)
		if err != nil {
			t.Fatalf("re-marshal: %v", err)
		}
		if !bytes.Equal(out, data[:GARPLen]) {
			t.Fatalf("round trip %x, input %x", out, data[:GARPLen])
		}
	})
}

func FuzzNA(f *testing.F) {
	f.Add(readHex(f, "na.hex"))
	f.Add(readHex(f, "na_router.hex"))
	f.Fuzz(func(t *testing.T, data []byte) {
		n, err := ParseNA(data)
		if err != nil {
			return
		}
		out, err := n.AppendMarshal(nil)
		if err != nil {
			t.Fatalf("re-marshal of %+v: %v", n, err)
		}
		// Only a frame with exactly one TLLA option and no reserved bits set
		// re-encodes byte for byte; the decoded fields must always survive.
		back, err := ParseNA(out)
		if err != nil || !back.ChecksumOK || back.Src != n.Src || back.Target != n.Target ||
			back.Router != n.Router || back.Override != n.Override || !bytes.Equal(back.TargetMAC, n.TargetMAC) {
			t.Fatalf("re-parse %+v %v, want %+v", back, err, n)
		}
	})
}

// TestChecksumOddLength covers the RFC 1071 odd-byte padding of the internal sum.
func TestChecksumOddLength(t *testing.T) {
	if got := fold(sum([]byte{0x12, 0x34, 0x56})); got != 0x1234+0x5600 {
		t.Errorf("sum %#04x, want %#04x", got, 0x1234+0x5600)
	}
}
