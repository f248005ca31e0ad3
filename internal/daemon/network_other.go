//go:build !linux

package daemon

import (
	"errors"
	"log/slog"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// newNetwork is Linux-only: VRRP needs raw sockets and netlink.
func newNetwork(cfg *config.Config, log *slog.Logger) (engine.Network, func(), error) {
	return nil, nil, errors.New("VRRP needs Linux (raw sockets, netlink)")
}
