package transport

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// BenchmarkMulticastRoundTrip measures one advert from send to delivery on
// the peer's instance queue, across a veth pair between two namespaces.
func BenchmarkMulticastRoundTrip(b *testing.B) {
	ha, hb := nettest.NewVethPair(b)
	var ca, cb *Conn
	if err := ha.Do(func() (err error) { ca, err = NewPool(nil).Open(Config{Interface: "eth0", VRID: 1}); return }); err != nil {
		b.Fatal(err)
	}
	defer ca.Close()
	if err := hb.Do(func() (err error) {
		cb, err = NewPool(nil).Open(Config{Interface: "eth0", VRID: 1, RecvBuffer: 1 << 20})
		return
	}); err != nil {
		b.Fatal(err)
	}
	defer cb.Close()
	payload := advert(1, 0)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := ca.Send(Copy{Dst: GroupV4, Payload: payload}); err != nil {
			b.Fatal(err)
		}
		<-cb.Packets()
	}
}
