package metrics

import "github.com/gokeepalived/gokeepalived/internal/vrrp/packet"

// keepalivedStat names one of keepalived's per-instance error counters (struct vrrp_stats in
// vrrp.h), which mehdy/keepalived-exporter exposes as keepalived_*_total.
type keepalivedStat uint8

// The keepalived error counters that drop reasons feed. statNone means keepalived counts the
// case in no exported counter (it only logs, or counts it only in the SNMP RFC MIB).
const (
	statNone keepalivedStat = iota
	statPacketLenErr
	statAdvertIntervalErr
	statIPTTLErr
	statInvalidTypeRcvd
	statAddrListErr
	statInvalidAuthtype
	statAuthtypeMismatch
	statAuthFailure
	numStats
)

// statMetric is the exporter metric name of each stat.
var statMetric = [numStats]string{
	statPacketLenErr:      "keepalived_packet_length_errors_total",
	statAdvertIntervalErr: "keepalived_advertisements_interval_errors_total",
	statIPTTLErr:          "keepalived_ip_ttl_errors_total",
	statInvalidTypeRcvd:   "keepalived_invalid_type_received_total",
	statAddrListErr:       "keepalived_address_list_errors_total",
	statInvalidAuthtype:   "keepalived_authentication_invalid_total",
	statAuthtypeMismatch:  "keepalived_authentication_mismatch_total",
	statAuthFailure:       "keepalived_authentication_failure_total",
}

// statHelp is the help text of each stat metric; it names keepalived's field so that users can
// match it with a keepalived stats dump.
var statHelp = [numStats]string{
	statPacketLenErr:      "Received VRRP packets with a wrong length (keepalived packet_len_err).",
	statAdvertIntervalErr: "Received VRRPv2 adverts whose interval differs from advert_int (keepalived advert_interval_err).",
	statIPTTLErr:          "Received VRRP packets with a wrong TTL/hop limit (keepalived ip_ttl_err).",
	statInvalidTypeRcvd:   "Received VRRP packets whose type is not advertisement (keepalived invalid_type_rcvd).",
	statAddrListErr:       "Received adverts whose address list or destination kind does not match (keepalived addr_list_err).",
	statInvalidAuthtype:   "Received VRRPv2 packets with an unknown auth type (keepalived invalid_authtype).",
	statAuthtypeMismatch:  "Received VRRP packets whose auth type differs from the instance's (keepalived authtype_mismatch).",
	statAuthFailure:       "Received VRRP packets that failed PASS or AH authentication (keepalived auth_failure).",
}

// dropStat maps every drop reason to the counter keepalived's vrrp_check_packet() (vrrp.c)
// increments for the same case. It is indexed by packet.DropReason; TestDropStatComplete
// checks that every reason has an explicit entry, so a new reason cannot silently count as
// nothing.
var dropStat = map[packet.DropReason]keepalivedStat{
	// Accepted packets are never counted as drops.
	packet.DropNone: statNone,
	// "vrrp packet too short": buflen != expected_len.
	packet.DropTooShort: statPacketLenErr,
	// Bad IPv4 version/IHL or foreign protocol: the kernel's raw socket filters these before
	// keepalived sees them, so keepalived has no counter.
	packet.DropIPHeader: statNone,
	// keepalived demultiplexes by VRID; a foreign VRID is never an instance's error.
	packet.DropVRID: statNone,
	// "Received AH header but auth type not AH" / "No AH header but auth type is AH".
	packet.DropAHMismatch: statAuthtypeMismatch,
	// "vrrp packet too long/short": length vs the announced address count.
	packet.DropLength: statPacketLenErr,
	// "invalid TTL/HL. Received %d and expect 255".
	packet.DropTTL: statIPTTLErr,
	// "wrong version": only vers_err of the SNMP RFC MIB, which the exporter does not show.
	packet.DropVersion: statNone,
	// "Invalid auth type".
	packet.DropAuthTypeInvalid: statInvalidAuthtype,
	// "received a %d auth, expecting %d!".
	packet.DropAuthTypeMismatch: statAuthtypeMismatch,
	// "received an invalid passwd!".
	packet.DropAuthPass: statAuthFailure,
	// AH for another protocol: keepalived ignores the packet (VRRP_PACKET_DROP) without counting.
	packet.DropAHNextHeader: statNone,
	// vrrp_in_chk_ipsecah() failed: ICV.
	packet.DropAHICV: statAuthFailure,
	// vrrp_in_chk_ipsecah() failed: SPI.
	packet.DropAHSPI: statAuthFailure,
	// vrrp_in_chk_ipsecah() failed: sequence number (replay).
	packet.DropAHReplay: statAuthFailure,
	// "advertisement interval mismatch". Deviation: keepalived declares advert_interval_err
	// but never increments it (the counter stays 0); we count the case it is named for.
	packet.DropIntervalMismatch: statAdvertIntervalErr,
	// "Invalid packet type".
	packet.DropType: statInvalidTypeRcvd,
	// "ip_tot_len mismatch against received length".
	packet.DropIPLength: statPacketLenErr,
	// "Invalid VRRPv2/v3 checksum": only chk_err of the SNMP RFC MIB.
	packet.DropChecksum: statNone,
	// "Expected multicast packet but received unicast packet" (and the reverse).
	packet.DropCastMismatch: statAddrListErr,
	// owner_ignore_adverts: a deliberate ignore, not an error.
	packet.DropOwnerIgnore: statNone,
	// "received an unexpected ip number count".
	packet.DropVIPCount: statAddrListErr,
	// "ip address associated with VRID not present in MASTER advert".
	packet.DropVIPMismatch: statAddrListErr,
	// "unicast source address %s not a unicast peer": logged only.
	packet.DropUnicastSource: statNone,
	// "TTL/HL %d not in range %d - %d".
	packet.DropUnicastTTL: statIPTTLErr,
}

// statByName maps DropReason.String() names (the keys of InstanceStatus.Drops) to stats.
var statByName = func() map[string]keepalivedStat {
	m := make(map[string]keepalivedStat, len(dropStat))
	for r, s := range dropStat {
		m[r.String()] = s
	}
	return m
}()

// statTotals sums an instance's drops into keepalived's counters. Unknown reason names (a newer
// engine than this table) count as statNone; they still show in gokeepalived_vrrp_drops_total.
func statTotals(drops map[string]uint64) [numStats]uint64 {
	var t [numStats]uint64
	for name, n := range drops {
		t[statByName[name]] += n
	}
	return t
}
