package daemon

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// dumpDir is where keepalived writes its signal dumps (/tmp/keepalived.data, .stats, .json).
var dumpDir = os.TempDir()

// dumpState answers keepalived's dump signals: SIGUSR1 writes keepalived.data, SIGUSR2
// keepalived.stats, and SIGRTMIN+2 keepalived.json. keepalived's text formats are not stable
// between its own versions; ours are documented in docs/daemon.md. The JSON is our status format.
func dumpState(eng *engine.Engine, sig os.Signal, log *slog.Logger) {
	st, err := eng.Snapshot()
	if err != nil {
		log.Warn("cannot dump state", "err", err)
		return
	}
	var name, body string
	switch sig {
	case syscall.SIGUSR1:
		name, body = "keepalived.data", formatData(st)
	case syscall.SIGUSR2:
		name, body = "keepalived.stats", formatStats(st)
	default:
		b, err := json.MarshalIndent(st, "", "  ")
		if err != nil {
			log.Warn("cannot dump state", "err", err)
			return
		}
		name, body = "keepalived.json", string(b)+"\n"
	}
	path := filepath.Join(dumpDir, name)
	// Write then rename, so a reader never sees a half-written file (the exporters' race).
	tmp := path + ".tmp"
	err = os.WriteFile(tmp, []byte(body), 0o644)
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		log.Warn("cannot write state dump", "file", path, "err", err)
		return
	}
	log.Info("state dumped", "file", path)
}

func formatData(st []engine.InstanceStatus) string {
	var b strings.Builder
	b.WriteString("------< VRRP Topology >------\n")
	for _, s := range st {
		fmt.Fprintf(&b, " VRRP Instance = %s\n", s.Name)
		if s.SyncGroup != "" {
			fmt.Fprintf(&b, "   Sync group = %s\n", s.SyncGroup)
		}
		fmt.Fprintf(&b, "   VRRP Version = %d\n   State = %s\n   Interface = %s\n   Virtual Router ID = %d\n", s.Version, s.State, s.Interface, s.VRID)
		fmt.Fprintf(&b, "   Priority = %d\n   Effective priority = %d\n", s.BasePriority, s.Priority)
		if s.Master.IsValid() {
			fmt.Fprintf(&b, "   Master router = %s\n   Master priority = %d\n", s.Master, s.MasterPriority)
		}
		fmt.Fprintf(&b, "   Virtual IP (%d):\n", len(s.VIPs))
		for _, v := range s.VIPs {
			fmt.Fprintf(&b, "     %s\n", v)
		}
	}
	return b.String()
}

func formatStats(st []engine.InstanceStatus) string {
	var b strings.Builder
	for _, s := range st {
		fmt.Fprintf(&b, "VRRP Instance: %s\n  Advertisements:\n    Received: %d\n    Sent: %d\n", s.Name, s.AdvertsReceived, s.AdvertsSent)
		fmt.Fprintf(&b, "  Became master: %d\n  Released master: %d\n", s.BecomeMaster, s.ReleaseMaster)
		fmt.Fprintf(&b, "  Priority Zero:\n    Received: %d\n    Sent: %d\n", s.PriorityZeroRx, s.PriorityZeroTx)
		if len(s.Drops) > 0 {
			b.WriteString("  Packet Errors:\n")
			for k, v := range s.Drops {
				fmt.Fprintf(&b, "    %s: %d\n", k, v)
			}
		}
	}
	return b.String()
}
