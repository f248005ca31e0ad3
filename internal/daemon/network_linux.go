package daemon

import (
	"errors"
	"log/slog"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// newNetwork opens the Linux network layer for the VRRP engine.
func newNetwork(log *slog.Logger) (engine.Network, func(), error) {
	return nil, nil, errors.New("linux network layer not wired yet")
}
