package packet

// DropReason says why Validate rejected a received packet. The values follow the
// order in which Validate (and keepalived's vrrp_check_packet()) checks them; the
// String form is a stable label for metrics and the slog "reason" key.
type DropReason uint8

// Drop reasons, in check order.
const (
	// DropNone means the packet was accepted.
	DropNone DropReason = iota
	// DropTooShort: fewer bytes than the IP, AH and fixed VRRP headers (vrrp_get_header).
	DropTooShort
	// DropIPHeader: not a usable IPv4 header (version, IHL, or a protocol other than 112/51).
	DropIPHeader
	// DropVRID: the VRID is not the instance's (keepalived demultiplexes before checking).
	DropVRID
	// DropAHMismatch: AH present without auth_type AH, or missing with it (stat authtype_mismatch).
	DropAHMismatch
	// DropLength: received length does not hold the message its address count announces (packet_len_err).
	DropLength
	// DropTTL: multicast advert with TTL/hop limit other than 255 (RFC 9568 §7.1, ip_ttl_err).
	DropTTL
	// DropVersion: VRRP version differs from the instance's; there is no mixed mode (vers_err).
	DropVersion
	// DropAuthTypeInvalid: VRRPv2 auth type not 0, 1 or 2 (invalid_authtype).
	DropAuthTypeInvalid
	// DropAuthTypeMismatch: VRRPv2 auth type differs from the instance's (authtype_mismatch).
	DropAuthTypeMismatch
	// DropAuthPass: PASS auth data differs from auth_pass (auth_failure).
	DropAuthPass
	// DropAHNextHeader: the AH header protects something other than VRRP (ignored by keepalived).
	DropAHNextHeader
	// DropAHICV: the HMAC-MD5-96 ICV does not match: wrong password or altered fields (auth_failure).
	DropAHICV
	// DropAHSPI: the AH SPI is not the IPv4 source address (auth_failure).
	DropAHSPI
	// DropAHReplay: the AH sequence number is not above the last accepted one (auth_failure).
	DropAHReplay
	// DropIntervalMismatch: VRRPv2 advert interval differs from advert_int (RFC 3768 §7.1).
	DropIntervalMismatch
	// DropType: VRRP type is not 1, advertisement (invalid_type_rcvd).
	DropType
	// DropIPLength: the IPv4 total length is not the IP+AH+VRRP length (packet_len_err).
	DropIPLength
	// DropChecksum: the VRRP checksum is wrong in the configured mode (chk_err).
	DropChecksum
	// DropCastMismatch: multicast received by a unicast instance or the reverse (addr_list_err).
	DropCastMismatch
	// DropOwnerIgnore: the address owner ignores adverts (owner_ignore_adverts, 2.3.3).
	DropOwnerIgnore
	// DropVIPCount: address count differs from the configuration; only with RejectVIPMismatch (≤ 2.3.2).
	DropVIPCount
	// DropVIPMismatch: a configured VIP is missing from the advert; only with RejectVIPMismatch (≤ 2.3.2).
	DropVIPMismatch
	// DropUnicastSource: unicast source is not a configured peer (check_unicast_src).
	DropUnicastSource
	// DropUnicastTTL: unicast TTL/hop limit outside the peer's min_ttl..max_ttl (ip_ttl_err).
	DropUnicastTTL

	dropReasonCount
)

var dropReasonNames = [dropReasonCount]string{
	DropNone:             "none",
	DropTooShort:         "too_short",
	DropIPHeader:         "ip_header",
	DropVRID:             "vrid",
	DropAHMismatch:       "ah_mismatch",
	DropLength:           "length",
	DropTTL:              "ttl",
	DropVersion:          "version",
	DropAuthTypeInvalid:  "auth_type_invalid",
	DropAuthTypeMismatch: "auth_type_mismatch",
	DropAuthPass:         "auth_pass",
	DropAHNextHeader:     "ah_next_header",
	DropAHICV:            "ah_icv",
	DropAHSPI:            "ah_spi",
	DropAHReplay:         "ah_replay",
	DropIntervalMismatch: "interval_mismatch",
	DropType:             "type",
	DropIPLength:         "ip_length",
	DropChecksum:         "checksum",
	DropCastMismatch:     "cast_mismatch",
	DropOwnerIgnore:      "owner_ignore",
	DropVIPCount:         "vip_count",
	DropVIPMismatch:      "vip_mismatch",
	DropUnicastSource:    "unicast_source",
	DropUnicastTTL:       "unicast_ttl",
}

// String returns the stable metric label of r.
func (r DropReason) String() string {
	if r < dropReasonCount {
		return dropReasonNames[r]
	}
	return "unknown"
}

// DropReasons returns every reason except DropNone, in check order, so that
// metrics can be pre-registered with zero counts.
func DropReasons() []DropReason {
	out := make([]DropReason, 0, dropReasonCount-1)
	for r := DropNone + 1; r < dropReasonCount; r++ {
		out = append(out, r)
	}
	return out
}
