package metrics

// statField is keepalived's name of each stat (struct vrrp_stats in vrrp.h), as its JSON dump
// (vrrp_json.c) writes it.
var statField = [numStats]string{
	statPacketLenErr:      "packet_len_err",
	statAdvertIntervalErr: "advert_interval_err",
	statIPTTLErr:          "ip_ttl_err",
	statInvalidTypeRcvd:   "invalid_type_rcvd",
	statAddrListErr:       "addr_list_err",
	statInvalidAuthtype:   "invalid_authtype",
	statAuthtypeMismatch:  "authtype_mismatch",
	statAuthFailure:       "auth_failure",
}

// KeepalivedErrorStats sums an instance's drops (InstanceStatus.Drops) into keepalived's error
// counters, keyed by keepalived's field names (packet_len_err, ip_ttl_err, ...). Every counter
// is present, zero included, so that the signal dumps and the compat metrics agree.
func KeepalivedErrorStats(drops map[string]uint64) map[string]uint64 {
	t := statTotals(drops)
	out := make(map[string]uint64, numStats-1)
	for s := statNone + 1; s < numStats; s++ {
		out[statField[s]] = t[s]
	}
	return out
}
