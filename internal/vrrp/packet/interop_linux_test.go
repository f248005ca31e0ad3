package packet

import (
	"bytes"
	"context"
	"encoding/binary"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"golang.org/x/sys/unix"
)

// interopConf runs six keepalived 2.2.x instances that become master at once
// (priority 255) on host a of a veth pair: v2 AH, v2 PASS with a truncated
// password, v3 unicast, v3 unicast with old_unicast_checksum, v3 multicast, and
// v3 IPv6.
const interopConf = `
global_defs {
  router_id gk
}
vrrp_instance AH {
  state MASTER
  interface eth0
  virtual_router_id 42
  priority 255
  advert_int 1
  authentication {
    auth_type AH
    auth_pass secret
  }
  virtual_ipaddress {
    198.51.100.100/24
  }
}
vrrp_instance PASS {
  state MASTER
  interface eth0
  virtual_router_id 43
  priority 255
  advert_int 2
  authentication {
    auth_type PASS
    auth_pass secret12345
  }
  virtual_ipaddress {
    198.51.100.101/24
  }
}
vrrp_instance UNI3 {
  state MASTER
  interface eth0
  version 3
  virtual_router_id 44
  priority 255
  advert_int 0.5
  unicast_src_ip 198.51.100.1
  unicast_peer {
    198.51.100.2
  }
  virtual_ipaddress {
    198.51.100.102/24
  }
}
vrrp_instance OLD3 {
  state MASTER
  interface eth0
  version 3
  virtual_router_id 45
  priority 255
  advert_int 1
  old_unicast_checksum
  unicast_src_ip 198.51.100.1
  unicast_peer {
    198.51.100.2
  }
  virtual_ipaddress {
    198.51.100.103/24
  }
}
vrrp_instance MC3 {
  state MASTER
  interface eth0
  version 3
  virtual_router_id 46
  priority 255
  advert_int 1
  virtual_ipaddress {
    198.51.100.104/24
    198.51.100.105/24
  }
}
vrrp_instance SIX {
  state MASTER
  interface eth0
  version 3
  virtual_router_id 47
  priority 255
  advert_int 1
  virtual_ipaddress {
    2001:db8::100/64
  }
}
`

// startKeepalived runs keepalived in ns and stops it by PID at cleanup: TERM to
// the parent (which stops its VRRP child), then KILL to both if still alive.
func startKeepalived(t *testing.T, ns *nettest.NS, conf string) *syncBuf {
	t.Helper()
	bin, err := exec.LookPath("keepalived")
	if err != nil {
		t.Skip("keepalived not installed")
	}
	dir := t.TempDir()
	cf := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(cf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	vpid := filepath.Join(dir, "vrrp.pid")
	out := &syncBuf{}
	cmd := ns.Command(context.Background(), bin, "-n", "-l", "-D", "-P", "-f", cf,
		"-p", filepath.Join(dir, "k.pid"), "-r", vpid)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		child := 0
		if b, err := os.ReadFile(vpid); err == nil {
			child, _ = strconv.Atoi(strings.TrimSpace(string(b)))
		}
		_ = cmd.Process.Signal(unix.SIGTERM)
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-done
		}
		if child > 0 && unix.Kill(child, 0) == nil {
			_ = unix.Kill(child, unix.SIGKILL)
		}
		if t.Failed() {
			t.Logf("keepalived output:\n%s", out.String())
		}
	})
	return out
}

// syncBuf collects a process's output while the test reads it.
type syncBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestInteropKeepalived validates real keepalived adverts with Validate and
// compares its GARP and NA frames with ours byte for byte.
func TestInteropKeepalived(t *testing.T) {
	if testing.Short() {
		t.Skip("interop test runs keepalived for seconds")
	}
	nettest.RequireRoot(t)
	if _, err := exec.LookPath("keepalived"); err != nil {
		t.Skip("keepalived not installed")
	}
	a, b := nettest.NewVethPair(t)
	capt := b.NewCapture("eth0")
	mac := a.Interface("eth0").HardwareAddr
	startKeepalived(t, a.NS, interopConf)

	src := a.V4.Addr()
	pass, _ := Password("secret12345")
	ah, _ := Password("secret")
	v4 := func(s string) []netip.Addr {
		var out []netip.Addr
		for _, f := range strings.Fields(s) {
			out = append(out, netip.MustParseAddr(f))
		}
		return out
	}
	params := map[uint8]*Params{
		42: {Version: 2, Family: IPv4, VRID: 42, Priority: 100, AdverInt: time.Second, AuthType: AuthAH, AuthData: ah, Replay: &Replay{},
			VIPs: v4("198.51.100.100"), CheckVIPs: true},
		43: {Version: 2, Family: IPv4, VRID: 43, Priority: 100, AdverInt: 2 * time.Second, AuthType: AuthPass, AuthData: pass,
			VIPs: v4("198.51.100.101"), CheckVIPs: true},
		44: {Version: 3, Family: IPv4, VRID: 44, Priority: 100, AdverInt: 500 * time.Millisecond, VIPs: v4("198.51.100.102"), CheckVIPs: true,
			Peers: []Peer{{Addr: src, MinTTL: 255}}, CheckUnicastSrc: true, UnicastChecksum: UnicastChecksumNever},
		45: {Version: 3, Family: IPv4, VRID: 45, Priority: 100, AdverInt: time.Second, VIPs: v4("198.51.100.103"), CheckVIPs: true,
			Peers: []Peer{{Addr: src}}, CheckUnicastSrc: true},
		46: {Version: 3, Family: IPv4, VRID: 46, Priority: 100, AdverInt: time.Second, VIPs: v4("198.51.100.104 198.51.100.105"), CheckVIPs: true},
		47: {Version: 3, Family: IPv6, VRID: 47, Priority: 100, AdverInt: time.Second, VIPs: v4("2001:db8::100"), CheckVIPs: true, VerifyIPv6Checksum: true},
	}
	want := map[string]bool{}
	for vrid := range params {
		want["advert "+strconv.Itoa(int(vrid))] = true
	}
	want["garp 198.51.100.100"], want["na 2001:db8::100"] = true, true
	seen := map[string]bool{}
	garp, _ := announce.AppendGARP(nil, mac, netip.MustParseAddr("198.51.100.100"))
	na, _ := announce.AppendUnsolicitedNA(nil, mac, netip.MustParseAddr("2001:db8::100"), false)

	check := func(f nettest.Frame) bool {
		d := f.Data
		if len(d) < 14 || !bytes.Equal(d[6:12], mac) {
			return false
		}
		switch binary.BigEndian.Uint16(d[12:14]) {
		case 0x0806:
			if bytes.Equal(d[:min(len(d), 42)], garp) && !seen["garp 198.51.100.100"] {
				seen["garp 198.51.100.100"] = true
			}
		case 0x0800:
			ip := d[14:]
			if len(ip) < 20 || (ip[9] != ProtoVRRP && ip[9] != ProtoAH) {
				break
			}
			vrid, ok := PeekVRID(ip, IPv4)
			p := params[vrid]
			if !ok || p == nil || seen["advert "+strconv.Itoa(int(vrid))] {
				break
			}
			var adv Advert
			r := Validate(p, ip, nil, &adv)
			switch {
			case vrid == 45 && (!r.OK() || !r.OldUnicastChecksum):
				t.Errorf("old_unicast_checksum advert: %+v (%v)", r, r.Drop)
			case vrid == 45:
				forced := *p
				forced.UnicastChecksum = UnicastChecksumOld
				if r2 := Validate(&forced, ip, nil, &adv); r2 != (Result{}) {
					t.Errorf("old style forced: %+v", r2)
				}
			case r != (Result{}):
				t.Errorf("VRID %d advert %x: %+v (%v)", vrid, ip, r, r.Drop)
			}
			if ip[1] != TOS || ip[6]&0x40 != 0 || binary.BigEndian.Uint16(ip[4:6]) == 0 {
				t.Errorf("VRID %d IPv4 header %x: want TOS 0xc0, DF clear, non-zero ID", vrid, ip[:20])
			}
			seen["advert "+strconv.Itoa(int(vrid))] = true
		case 0x86dd:
			ip := d[14:]
			if len(ip) < 40 {
				break
			}
			switch ip[6] {
			case 58:
				if len(d) >= 14+40+1 && ip[40] == 136 && bytes.Equal(d, na) {
					seen["na 2001:db8::100"] = true
				} else if len(d) >= 14+40+1 && ip[40] == 136 && !seen["na differs"] {
					seen["na differs"] = true
					t.Logf("NA differs: %x, ours %x", d, na)
				}
			case ProtoVRRP:
				m := Meta{Src: netip.AddrFrom16([16]byte(ip[8:24])), Dst: netip.AddrFrom16([16]byte(ip[24:40])), HopLimit: int(ip[7])}
				var adv Advert
				if r := Validate(params[47], ip[40:], &m, &adv); r != (Result{}) {
					t.Errorf("IPv6 advert %x: %+v (%v)", ip, r, r.Drop)
				}
				seen["advert 47"] = true
			}
		}
		for k := range want {
			if !seen[k] {
				return false
			}
		}
		return true
	}
	if _, ok := capt.WaitFor(15*time.Second, check); !ok {
		var missing []string
		for k := range want {
			if !seen[k] {
				missing = append(missing, k)
			}
		}
		t.Fatalf("not seen from keepalived within 15 s: %v", missing)
	}
}
