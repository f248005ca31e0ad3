package config

import (
	"reflect"
	"testing"
)

func TestScriptUses(t *testing.T) {
	cfg, _ := load(t, `global_defs {
 startup_script /bin/start
 vrrp_notify_fifo /run/ka.fifo
 vrrp_notify_fifo_script /bin/reader
}
vrrp_script used {
 script /bin/used
}
vrrp_script unused {
 script /bin/unused
}
`+vi(" track_script {\n  used\n }\n notify_master /bin/m\n notify /bin/g\n virtual_ipaddress {\n  198.51.100.1\n }"))
	var got []string
	for _, u := range cfg.VRRPScriptUses() {
		got = append(got, u.Owner+"="+u.Script.Command)
	}
	want := []string{"vrrp_script used=/bin/used", "vrrp_instance VI_1 notify_master=/bin/m", "vrrp_instance VI_1 notify=/bin/g"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("VRRPScriptUses = %q, want %q", got, want)
	}
	got = nil
	for _, u := range cfg.Global.GlobalScriptUses() {
		got = append(got, u.Owner+"="+u.Script.Command)
	}
	want = []string{"startup_script=/bin/start", "vrrp_notify_fifo_script=/bin/reader"}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("GlobalScriptUses = %q, want %q", got, want)
	}
}
