package daemon

import (
	"log/slog"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/linuxnet"
)

// newNetwork opens the Linux network layer for the VRRP engine.
func newNetwork(log *slog.Logger) (engine.Network, func(), error) {
	n, err := linuxnet.Open(log)
	if err != nil {
		return nil, nil, err
	}
	return n, func() {
		if err := n.Close(); err != nil {
			log.Debug("closing network layer", "err", err)
		}
	}, nil
}
