package packet

import (
	"bytes"
	"crypto/hmac"
	"crypto/md5"
	"encoding/binary"
	"net/netip"
	"testing"
)

func TestPassword(t *testing.T) {
	tests := []struct {
		in    string
		want  [8]byte
		trunc bool
	}{
		{"", [8]byte{}, false},
		{"abc", [8]byte{'a', 'b', 'c'}, false},
		{"12345678", [8]byte{'1', '2', '3', '4', '5', '6', '7', '8'}, false},
		{"123456789", [8]byte{'1', '2', '3', '4', '5', '6', '7', '8'}, true},
	}
	for _, tt := range tests {
		got, trunc := Password(tt.in)
		if got != tt.want || trunc != tt.trunc {
			t.Errorf("Password(%q) = %x %v, want %x %v", tt.in, got, trunc, tt.want, tt.trunc)
		}
	}
	pw, _ := Password("abc")
	if !PasswordMatch([]byte{'a', 'b', 'c', 0, 0, 0, 0, 0}, pw) {
		t.Error("equal passwords do not match")
	}
	if PasswordMatch([]byte{'a', 'b', 'c', 0, 0, 0, 0, 1}, pw) || PasswordMatch([]byte("abc"), pw) {
		t.Error("different passwords match")
	}
}

// independentICV recomputes keepalived's AH ICV from the raw datagram with
// crypto/hmac, zeroing the mutable fields by hand (vrrp_in_chk_ipsecah()).
func independentICV(dgram []byte, key string, unicast bool) []byte {
	c := bytes.Clone(dgram)
	c[1] = 0            // tos
	c[6], c[7] = 0, 0   // frag_off
	c[10], c[11] = 0, 0 // check
	if unicast {
		c[8] = 0 // ttl
	}
	clear(c[20+12 : 20+24]) // ICV
	k, _ := Password(key)
	m := hmac.New(md5.New, k[:])
	m.Write(c)
	return m.Sum(nil)[:12]
}

// TestAHVectors builds AH adverts and checks every AH field and the ICV against an
// independent crypto/hmac computation; the multicast one is also a golden file.
func TestAHVectors(t *testing.T) {
	key, _ := Password("secret")
	a := Advert{Version: 2, Type: 1, VRID: 42, Priority: 100, AdverInt: 1, AuthType: AuthAH,
		Addrs: []netip.Addr{addr("10.99.0.100")}}
	for _, tt := range []struct {
		name    string
		s       IPv4Send
		golden  string
		unicast bool
	}{
		{"multicast", IPv4Send{Src: addr("10.99.0.1"), Dst: Group4, TTL: 255, ID: 1, AHKey: key, AHSeq: 1}, "dgram_v2_ah.hex", false},
		{"unicast", IPv4Send{Src: addr("10.99.0.1"), Dst: addr("10.99.0.2"), TTL: 64, ID: 5, AHKey: key, AHSeq: 77, Unicast: true}, "dgram_v2_ah_unicast.hex", true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b, err := AppendIPv4Advert(nil, &a, &tt.s)
			if err != nil {
				t.Fatal(err)
			}
			checkGolden(t, tt.golden, "VRRPv2 auth_type AH, auth_pass 'secret', "+tt.name+": IPv4 + AH (SPI = source, seq) + VRRP.", b)
			if len(b) != 20+24+20 || b[9] != ProtoAH || int(binary.BigEndian.Uint16(b[2:])) != len(b) {
				t.Fatalf("datagram %x", b)
			}
			var ah AH
			if err := ah.Unmarshal(b[20:]); err != nil {
				t.Fatal(err)
			}
			if ah.NextHeader != ProtoVRRP || ah.PayloadLen != 4 || ah.Reserved != 0 ||
				ah.SPI != 0x0a630001 || ah.Seq != tt.s.AHSeq {
				t.Errorf("AH header %+v", ah)
			}
			if want := independentICV(b, "secret", tt.unicast); !bytes.Equal(ah.ICV[:], want) {
				t.Errorf("ICV %x, independent %x", ah.ICV, want)
			}
			if naiveSum(b[44:]) != 0xffff {
				t.Error("VRRP checksum after AH does not verify")
			}
			// Mutable fields do not change the ICV; the ID does.
			m := bytes.Clone(b)
			m[1], m[7], m[10] = 0x10, 0x20, 0x30
			if tt.unicast {
				m[8] = 3
			}
			if !bytes.Equal(independentICV(m, "secret", tt.unicast), ah.ICV[:]) {
				t.Error("mutable fields changed the ICV")
			}
			m[5] ^= 1
			if bytes.Equal(independentICV(m, "secret", tt.unicast), ah.ICV[:]) {
				t.Error("ID is not covered by the ICV")
			}
		})
	}
}

func TestComputeICVErrors(t *testing.T) {
	if _, err := ComputeICV(make([]byte, 10), make([]byte, 24), nil, [8]byte{}, false); err == nil {
		t.Error("short IP header accepted")
	}
	if _, err := ComputeICV(make([]byte, 20), make([]byte, 24), make([]byte, 2000), [8]byte{}, false); err == nil {
		t.Error("oversized message accepted")
	}
	var ah AH
	if err := ah.Unmarshal(make([]byte, 23)); err == nil {
		t.Error("short AH accepted")
	}
}

func TestReplay(t *testing.T) {
	var r Replay
	steps := []struct {
		seq  uint32
		want bool
	}{{0, false}, {1, true}, {1, false}, {5, true}, {3, false}, {6, true}}
	for _, s := range steps {
		if got := r.Accept(s.seq); got != s.want {
			t.Errorf("Accept(%d) = %v after last %d", s.seq, got, r.Last())
		}
	}
	if r.Last() != 6 {
		t.Errorf("last %d", r.Last())
	}
	r.Reset()
	if !r.Accept(1) {
		t.Error("Reset did not forget")
	}
}

func TestAHSequence(t *testing.T) {
	var s AHSequence
	if n, c := s.Next(); n != 1 || c {
		t.Fatalf("first %d %v", n, c)
	}
	s.n = 0xFFFFFFFC
	var got []uint32
	var cycled bool
	for range 3 {
		var n uint32
		n, cycled = s.Next()
		got = append(got, n)
	}
	if got[0] != 0xFFFFFFFD || got[1] != 0xFFFFFFFE || got[2] != 0xFFFFFFFE || !cycled {
		t.Errorf("near the end: %x cycled=%v", got, cycled)
	}
	s.Reset()
	if n, c := s.Next(); n != 1 || c {
		t.Errorf("after reset %d %v", n, c)
	}
}
