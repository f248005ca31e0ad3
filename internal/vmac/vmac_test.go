package vmac

import (
	"net"
	"slices"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

func TestMAC(t *testing.T) {
	tests := []struct {
		vrid int
		v6   bool
		conf []byte
		want string
	}{
		{51, false, nil, "00:00:5e:00:01:33"},
		{51, true, nil, "00:00:5e:00:02:33"},
		{255, false, nil, "00:00:5e:00:01:ff"},
		{7, false, []byte{2, 0, 0, 0, 0}, "02:00:00:00:00:07"},
		{7, false, []byte{2, 1, 2, 3, 4, 5}, "02:01:02:03:04:05"},
	}
	for _, tt := range tests {
		if got := MAC(tt.vrid, tt.v6, tt.conf).String(); got != tt.want {
			t.Errorf("MAC(%d, %v, %x) = %s, want %s", tt.vrid, tt.v6, tt.conf, got, tt.want)
		}
	}
}

func TestNames(t *testing.T) {
	tests := []struct {
		conf, prefix string
		vrid         int
		v6           bool
		want         []string
	}{
		{"", "", 51, false, []string{"vrrp.51"}},
		{"", "", 51, true, []string{"vrrp.51", "vrrp6.51"}},
		{"", "vm", 9, false, []string{"vm.9"}},
		{"vip0", "", 9, true, []string{"vip0"}},
		{"", "averyveryverylong", 200, false, []string{"averyveryverylo"}},
	}
	for _, tt := range tests {
		if got := Names(tt.conf, tt.prefix, tt.vrid, tt.v6); !slices.Equal(got, tt.want) {
			t.Errorf("Names(%q, %q, %d, %v) = %q, want %q", tt.conf, tt.prefix, tt.vrid, tt.v6, got, tt.want)
		}
	}
}

func TestSpecFor(t *testing.T) {
	cfg, diags := config.LoadString("t.conf", `
global_defs {
	vmac_prefix vr
}
vrrp_instance V6 {
	interface eth0
	virtual_router_id 10
	priority 100
	use_vmac
	virtual_ipaddress {
		2001:db8::10/64
	}
}
vrrp_instance PLAIN {
	interface eth0
	virtual_router_id 11
	priority 100
	virtual_ipaddress {
		198.51.100.11/24
	}
}
`, config.LoadOptions{})
	if diags.Max() >= syntax.Error {
		t.Fatal(diags)
	}
	s, ok := SpecFor(cfg.Instance("V6"), &cfg.Global)
	if !ok {
		t.Fatal("use_vmac not seen")
	}
	want := Spec{Parent: "eth0", VRID: 10, IPv6: true, Names: []string{"vr.10", "vr6.10"}, MAC: net.HardwareAddr{0, 0, 0x5e, 0, 2, 10}}
	if s.Parent != want.Parent || s.VRID != want.VRID || s.IPv6 != want.IPv6 || !slices.Equal(s.Names, want.Names) || s.MAC.String() != want.MAC.String() {
		t.Errorf("SpecFor = %+v, want %+v", s, want)
	}
	if _, ok := SpecFor(cfg.Instance("PLAIN"), &cfg.Global); ok {
		t.Error("an instance without use_vmac got a VMAC")
	}
}
