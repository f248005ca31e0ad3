package conformance

import (
	"slices"
	"testing"
)

func TestClassify(t *testing.T) {
	tests := []struct{ msg, kind string }{
		// keepalived 2.2.7 wording (from the records)
		{"SECURITY VIOLATION - scripts are being executed but script_security not enabled.", "script-security"},
		{"Config files missing '/nonexist'.", "config-missing"},
		{"Unknown keyword 'VI_2'", "unknown-keyword"},
		{`"gw" for routes is deprecated. Please use "via"`, "deprecated"},
		{"(VI_1) Specifying lvs_sync_daemon_interface against a vrrp is deprecated.", "deprecated"},
		{"        Please use global lvs_sync_daemon", ""},
		{"Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking", "route-untracked"},
		{"Rule has no preference specified - setting to 16384. This is probably not what you want.", "rule-no-preference"},
		{"VRRP parsed invalid IP 192.168.100./24. skipping IP...", "invalid-address"},
		{"Invalid rule to address 192.168.100./24", "invalid-address"},
		{"(VI_1) Ignoring track_interface eth0 since own interface", "track-own-interface"},
		{"WARNING - interface eth0.1 for vrrp_instance VI_1 doesn't exist", "interface-missing"},
		{"Non-existent interface specified in configuration", "interface-missing"},
		{"No script set for vrrp_script check_VI_0 - removing", "script-no-command"},
		{"(VI_0) track script check_VI_0 not found, ignoring...", "track-script-missing"},
		{"Sync group VG1 has no virtual router(s). removing", "sync-group-empty"},
		{"Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored", "fwmark-protocol"},
		{"(VI_1) Initial state master is incompatible with AH authentication - clearing", "ah-master"},
		{"(VI_1) State MASTER must match being address owner", "strict-owner"},
		{"(VI_1) Strict mode does not support authentication. Ignoring.", "strict-auth"},
		{"number '0' outside range [0.000001, 4294.967295]", "invalid-value"},
		{"vrrp_garp_interval '0' is invalid", "invalid-value"},
		{"Virtual server FWM 7: no forwarding method set, setting default NAT", "lb-kind-default"},
		{"(VI_1) the virtual router id must be set", "vrid-missing"},
		{"(VI_1): VRID '300' not valid - must be between 1 & 255", "invalid-value"},
		{"Warning - sync group VG1 has empty group block", "sync-group-empty"},
		// gokeepalived wording
		{"cannot read configuration: open /x: no such file or directory", "config-missing"},
		{"include /x/*.conf: expected a matching file, found none", "config-missing"},
		{"unknown keyword 'notification_emai'", "unknown-keyword"},
		{"vrrp_script check_VI_0 has no 'script' - ignoring", "script-no-command"},
		{"rule 'to 192.168.100./24 table 1': invalid to address '192.168.100./24'", "invalid-address"},
		{"'priority' expects an integer in [1, 255], found 'x'", "invalid-value"},
		{"'virtual_router_id' expects an IP address, found 'x'", "invalid-address"},
		{"unterminated quote in \"a\"", "syntax"},
		{"extra '}' found", "syntax"},
		{"something nobody classified", Other},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Classify(tt.msg); got != tt.kind {
			t.Errorf("Classify(%q) = %q, want %q", tt.msg, got, tt.kind)
		}
	}
}

func TestKindsUnique(t *testing.T) {
	ks := Kinds()
	for i, k := range ks {
		if slices.Contains(ks[i+1:], k) {
			t.Errorf("kind %q has two rules; merge them so rule order stays meaningful", k)
		}
		if k == Other {
			t.Errorf("a rule produces the fallback kind %q", Other)
		}
	}
}
