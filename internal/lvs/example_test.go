package lvs_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
)

// Example shows the daemon's wiring: a manager over an IPVS client, health verdicts from the
// checkers, a reload and the stop.
func Example() {
	const src = `
virtual_server 198.51.100.1 80 {
  protocol TCP
  real_server 203.0.113.1 80 {
    weight 2
    TCP_CHECK { }
  }
}`
	cfg, _ := config.LoadString("keepalived.conf", src, config.LoadOptions{})
	client := ipvstest.NewMemory() // the daemon uses ipvs.Open() and logs "LVS off" on ipvs.ErrNotAvailable
	m, err := lvs.New(cfg, lvs.Options{Client: client, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		fmt.Println(err)
		return
	}
	ch, _ := m.Start()
	fmt.Println("start:", ch.Total(), "operations")

	// The checker engine reports each verdict by real-server key.
	for _, rs := range m.RealServers() {
		ch, _ = m.SetHealth(rs.Key, lvs.Health{Up: false})
		fmt.Println(rs.Key.VS, netip.AddrPortFrom(rs.Key.Addr, rs.Key.Port), "down:", ch.DestsRemoved, "removed")
	}

	ch, _ = m.Reload(cfg)
	fmt.Println("reload:", ch.Total(), "operations")
	ch, _ = m.Stop(false)
	fmt.Println("stop:", ch.ServicesRemoved, "service removed")
	// Output:
	// start: 2 operations
	// [198.51.100.1]:tcp:80 203.0.113.1:80 down: 1 removed
	// reload: 0 operations
	// stop: 1 service removed
}
