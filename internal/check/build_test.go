package check

import (
	"net/netip"
	"testing"
	"time"
)

func TestBuildSpecs(t *testing.T) {
	rs := netip.MustParseAddrPort("198.51.100.10:80")
	sched := DefaultSchedule(KindTCP, 6*time.Second)
	tests := []struct {
		opts  any
		kinds []Kind
		err   bool
	}{
		{TCPOptions{}, []Kind{KindTCP}, false},
		{HTTPOptions{URLs: []URL{{Path: "/"}}, FastRecovery: true}, []Kind{KindHTTP}, false},
		{HTTPOptions{URLs: []URL{{Path: "/"}}, TLS: &TLSOptions{}}, []Kind{KindSSL}, false},
		{HTTPOptions{}, nil, true},
		{MiscOptions{Argv: []string{"/bin/true"}}, []Kind{KindMisc}, false},
		{SMTPOptions{Hosts: []Conn{{}, {ConnectPort: 2525}}}, []Kind{KindSMTP, KindSMTP}, false},
		{DNSOptions{Type: "AAAA"}, []Kind{KindDNS}, false},
		{DNSOptions{Type: "BOGUS"}, nil, true},
		{UDPOptions{}, []Kind{KindUDP}, false},
		{PingOptions{}, nil, true},
		{FileOptions{Path: "/nonexistent"}, []Kind{KindFile}, false},
		{42, nil, true},
	}
	for _, tc := range tests {
		specs, err := BuildSpecs(rs, sched, tc.opts, Deps{})
		if (err != nil) != tc.err {
			t.Errorf("%T: err %v", tc.opts, err)
			continue
		}
		if len(specs) != len(tc.kinds) {
			t.Errorf("%T: %d specs", tc.opts, len(specs))
			continue
		}
		for i, sp := range specs {
			if sp.Kind != tc.kinds[i] || sp.Prober == nil || sp.Schedule != sched {
				t.Errorf("%T: spec %d %+v", tc.opts, i, sp)
			}
		}
	}
	specs, _ := BuildSpecs(rs, sched, TCPOptions{}, Deps{})
	if p := specs[0].Prober.(*TCPProber); p.Conn.ConnectTimeout != 5*time.Second || p.Target != rs {
		t.Fatalf("connect_timeout not filled: %+v", p)
	}
	specs, _ = BuildSpecs(rs, sched, HTTPOptions{URLs: []URL{{Path: "/"}}, FastRecovery: true}, Deps{})
	if !specs[0].FastRecovery {
		t.Fatal("fast_recovery lost")
	}
}

func TestConnTarget(t *testing.T) {
	rs := netip.MustParseAddrPort("198.51.100.10:80")
	tests := []struct {
		c    Conn
		rs   netip.AddrPort
		want string
	}{
		{Conn{}, rs, "198.51.100.10:80"},
		{Conn{ConnectPort: 8080}, rs, "198.51.100.10:8080"},
		{Conn{ConnectIP: netip.MustParseAddr("203.0.113.5")}, rs, "203.0.113.5:80"},
		{Conn{BindIf: "eth0"}, netip.MustParseAddrPort("[fe80::1]:80"), "[fe80::1%eth0]:80"},
		{Conn{BindIf: "eth0"}, netip.MustParseAddrPort("[2001:db8::1]:80"), "[2001:db8::1]:80"},
	}
	for _, tc := range tests {
		if got := tc.c.Target(tc.rs).String(); got != tc.want {
			t.Errorf("%+v: got %s want %s", tc.c, got, tc.want)
		}
	}
}
