package metrics

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

// TestDropStatComplete: every drop reason has an explicit entry, and the table has no entries
// for reasons that do not exist.
func TestDropStatComplete(t *testing.T) {
	all := append([]packet.DropReason{packet.DropNone}, packet.DropReasons()...)
	for _, r := range all {
		if _, ok := dropStat[r]; !ok {
			t.Errorf("drop reason %s (%d) has no entry in dropStat", r, r)
		}
	}
	if len(dropStat) != len(all) {
		t.Errorf("dropStat has %d entries, packet has %d reasons", len(dropStat), len(all))
	}
	if len(statByName) != len(dropStat) {
		t.Errorf("statByName has %d names for %d reasons: duplicate String forms", len(statByName), len(dropStat))
	}
	// Every keepalived counter the exporter shows is fed by at least one reason.
	fed := map[keepalivedStat]bool{}
	for _, s := range dropStat {
		fed[s] = true
	}
	for s := statNone + 1; s < numStats; s++ {
		if !fed[s] {
			t.Errorf("%s is fed by no drop reason", statMetric[s])
		}
	}
}

func TestStatTotals(t *testing.T) {
	tests := []struct {
		name  string
		drops map[string]uint64
		want  map[keepalivedStat]uint64
	}{
		{name: "none", drops: nil, want: map[keepalivedStat]uint64{}},
		{name: "length family", drops: map[string]uint64{"too_short": 1, "length": 2, "ip_length": 4},
			want: map[keepalivedStat]uint64{statPacketLenErr: 7}},
		{name: "auth family", drops: map[string]uint64{"ah_mismatch": 1, "auth_type_mismatch": 2, "auth_type_invalid": 3, "auth_pass": 4, "ah_icv": 5, "ah_spi": 6, "ah_replay": 7},
			want: map[keepalivedStat]uint64{statAuthtypeMismatch: 3, statInvalidAuthtype: 3, statAuthFailure: 22}},
		{name: "uncounted", drops: map[string]uint64{"version": 1, "checksum": 2, "vrid": 3, "owner_ignore": 4, "unicast_source": 5, "ah_next_header": 6, "ip_header": 7, "from_the_future": 8},
			want: map[keepalivedStat]uint64{}},
		{name: "ttl, type, address list, interval", drops: map[string]uint64{"ttl": 1, "unicast_ttl": 2, "type": 3, "cast_mismatch": 4, "vip_count": 5, "vip_mismatch": 6, "interval_mismatch": 7},
			want: map[keepalivedStat]uint64{statIPTTLErr: 3, statInvalidTypeRcvd: 3, statAddrListErr: 15, statAdvertIntervalErr: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := statTotals(tt.drops)
			for s := statNone + 1; s < numStats; s++ {
				if got[s] != tt.want[s] {
					t.Errorf("%s = %d, want %d", statMetric[s], got[s], tt.want[s])
				}
			}
		})
	}
}
