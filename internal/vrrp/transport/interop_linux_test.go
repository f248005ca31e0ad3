package transport

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// syncBuffer is a bytes.Buffer safe for the exec copier and the test.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// checksum is the Internet checksum (RFC 1071) of b.
func checksum(b []byte) uint16 {
	var s uint32
	for i := 0; i+1 < len(b); i += 2 {
		s += uint32(b[i])<<8 | uint32(b[i+1])
	}
	if len(b)%2 == 1 {
		s += uint32(b[len(b)-1]) << 8
	}
	for s>>16 != 0 {
		s = s&0xffff + s>>16
	}
	return ^uint16(s)
}

// v3Advert builds a VRRPv3 advertisement (RFC 5798 §5.1) with one address
// and a 10 cs interval. IPv4 gets its checksum over the pseudo-header
// (§5.2.8); IPv6 leaves it to the kernel (IPV6_CHECKSUM).
func v3Advert(vrid, prio byte, src, dst, vip netip.Addr) []byte {
	p := []byte{0x31, vrid, prio, 1, 0, 10, 0, 0}
	p = append(p, vip.AsSlice()...)
	if vip.Is4() {
		pseudo := append(append(src.AsSlice(), dst.AsSlice()...), 0, ProtoVRRP, 0, byte(len(p)))
		binary.BigEndian.PutUint16(p[6:], checksum(append(pseudo, p...)))
	}
	return p
}

// startKeepalived runs real keepalived as MASTER for VRID 51 in h.
func startKeepalived(t *testing.T, h *nettest.Host, vip netip.Addr) *syncBuffer {
	t.Helper()
	bin, err := exec.LookPath("keepalived")
	if err != nil {
		t.Skip("keepalived not installed (scripts/install-deps.sh installs it)")
	}
	dir := t.TempDir()
	conf := fmt.Sprintf(`global_defs {
	router_id gk-interop
}
vrrp_instance VI {
	state MASTER
	interface eth0
	virtual_router_id 51
	priority 150
	version 3
	advert_int 0.1
	virtual_ipaddress {
		%s
	}
}
`, vip)
	path := filepath.Join(dir, "keepalived.conf")
	if err := os.WriteFile(path, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := h.Command(t.Context(), bin, "-n", "-l", "-D", "-P", "-f", path,
		"-p", filepath.Join(dir, "k.pid"), "-r", filepath.Join(dir, "v.pid"), "-c", filepath.Join(dir, "c.pid"))
	out := &syncBuffer{}
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() {
		// By PID only; the VRRP child follows its parent (PR_SET_PDEATHSIG).
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
		if t.Failed() {
			t.Logf("keepalived (pid %d) output:\n%s", pid, out.String())
		}
	})
	return out
}

// waitAddr polls `ip addr` in h until addr is present (want) or absent.
func waitAddr(t *testing.T, h *nettest.Host, addr netip.Addr, want bool, timeout time.Duration, tick func()) bool {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out := h.IP("addr", "show", "dev", "eth0")
		if strings.Contains(out, " "+addr.String()+"/") == want {
			return true
		}
		if tick != nil {
			tick()
		}
		time.Sleep(50 * time.Millisecond)
	}
	return false
}

// TestInteropKeepalived exchanges adverts with real keepalived 2.x: our
// receive socket must see its adverts (TTL 255, group, VRID), and our
// higher-priority adverts must make it give up MASTER and its VIP, which
// proves keepalived accepts what our send socket puts on the wire
// (TTL/hop limit 255, checksum, protocol).
func TestInteropKeepalived(t *testing.T) {
	for _, v6 := range []bool{false, true} {
		name := "ipv4"
		vip := netip.MustParseAddr("198.51.100.100")
		if v6 {
			name, vip = "ipv6", netip.MustParseAddr("2001:db8::100")
		}
		t.Run(name, func(t *testing.T) {
			a, b := nettest.NewVethPair(t)
			cb := open(t, b, NewPool(nil), Config{Interface: "eth0", VRID: 51, IPv6: v6})
			klog := startKeepalived(t, a, vip)
			if !waitAddr(t, a, vip, true, 10*time.Second, nil) {
				t.Fatal("keepalived did not become MASTER")
			}
			p := recv(t, cb)
			if p.TTL != 255 || p.Dst != cb.Destinations()[0] || len(p.Payload) < 8 || p.Payload[0] != 0x31 || p.Payload[1] != 51 || p.Payload[2] != 150 {
				t.Fatalf("keepalived advert as received: %+v", p)
			}
			if !v6 && p.Src != a.V4.Addr() {
				t.Fatalf("keepalived advert from %s, want %s", p.Src, a.V4.Addr())
			}
			// Now outbid it: priority 200 every 100 ms until it drops the VIP.
			src := b.V4.Addr()
			if v6 {
				src = netip.Addr{} // the kernel's link-local choice; checksum by the kernel
			}
			adv := v3Advert(51, 200, src, cb.Destinations()[0], vip)
			send := func() {
				if err := cb.Send(Copy{Dst: cb.Destinations()[0], Payload: adv}); err != nil {
					t.Fatal(err)
				}
			}
			if !waitAddr(t, a, vip, false, 10*time.Second, send) {
				t.Fatalf("keepalived kept MASTER despite our priority-200 adverts; stats %+v", cb.Stats())
			}
			// The VIP must have gone because keepalived yielded, not because it died.
			deadline := time.Now().Add(3 * time.Second)
			for !strings.Contains(klog.String(), "Entering BACKUP STATE") {
				if time.Now().After(deadline) {
					t.Fatal("keepalived log lacks \"Entering BACKUP STATE\"")
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}
