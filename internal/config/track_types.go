package config

import (
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// TrackInterface is one entry of track_interface (vrrp_track.c alloc_track_if()).
type TrackInterface struct {
	Pos  syntax.Pos
	Name string
	// Weight 0 (WeightSet false) means interface down is FAULT.
	Weight    int
	WeightSet bool
	Reverse   bool
	// Group names the sync group the tracker was inherited from, if any.
	Group string
}

// TrackRef is one entry of track_script, track_file, track_process or track_bfd: the name of the
// tracked object and an optional weight that overrides the object's own.
type TrackRef struct {
	Pos       syntax.Pos
	Name      string
	Weight    int
	WeightSet bool
	Reverse   bool
	// ReverseSet is true when reverse or noreverse was written.
	ReverseSet bool
	// Group names the sync group the tracker was inherited from, if any.
	Group string
}

// VRRPScript is a vrrp_script block (reference §1a.6).
type VRRPScript struct {
	Pos    syntax.Pos
	Name   string
	Script Script
	// Interval defaults to 1 s; Timeout defaults to Interval.
	Interval time.Duration
	Timeout  time.Duration
	// Weight 0 means a failure is FAULT; WeightReverse inverts its sense.
	Weight        int
	WeightReverse bool
	// Rise and Fall default to 1.
	Rise, Fall int
	// InitFail starts the script in the failed state.
	InitFail bool
	// Used is set when some instance or sync group tracks the script.
	Used bool
	// timeoutSet records an explicit timeout so the default can follow interval.
	timeoutSet bool
}

// TrackProcess is a vrrp_track_process block (core/track_process.c).
type TrackProcess struct {
	Pos  syntax.Pos
	Name string
	// Process is the command name (comm) or path; Params are the parameters to match.
	Process    string
	Params     []string
	ParamMatch ParamMatch
	// Weight 0 means "below quorum" is FAULT.
	Weight        int
	WeightReverse bool
	// Quorum (default 1) and QuorumMax (default unlimited, 0) bound the process count.
	Quorum, QuorumMax int
	ForkDelay         time.Duration
	TerminateDelay    time.Duration
	FullCommand       bool
}

// TrackFile is a track_file (or deprecated vrrp_track_file) block.
type TrackFile struct {
	Pos           syntax.Pos
	Name          string
	File          string
	Weight        int
	WeightSet     bool
	WeightReverse bool
	// InitFile creates the file at start with InitValue; Overwrite replaces an existing one.
	InitFile  bool
	InitValue int
	Overwrite bool
}

// BFDInstance is a bfd_instance block (the BFD child process, RFC 5880).
type BFDInstance struct {
	Pos        syntax.Pos
	Name       string
	NeighborIP netip.Addr
	SourceIP   netip.Addr
	// MinRx and MinTx default to 10 ms, IdleTx to 1 s, Multiplier to 5.
	MinRx, MinTx, IdleTx time.Duration
	Multiplier           int
	Passive              bool
	// TTL is the IPv4 TTL / IPv6 hop limit sent (default 255); MaxHops the accepted hop count.
	TTL     int
	MaxHops int
	// Weight applies to VRRP instances tracking this BFD.
	Weight int
	// VRRP and Checker select which processes are told about state changes (both by default).
	VRRP, Checker bool
}

// TrackGroup is a track_group block: the instances that go to FAULT when a static address, route
// or rule naming the group is lost.
type TrackGroup struct {
	Pos       syntax.Pos
	Name      string
	Instances []string
}
