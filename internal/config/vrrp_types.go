package config

import "fmt"

// State is a VRRP instance state (include/vrrp.h). In the configuration only BACKUP and MASTER
// appear, as the wanted initial state; the daemon starts every instance in INIT.
type State int

// VRRP states with keepalived's numbering (used in SNMP and dumps).
const (
	StateInit   State = 0
	StateBackup State = 1
	StateMaster State = 2
	StateFault  State = 3
)

// String returns the upper-case name keepalived logs and writes to notify FIFOs.
func (s State) String() string {
	switch s {
	case StateInit:
		return "INIT"
	case StateBackup:
		return "BACKUP"
	case StateMaster:
		return "MASTER"
	case StateFault:
		return "FAULT"
	}
	return fmt.Sprintf("STATE(%d)", int(s))
}

// AuthType is the VRRPv2 authentication type (RFC 2338 §5.3.6; removed by RFC 3768 but still
// spoken by keepalived).
type AuthType int

// Authentication types with their wire values.
const (
	AuthNone AuthType = 0
	AuthPass AuthType = 1
	AuthAH   AuthType = 2
)

// String returns the configuration word.
func (a AuthType) String() string {
	switch a {
	case AuthNone:
		return "NONE"
	case AuthPass:
		return "PASS"
	case AuthAH:
		return "AH"
	}
	return fmt.Sprintf("AUTH(%d)", int(a))
}

// Family is an instance's address family, taken from its first VIP.
type Family int

// Address families; FamilyUnset means no VIP decided it yet.
const (
	FamilyUnset Family = iota
	FamilyIPv4
	FamilyIPv6
)

// String returns "IPv4" or "IPv6".
func (f Family) String() string {
	switch f {
	case FamilyIPv4:
		return "IPv4"
	case FamilyIPv6:
		return "IPv6"
	}
	return "unset"
}

// HMACMode is auth_hmac's mode.
type HMACMode int

// auth_hmac modes (vrrp_auth_hmac.h).
const (
	HMACEnforce HMACMode = iota
	HMACPermissive
	HMACReceiveOnly
)

// String returns the configuration word.
func (m HMACMode) String() string {
	switch m {
	case HMACEnforce:
		return "enforce"
	case HMACPermissive:
		return "permissive"
	case HMACReceiveOnly:
		return "receive-only"
	}
	return fmt.Sprintf("mode(%d)", int(m))
}

// AntiReplay is auth_hmac's anti-replay clock.
type AntiReplay int

// anti_replay values.
const (
	AntiReplayTime AntiReplay = iota
	AntiReplayMonotonic
)

// String returns the configuration word.
func (a AntiReplay) String() string {
	if a == AntiReplayMonotonic {
		return "monotonic"
	}
	return "time"
}

// ParamMatch is vrrp_track_process's param_match.
type ParamMatch int

// param_match values; ParamMatchExact is the default when parameters are given.
const (
	ParamMatchExact ParamMatch = iota
	ParamMatchInitial
	ParamMatchPartial
)

// String returns the configuration word.
func (m ParamMatch) String() string {
	switch m {
	case ParamMatchInitial:
		return "initial"
	case ParamMatchPartial:
		return "partial"
	}
	return "exact"
}

// LinkbeatMode is how linkbeat_interfaces polls an interface.
type LinkbeatMode int

// linkbeat modes (vrrp_if.h); MII is the default.
const (
	LinkbeatMII LinkbeatMode = iota
	LinkbeatEthtool
	LinkbeatIoctl
)

// String returns the configuration word.
func (m LinkbeatMode) String() string {
	switch m {
	case LinkbeatEthtool:
		return "ETHTOOL"
	case LinkbeatIoctl:
		return "IOCTL"
	}
	return "MII"
}

// OldChecksum is old_unicast_checksum's mode (reference §6.4).
type OldChecksum int

// Modes: Auto (keyword absent) switches on a matching old-style packet; Never disables the switch;
// Always (bare keyword) sends old-style checksums.
const (
	OldChecksumAuto OldChecksum = iota
	OldChecksumNever
	OldChecksumAlways
)

// String returns a descriptive word.
func (m OldChecksum) String() string {
	switch m {
	case OldChecksumNever:
		return "never"
	case OldChecksumAlways:
		return "always"
	}
	return "auto"
}
