package status

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// FormatVersion is the version of the Report JSON format. Fields are only ever added within a
// version; a removal or a change of meaning bumps it.
const FormatVersion = 1

// Report is a point-in-time view of the whole daemon.
type Report struct {
	// Version is FormatVersion.
	Version int    `json:"version"`
	Daemon  Daemon `json:"daemon"`
	// VRRP lists the VRRP instances in configuration order; empty when VRRP is not running.
	VRRP []engine.InstanceStatus `json:"vrrp"`
	// Scripts lists the vrrp_script trackers that some instance uses.
	Scripts []Script `json:"vrrp_scripts"`
	// RealServers lists every checked real server, in configuration order.
	RealServers []RealServer `json:"real_servers"`
	// VirtualServers lists the LVS virtual servers; empty when LVS is off (no IPVS, -P).
	VirtualServers []VirtualServer `json:"virtual_servers"`
}

// Daemon describes the process.
type Daemon struct {
	PID int `json:"pid"`
	// Version is gokeepalived's version; Follows the keepalived release it behaves like.
	Version    string    `json:"version"`
	Follows    string    `json:"follows_keepalived"`
	ConfigFile string    `json:"config_file"`
	Started    time.Time `json:"started"`
	// Reloads counts SIGHUP reloads; LastReload is the time of the last one.
	Reloads    int       `json:"reloads"`
	LastReload time.Time `json:"last_reload,omitzero"`
	// VRRP, Checkers and LVS say which parts run.
	VRRP     bool `json:"vrrp"`
	Checkers bool `json:"checkers"`
	LVS      bool `json:"lvs"`
}

// Script is one vrrp_script tracker, as keepalived's data dump shows it.
type Script struct {
	Name string `json:"name"`
	// Status is "GOOD" or "BAD" (keepalived's words; the exporter maps them to 1 and 0).
	Status string `json:"status"`
	// State is "idle" or "running".
	State string `json:"state"`
}

// Script statuses and states, as keepalived prints them.
const (
	ScriptGood    = "GOOD"
	ScriptBad     = "BAD"
	ScriptIdle    = "idle"
	ScriptRunning = "running"
)

// RealServer is one checked real server.
type RealServer struct {
	// VirtualServer and RealServer are in keepalived's log form, e.g. "[198.51.100.1]:tcp:80".
	VirtualServer string `json:"virtual_server"`
	RealServer    string `json:"real_server"`
	// Up is true when every checker is up.
	Up       bool      `json:"up"`
	Checkers []Checker `json:"checkers"`
}

// Checker is one checker of a real server.
type Checker struct {
	Name string `json:"name"`
	Up   bool   `json:"up"`
}

// VirtualServer is one LVS virtual server as the IPVS manager sees it.
type VirtualServer struct {
	Name string `json:"name"`
	// QuorumUp is false when the alive weight fell below quorum (the sorry server, if any, is in).
	QuorumUp bool `json:"quorum_up"`
	// AliveWeight is the sum of the alive real servers' weights, compared against Quorum.
	AliveWeight int `json:"alive_weight"`
	Quorum      int `json:"quorum"`
	// Suspended is true while ha_suspend holds the checkers (the VIP is not here).
	Suspended   bool            `json:"suspended,omitempty"`
	RealServers []LVSRealServer `json:"real_servers"`
	// Services are the IPVS services of the virtual server with the kernel's counters (one per
	// address of a virtual_server_group); empty when the table could not be read.
	Services []LVSService `json:"services,omitempty"`
}

// Traffic is what IPVS counted since the entry was created (ipvsadm -Ln --stats).
type Traffic struct {
	Connections uint64 `json:"connections"`
	PacketsIn   uint64 `json:"packets_in"`
	PacketsOut  uint64 `json:"packets_out"`
	BytesIn     uint64 `json:"bytes_in"`
	BytesOut    uint64 `json:"bytes_out"`
}

// LVSService is one IPVS service, e.g. "TCP 198.51.100.1:80" or "FWM 5".
type LVSService struct {
	Service string `json:"service"`
	Traffic
	Destinations []LVSDestination `json:"destinations"`
}

// LVSDestination is one destination of a service as the kernel has it (a real server, or the
// sorry server).
type LVSDestination struct {
	RealServer    string `json:"real_server"`
	ActiveConns   uint32 `json:"active_connections"`
	InactiveConns uint32 `json:"inactive_connections"`
	Traffic
}

// LVSRealServer is a real server of a virtual server, as programmed.
type LVSRealServer struct {
	Name  string `json:"name"`
	Alive bool   `json:"alive"`
	// Weight is the effective weight (dynamic weight when a checker set one).
	Weight int `json:"weight"`
}
