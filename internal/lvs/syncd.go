package lvs

import (
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// SyncDaemon converts lvs_sync_daemon into the sync daemon to start in role state. keepalived runs
// the master daemon while the VRRP instance named in the keyword is MASTER and the backup daemon
// otherwise; the VRRP side owns that decision and calls ipvs.Client.StartDaemon/StopDaemon.
func SyncDaemon(d *config.LVSSyncDaemon, state ipvs.DaemonState) ipvs.Daemon {
	return ipvs.Daemon{
		State:     state,
		Interface: d.Interface,
		SyncID:    uint32(d.SyncID),
		MaxLen:    uint16(d.MaxLen),
		Group:     d.Group,
		Port:      uint16(d.Port),
		TTL:       uint8(d.TTL),
	}
}
