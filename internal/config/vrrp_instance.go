package config

import (
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Instance is a vrrp_instance block after defaults, derivations and fix-ups (reference §1a).
type Instance struct {
	Pos  syntax.Pos
	Name string

	// Identity and election.
	VRID int
	// Priority is the configured (base) priority, 1-255; 255 is the address owner.
	Priority int
	// State is the wanted initial state (MASTER or BACKUP); every instance still starts in INIT.
	State State
	// Version is the VRRP version, 2 or 3.
	Version int
	// Family comes from the first VIP; IPv4 when there is none.
	Family Family
	// AdvertInt is the advertisement interval: whole seconds for v2, a multiple of 10 ms for v3.
	AdvertInt    time.Duration
	Accept       bool
	Nopreempt    bool
	PreemptDelay time.Duration
	Strict       bool
	Debug        int

	// Transport.
	Interface          string
	VRF                string
	McastSrcIP         netip.Addr
	UnicastSrcIP       netip.Addr
	McastDstIP         netip.Addr
	TrackSrcIP         bool
	UnicastPeers       []UnicastPeer
	UnicastFaultNoPeer bool
	CheckUnicastSrc    bool
	// UnicastTTL is -1 when not set (IPv4 sends 255, IPv6 the kernel default hop limit).
	UnicastTTL         int
	OldUnicastChecksum OldChecksum
	V3ChecksumAsV2     bool
	KernelRxBufSize    int
	DontTrackPrimary   bool
	LinkbeatUsePolling bool
	NativeIPv6         bool

	// VMAC and ipvlan.
	VMAC         *VMAC
	UseVMACAddr  bool
	VMACXmitBase bool
	Ipvlan       *Ipvlan

	// Addresses, routes, rules.
	VIPs               []VirtualAddr
	EVIPs              []VirtualAddr
	NoVirtualIPAddress bool
	PromoteSecondaries bool
	Routes             []Route
	Rules              []Rule

	// Tracking.
	TrackInterfaces []TrackInterface
	TrackScripts    []TrackRef
	TrackFiles      []TrackRef
	TrackProcesses  []TrackRef
	TrackBFDs       []TrackRef

	// Notifications.
	Notify                Notify
	NotifyDeleted         bool
	SMTPAlert             *bool
	NotifyPriorityChanges bool
	LVSSyncDaemonIface    string

	// GARP / NA.
	GARPMasterDelay         time.Duration
	GARPMasterRepeat        int
	GARPMasterRefresh       time.Duration
	GARPMasterRefreshRepeat int
	GARPLowerPrioDelay      time.Duration
	GARPLowerPrioRepeat     int
	GARPExtraIf             time.Duration
	GARPExtraIfAll          bool

	// Timers and advert behaviour.
	DownTimerAdverts     int
	TimerExpiredBackup   bool
	TimerExpiredPriority int
	LowerPrioNoAdvert    bool
	HigherPrioSendAdvert bool
	OwnerIgnoreAdverts   bool
	SkipCheckAdvAddr     bool

	// Authentication (VRRPv2 / IPv4 only).
	AuthType AuthType
	// AuthPass is the 8-byte password field, zero-padded.
	AuthPass [8]byte
	AuthHMAC *AuthHMAC

	// SyncGroup is the name of the sync group the instance belongs to, if any.
	SyncGroup string

	// set records which keywords were written, for defaults that depend on other values.
	set map[string]bool
	// at records where each keyword was last written, so fix-ups point at the line to change.
	at map[string]syntax.Pos
}

// IsOwner reports whether the instance is the address owner (priority 255).
func (i *Instance) IsOwner() bool { return i.Priority == 255 }

// UnicastPeer is a unicast_peer entry with its optional TTL bounds (0 = unchecked).
type UnicastPeer struct {
	Pos    syntax.Pos
	Addr   netip.Addr
	MinTTL int
	MaxTTL int
}

// Notify holds an instance's or sync group's notify scripts.
type Notify struct {
	Master, Backup, Fault, Stop, Deleted Script
	// Generic is "notify": run after the specific script with INSTANCE|GROUP NAME STATE PRIO.
	Generic          Script
	MasterRxLowerPri Script
}

// VMAC is use_vmac: a macvlan carrying the VIPs with the virtual router MAC.
type VMAC struct {
	// Name defaults to vmac_prefix + VRID ("vrrp.VRID").
	Name string
	// MAC overrides 00:00:5e:00:01:VRID; 5 octets means the VRID is appended.
	MAC              []byte
	NetlinkNotifyMsg bool
	// Group is the interface group; -1 copies the parent's.
	Group int
}

// Ipvlan is use_ipvlan.
type Ipvlan struct {
	Name  string
	Addr  netip.Prefix
	Mode  string
	Group int
}

// AuthHMAC is the auth_hmac block (keepalived 2.4, draft-cassen-vrrp-auth-hmac).
type AuthHMAC struct {
	Keys       []HMACKey
	ActiveKey  int
	TimeWindow time.Duration
	AntiReplay AntiReplay
	Mode       HMACMode
}

// HMACKey is one "key ID hex:…|file:…|ascii" line.
type HMACKey struct {
	ID int
	// Source is "hex", "file" or "ascii"; Value the text after the prefix (hex digits, path, text).
	Source string
	Value  string
}

// newInstance returns an instance with the per-instance defaults; values with a global default are
// resolved in finishVRRP.
func newInstance(n *syntax.Node, name string) *Instance {
	return &Instance{
		Pos:        n.Pos,
		Name:       name,
		Priority:   100,
		State:      StateBackup,
		AdvertInt:  time.Second,
		UnicastTTL: -1,
		set:        map[string]bool{},
		at:         map[string]syntax.Pos{},
	}
}
