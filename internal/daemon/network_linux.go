package daemon

import (
	"log/slog"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/linuxnet"
)

// newNetwork opens the Linux network layer for the VRRP engine.
func newNetwork(cfg *config.Config, log *slog.Logger) (engine.Network, func(), error) {
	pacing := linuxnet.Pacing{GARP: cfg.Global.GARPInterval, GNA: cfg.Global.GNAInterval, PerInterface: map[string][2]time.Duration{}}
	for _, g := range cfg.GARPGroups {
		for _, ifname := range g.Interfaces {
			pacing.PerInterface[ifname] = [2]time.Duration{g.GARPInterval, g.GNAInterval}
		}
	}
	n, err := linuxnet.Open(log, pacing)
	if err != nil {
		return nil, nil, err
	}
	n.SetNFTables(&cfg.Global) // table, priority and counters of the no_accept filter
	return n, func() {
		if err := n.Close(); err != nil {
			log.Debug("closing network layer", "err", err)
		}
	}, nil
}
