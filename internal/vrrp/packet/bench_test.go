package packet

import (
	"net/netip"
	"testing"
)

// BenchmarkDecodeValidate decodes and validates one received advert (target: 0 allocs/op).
func BenchmarkDecodeValidate(b *testing.B) {
	for _, c := range []struct {
		name string
		sc   scenario
	}{{"v2", base2()}, {"v3", base3u()}, {"v2-ah", func() scenario {
		key, _ := Password("secret")
		sc := base2()
		sc.a.AuthType, sc.p.AuthType, sc.p.AuthData, sc.s.AHKey = AuthAH, AuthAH, key, key
		return sc
	}()}} {
		b.Run(c.name, func(b *testing.B) {
			pkt := c.sc.bytes(b)
			a := Advert{Addrs: make([]netip.Addr, 0, 8)}
			b.ReportAllocs()
			b.SetBytes(int64(len(pkt)))
			for b.Loop() {
				if r := Validate(&c.sc.p, pkt, nil, &a); !r.OK() {
					b.Fatal(r.Drop)
				}
			}
		})
	}
}

// BenchmarkEncode frames one advert into a reused buffer.
func BenchmarkEncode(b *testing.B) {
	key, _ := Password("secret")
	for _, c := range []struct {
		name string
		sc   scenario
	}{{"v2", base2()}, {"v3", base3u()}, {"v2-ah", func() scenario {
		sc := base2()
		sc.a.AuthType, sc.s.AHKey = AuthAH, key
		return sc
	}()}} {
		b.Run(c.name, func(b *testing.B) {
			buf := make([]byte, 0, 128)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := AppendIPv4Advert(buf, &c.sc.a, &c.sc.s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
