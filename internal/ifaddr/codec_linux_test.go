package ifaddr

import (
	"bytes"
	"encoding/hex"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata")

func TestMarshalGolden(t *testing.T) {
	tests := []struct {
		name string
		a    Address
	}{
		{"vip4_label_brd", Address{Ifindex: 3, Prefix: netip.MustParsePrefix("198.51.100.10/24"), Broadcast: netip.MustParseAddr("198.51.100.255"), Label: "eth0:vip", Scope: ScopeGlobal}},
		{"vip6_deprecated_nodad", Address{Ifindex: 3, Prefix: netip.MustParsePrefix("2001:db8::10/128"), NoDAD: true, SetPreferredLft: true, PreferredLft: 0}},
		{"peer4_noprefixroute", Address{Ifindex: 7, Prefix: netip.MustParsePrefix("203.0.113.1/32"), Peer: netip.MustParseAddr("203.0.113.2"), NoPrefixRoute: true, Scope: ScopeLink}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := marshalAddr(tt.a, true)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", tt.name+".hex")
			if *update {
				if err := os.WriteFile(path, []byte(hex.EncodeToString(b)+"\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want, err := hex.DecodeString(strings.TrimSpace(string(raw)))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, want) {
				t.Fatalf("marshal = %x\nwant      %x", b, want)
			}
			// Round trip: what we send decodes to what we meant.
			got, err := ParseAddressMessage(b)
			if err != nil {
				t.Fatal(err)
			}
			want2 := tt.a
			if !want2.SetPreferredLft {
				want2.PreferredLft = 0
			}
			if got != want2 {
				t.Fatalf("round trip = %+v\nwant        %+v", got, want2)
			}
		})
	}
}

func TestUnmarshalErrors(t *testing.T) {
	good, err := marshalAddr(Address{Ifindex: 1, Prefix: netip.MustParsePrefix("198.51.100.10/32")}, true)
	if err != nil {
		t.Fatal(err)
	}
	badFamily := append([]byte(nil), good...)
	badFamily[0] = 10 // AF_INET6 with an IPv4 address
	badBits := append([]byte(nil), good...)
	badBits[1] = 33
	tests := []struct {
		name string
		b    []byte
	}{
		{"short", good[:4]},
		{"no address", good[:ifaddrmsgLen]},
		{"family mismatch", badFamily},
		{"prefix too long", badBits},
		{"truncated attribute", good[:len(good)-3]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if a, err := ParseAddressMessage(tt.b); err == nil {
				t.Fatalf("decoded %+v from %x", a, tt.b)
			}
		})
	}
}

func FuzzParseAddressMessage(f *testing.F) {
	for _, name := range []string{"vip4_label_brd", "vip6_deprecated_nodad", "peer4_noprefixroute"} {
		raw, err := os.ReadFile(filepath.Join("testdata", name+".hex"))
		if err != nil {
			f.Fatal(err)
		}
		b, err := hex.DecodeString(strings.TrimSpace(string(raw)))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		a, err := ParseAddressMessage(b)
		if err != nil {
			return
		}
		// Anything decoded must encode again and decode to the same key.
		enc, err := marshalAddr(a, true)
		if err != nil {
			t.Fatalf("re-encode %+v: %v", a, err)
		}
		back, err := ParseAddressMessage(enc)
		if err != nil || back.Key() != a.Key() {
			t.Fatalf("round trip of %+v gave %+v, %v", a, back, err)
		}
	})
}
