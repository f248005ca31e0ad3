package daemon

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/metrics"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// dumpDir is where keepalived writes its signal dumps (/tmp/keepalived.data, .stats, .json).
var dumpDir = os.TempDir()

// dumpInput is what the signal dumps show. The engine status lacks a few things keepalived's
// dumps carry (garp_master_delay, each VIP's device, which VIPs are excluded); they come from
// the configuration the daemon runs. An instance that configuration does not name gets the
// global vrrp_garp_master_delay and its status VIPs on its interface.
type dumpInput struct {
	status  []engine.InstanceStatus
	cfg     *config.Config
	scripts []track.ScriptStatus
}

// dumpState answers keepalived's dump signals: SIGUSR1 writes keepalived.data, SIGUSR2
// keepalived.stats, and SIGRTMIN+2 keepalived.json, in keepalived 2.2.7's layouts, so that
// mehdy/keepalived-exporter parses them unchanged. Our own richer JSON is the control socket's
// /status.
func dumpState(eng *engine.Engine, cfg *config.Config, scripts []track.ScriptStatus, sig os.Signal, log *slog.Logger) {
	st, err := eng.Snapshot()
	if err != nil {
		log.Warn("cannot dump state", "err", err)
		return
	}
	in := dumpInput{status: st, cfg: cfg, scripts: scripts}
	var name, body string
	switch sig {
	case syscall.SIGUSR1:
		name, body = "keepalived.data", formatData(in)
	case syscall.SIGUSR2:
		name, body = "keepalived.stats", formatStats(in)
	default:
		b, err := formatJSON(in)
		if err != nil {
			log.Warn("cannot dump state", "err", err)
			return
		}
		name, body = "keepalived.json", b
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

// kaInstance is one instance as keepalived's dumps describe it.
type kaInstance struct {
	engine.InstanceStatus
	// state is keepalived's state name; STOP is shown as INIT, the only states the exporter
	// knows being INIT, BACKUP, MASTER and FAULT.
	state     string
	garpDelay int // seconds
	vips      []string
	evips     []string
	errs      map[string]uint64
}

// kaStates are keepalived's state numbers (VRRP_STATE_* in vrrp.h), the JSON "state".
var kaStates = map[string]int{"INIT": 0, "BACKUP": 1, "MASTER": 2, "FAULT": 3}

// defaultGARPDelay is keepalived's vrrp_garp_master_delay default, for an instance shown without
// any configuration.
const defaultGARPDelay = 5

func (in dumpInput) instances() []kaInstance {
	byName := map[string]*config.Instance{}
	if in.cfg != nil {
		for _, c := range in.cfg.Instances {
			byName[c.Name] = c
		}
	}
	out := make([]kaInstance, 0, len(in.status))
	for _, s := range in.status {
		k := kaInstance{InstanceStatus: s, state: s.State, errs: metrics.KeepalivedErrorStats(s.Drops)}
		if _, ok := kaStates[k.state]; !ok {
			k.state = "INIT"
		}
		set := k.state == "MASTER"
		if c := byName[s.Name]; c != nil {
			k.garpDelay = int(c.GARPMasterDelay.Seconds())
			for _, v := range c.VIPs {
				k.vips = append(k.vips, kaAddr(v, s.Interface, set))
			}
			for _, v := range c.EVIPs {
				k.evips = append(k.evips, kaAddr(v, s.Interface, set))
			}
		} else {
			k.garpDelay = defaultGARPDelay
			if in.cfg != nil {
				k.garpDelay = int(in.cfg.Global.GARPMasterDelay.Seconds())
			}
			for _, v := range s.VIPs {
				k.vips = append(k.vips, kaStatusAddr(v, s.Interface, set))
			}
		}
		out = append(out, k)
	}
	return out
}

// kaAddr writes a VIP as keepalived's format_ipaddress() and dump_ipaddress() do:
// "ADDR/LEN dev DEV scope SCOPE [label L] [set]". The exporter takes the third word as the
// device, so "brd" (which keepalived writes before "dev", shifting it) is left out.
func kaAddr(v config.VirtualAddr, defaultDev string, set bool) string {
	dev := v.Dev
	if dev == "" {
		dev = defaultDev
	}
	s := fmt.Sprintf("%s dev %s scope %s", v.Prefix, dev, v.Scope)
	if v.Label != "" {
		s += " label " + v.Label
	}
	if set {
		s += " set"
	}
	return s
}

// kaStatusAddr is kaAddr for an address known only from the status ("ADDR" or "ADDR/LEN").
func kaStatusAddr(a, dev string, set bool) string {
	pfx, err := netip.ParsePrefix(a)
	if err != nil {
		if ip, err := netip.ParseAddr(a); err == nil {
			pfx = netip.PrefixFrom(ip, ip.BitLen())
		}
	}
	return kaAddr(config.VirtualAddr{Prefix: pfx, Dev: dev}, dev, set)
}

// formatData writes keepalived 2.2.7's /tmp/keepalived.data (vrrp_print_data, dump_vrrp in
// vrrp_data.c) for the lines we have values for, in keepalived's order and indentation.
func formatData(in dumpInput) string {
	var b strings.Builder
	b.WriteString("------< VRRP Topology >------\n")
	for _, k := range in.instances() {
		fmt.Fprintf(&b, " VRRP Instance = %s\n", k.Name)
		fmt.Fprintf(&b, "   VRRP Version = %d\n", k.Version)
		fmt.Fprintf(&b, "   State = %s\n", k.state)
		if k.state == "BACKUP" && k.Master.IsValid() {
			fmt.Fprintf(&b, "   Master router = %s\n   Master priority = %d\n", k.Master, k.MasterPriority)
		}
		// We have no separate wanted state: the engine's transitions are immediate.
		fmt.Fprintf(&b, "   Wantstate = %s\n", k.state)
		fmt.Fprintf(&b, "   Interface = %s\n", k.Interface)
		if k.SourceAddr.IsValid() {
			fmt.Fprintf(&b, "   Using src_ip = %s\n", k.SourceAddr)
		}
		fmt.Fprintf(&b, "   Gratuitous ARP delay = %d\n", k.garpDelay)
		fmt.Fprintf(&b, "   Virtual Router ID = %d\n", k.VRID)
		fmt.Fprintf(&b, "   Priority = %d\n", k.BasePriority)
		fmt.Fprintf(&b, "   Effective priority = %d\n", k.Priority)
		if len(k.vips) > 0 {
			fmt.Fprintf(&b, "   Virtual IP (%d):\n", len(k.vips))
			for _, v := range k.vips {
				fmt.Fprintf(&b, "     %s\n", v)
			}
		}
		if len(k.evips) > 0 {
			fmt.Fprintf(&b, "   Virtual IP Excluded (%d):\n", len(k.evips))
			for _, v := range k.evips {
				fmt.Fprintf(&b, "     %s\n", v)
			}
		}
		writeTrackedScripts(&b, k.Trackers)
		if k.SyncGroup != "" {
			fmt.Fprintf(&b, "   Sync group = %s\n", k.SyncGroup)
		}
	}
	if len(in.scripts) > 0 {
		b.WriteString("------< VRRP Scripts >------\n")
		for _, s := range in.scripts {
			status, state := "BAD", "idle"
			if s.Good {
				status = "GOOD"
			}
			if s.Running {
				state = "running"
			}
			fmt.Fprintf(&b, " VRRP Script = %s\n   Status = %s\n   State = %s\n", s.Name, status, state)
		}
	}
	return b.String()
}

// writeTrackedScripts writes keepalived's "Tracked scripts :" list of an instance.
func writeTrackedScripts(b *strings.Builder, trackers []engine.TrackerStatus) {
	first := true
	for _, t := range trackers {
		name, ok := strings.CutPrefix(t.Key, "script ")
		if !ok {
			continue
		}
		if first {
			b.WriteString("   Tracked scripts :\n")
			first = false
		}
		fmt.Fprintf(b, "     %s weight %d\n", name, t.Weight)
	}
}

// formatStats writes keepalived 2.2.7's /tmp/keepalived.stats (vrrp_print_stats in
// vrrp_print.c) line for line. The drop reasons feed keepalived's error counters as the
// compat metrics do (internal/metrics dropmap.go).
func formatStats(in dumpInput) string {
	var b strings.Builder
	for _, k := range in.instances() {
		e := k.errs
		fmt.Fprintf(&b, "VRRP Instance: %s\n", k.Name)
		fmt.Fprintf(&b, "  Advertisements:\n    Received: %d\n    Sent: %d\n", k.AdvertsReceived, k.AdvertsSent)
		fmt.Fprintf(&b, "  Became master: %d\n  Released master: %d\n", k.BecomeMaster, k.ReleaseMaster)
		fmt.Fprintf(&b, "  Packet Errors:\n    Length: %d\n    TTL: %d\n    Invalid Type: %d\n    Advertisement Interval: %d\n    Address List: %d\n",
			e["packet_len_err"], e["ip_ttl_err"], e["invalid_type_rcvd"], e["advert_interval_err"], e["addr_list_err"])
		fmt.Fprintf(&b, "  Authentication Errors:\n    Invalid Type: %d\n    Type Mismatch: %d\n    Failure: %d\n",
			e["invalid_authtype"], e["authtype_mismatch"], e["auth_failure"])
		fmt.Fprintf(&b, "  Priority Zero:\n    Received: %d\n    Sent: %d\n", k.PriorityZeroRx, k.PriorityZeroTx)
	}
	return b.String()
}

// kaJSONData is the "data" object of keepalived's vrrp_json.c, for the fields we have, in its
// order. garp_delay is a float there; whole seconds keep it an integer, which the exporter's
// int field needs.
type kaJSONData struct {
	IName             string   `json:"iname"`
	IfpIfname         string   `json:"ifp_ifname"`
	MasterPriority    int      `json:"master_priority"`
	GARPDelay         int      `json:"garp_delay"`
	VRID              int      `json:"vrid"`
	BasePriority      int      `json:"base_priority"`
	EffectivePriority int      `json:"effective_priority"`
	VIPSet            bool     `json:"vipset"`
	State             int      `json:"state"`
	WantState         int      `json:"wantstate"`
	Version           int      `json:"version"`
	VIPs              []string `json:"vips,omitempty"`
	EVIPs             []string `json:"evips,omitempty"`
}

// kaJSONStats is the "stats" object of vrrp_json.c, in its order.
type kaJSONStats struct {
	AdvertRcvd        uint64 `json:"advert_rcvd"`
	AdvertSent        uint64 `json:"advert_sent"`
	BecomeMaster      uint64 `json:"become_master"`
	ReleaseMaster     uint64 `json:"release_master"`
	PacketLenErr      uint64 `json:"packet_len_err"`
	AdvertIntervalErr uint64 `json:"advert_interval_err"`
	IPTTLErr          uint64 `json:"ip_ttl_err"`
	InvalidTypeRcvd   uint64 `json:"invalid_type_rcvd"`
	AddrListErr       uint64 `json:"addr_list_err"`
	InvalidAuthtype   uint64 `json:"invalid_authtype"`
	AuthtypeMismatch  uint64 `json:"authtype_mismatch"`
	AuthFailure       uint64 `json:"auth_failure"`
	PriZeroRcvd       uint64 `json:"pri_zero_rcvd"`
	PriZeroSent       uint64 `json:"pri_zero_sent"`
}

type kaJSONInstance struct {
	Data  kaJSONData  `json:"data"`
	Stats kaJSONStats `json:"stats"`
}

// formatJSON writes keepalived's /tmp/keepalived.json (json_version 1, the default): an array
// of {"data": ..., "stats": ...}, on one line as keepalived's json_writer does.
func formatJSON(in dumpInput) (string, error) {
	ks := in.instances()
	out := make([]kaJSONInstance, 0, len(ks))
	for _, k := range ks {
		e := k.errs
		out = append(out, kaJSONInstance{
			Data: kaJSONData{
				IName: k.Name, IfpIfname: k.Interface, MasterPriority: k.MasterPriority,
				GARPDelay: k.garpDelay, VRID: k.VRID, BasePriority: k.BasePriority,
				EffectivePriority: k.Priority, VIPSet: k.state == "MASTER",
				State: kaStates[k.state], WantState: kaStates[k.state], Version: k.Version,
				VIPs: k.vips, EVIPs: k.evips,
			},
			Stats: kaJSONStats{
				AdvertRcvd: k.AdvertsReceived, AdvertSent: k.AdvertsSent,
				BecomeMaster: k.BecomeMaster, ReleaseMaster: k.ReleaseMaster,
				PacketLenErr: e["packet_len_err"], AdvertIntervalErr: e["advert_interval_err"],
				IPTTLErr: e["ip_ttl_err"], InvalidTypeRcvd: e["invalid_type_rcvd"],
				AddrListErr: e["addr_list_err"], InvalidAuthtype: e["invalid_authtype"],
				AuthtypeMismatch: e["authtype_mismatch"], AuthFailure: e["auth_failure"],
				PriZeroRcvd: k.PriorityZeroRx, PriZeroSent: k.PriorityZeroTx,
			},
		})
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	// keepalived writes names and commands unescaped.
	enc.SetEscapeHTML(false)
	if err := enc.Encode(out); err != nil {
		return "", fmt.Errorf("encode the JSON dump: %w", err)
	}
	return buf.String(), nil
}
