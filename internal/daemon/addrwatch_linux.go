package daemon

import (
	"log/slog"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/linkmon"
)

// watchAddresses reports the node's addresses to fn now and after every change (added or removed
// by anyone, resync after lost notifications), until the returned stop is called. It fails when
// rtnetlink cannot be subscribed to.
func watchAddresses(log *slog.Logger, fn func([]netip.Addr)) (stop func(), err error) {
	m, err := linkmon.Start(linkmon.Options{Log: log})
	if err != nil {
		return nil, err
	}
	report := func() {
		_, addrs := m.Snapshot()
		out := make([]netip.Addr, 0, len(addrs))
		for _, a := range addrs {
			out = append(out, a.Prefix.Addr().Unmap())
		}
		fn(out)
	}
	report()
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range m.Events() {
			switch ev.Kind {
			case linkmon.AddrAdded, linkmon.AddrRemoved, linkmon.Resync:
				report()
			}
		}
	}()
	return func() {
		if err := m.Close(); err != nil {
			log.Debug("closing the address monitor", "err", err)
		}
		<-done
	}, nil
}
