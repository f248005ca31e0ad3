package packet

import (
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
	"golang.org/x/sys/unix"
)

// backupConf puts four keepalived instances in BACKUP (priority 100) on host b;
// they stay there only while they accept our higher-priority adverts.
const backupConf = `
global_defs {
  router_id gkb
}
vrrp_instance AH {
  state BACKUP
  interface eth0
  virtual_router_id 42
  priority 100
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
  state BACKUP
  interface eth0
  virtual_router_id 43
  priority 100
  advert_int 1
  authentication {
    auth_type PASS
    auth_pass pw
  }
  virtual_ipaddress {
    198.51.100.101/24
  }
}
vrrp_instance UNI3 {
  state BACKUP
  interface eth0
  version 3
  virtual_router_id 44
  priority 100
  advert_int 1
  unicast_src_ip 198.51.100.2
  unicast_peer {
    198.51.100.1
  }
  virtual_ipaddress {
    198.51.100.102/24
  }
}
vrrp_instance MC3 {
  state BACKUP
  interface eth0
  version 3
  virtual_router_id 46
  priority 100
  advert_int 1
  virtual_ipaddress {
    198.51.100.104/24
  }
}
`

// TestInteropKeepalivedAcceptsOurs sends our adverts (AH, PASS, v3 unicast and
// multicast) at priority 200 to keepalived backups: they must stay BACKUP and
// log no rejection while we send, and take over once we stop (the control that
// proves they were listening).
func TestInteropKeepalivedAcceptsOurs(t *testing.T) {
	if testing.Short() {
		t.Skip("interop test runs keepalived for seconds")
	}
	nettest.RequireRoot(t)
	a, b := nettest.NewVethPair(t)
	out := startKeepalived(t, b.NS, backupConf)

	src := a.V4.Addr()
	ah, _ := Password("secret")
	pw, _ := Password("pw")
	type job struct {
		a Advert
		s IPv4Send
	}
	jobs := []*job{
		{Advert{Version: 2, Type: 1, VRID: 42, Priority: 200, AdverInt: 1, AuthType: AuthAH, Addrs: []netip.Addr{netip.MustParseAddr("198.51.100.100")}},
			IPv4Send{Src: src, Dst: Group4, TTL: 255, AHKey: ah}},
		{Advert{Version: 2, Type: 1, VRID: 43, Priority: 200, AdverInt: 1, AuthType: AuthPass, AuthData: pw, Addrs: []netip.Addr{netip.MustParseAddr("198.51.100.101")}},
			IPv4Send{Src: src, Dst: Group4, TTL: 255}},
		{Advert{Version: 3, Type: 1, VRID: 44, Priority: 200, AdverInt: 100, Addrs: []netip.Addr{netip.MustParseAddr("198.51.100.102")}},
			IPv4Send{Src: src, Dst: b.V4.Addr(), TTL: 255, Unicast: true}},
		{Advert{Version: 3, Type: 1, VRID: 46, Priority: 200, AdverInt: 100, Addrs: []netip.Addr{netip.MustParseAddr("198.51.100.104")}},
			IPv4Send{Src: src, Dst: Group4, TTL: 255}},
	}
	var fd int
	err := a.Do(func() error {
		var err error
		if fd, err = unix.Socket(unix.AF_INET, unix.SOCK_RAW, unix.IPPROTO_RAW); err != nil {
			return err
		}
		return unix.SetsockoptString(fd, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, "eth0")
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { unix.Close(fd) })

	var ids IPID
	var seq AHSequence
	buf := make([]byte, 0, 128)
	// keepalived's backups would time out after 3 x 1 s + skew; 6 s of adverts
	// every 250 ms covers two full master-down intervals.
	for range 24 {
		id := ids.Next()
		n, _ := seq.Next()
		for _, j := range jobs {
			j.s.ID, j.s.AHSeq = id, n
			pkt, err := AppendIPv4Advert(buf[:0], &j.a, &j.s)
			if err != nil {
				t.Fatal(err)
			}
			d := j.s.Dst.As4()
			if err := unix.Sendto(fd, pkt, 0, &unix.SockaddrInet4{Addr: d}); err != nil {
				t.Fatalf("send VRID %d: %v", j.a.VRID, err)
			}
		}
		time.Sleep(250 * time.Millisecond)
	}
	log := out.String()
	for _, bad := range []string{"Entering MASTER STATE", "invalid", "Invalid", "mismatch", "wrong", "IPSEC-AH"} {
		if strings.Contains(log, bad) {
			t.Fatalf("keepalived logged %q while receiving our adverts:\n%s", bad, log)
		}
	}
	if !strings.Contains(log, "Entering BACKUP STATE") {
		t.Fatalf("keepalived never reached BACKUP:\n%s", log)
	}
	// Control: without our adverts every instance becomes master.
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && strings.Count(out.String(), "Entering MASTER STATE") < len(jobs) {
		time.Sleep(100 * time.Millisecond)
	}
	if n := strings.Count(out.String(), "Entering MASTER STATE"); n < len(jobs) {
		t.Fatalf("only %d of %d instances took over after we stopped:\n%s", n, len(jobs), out.String())
	}
}
