package check

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// ip runs the ip(8) command, failing the test on error.
func ip(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// vethPair creates namespaces a and b joined by a veth pair, with
// 198.51.100.1/24 in a and 198.51.100.2/24 in b (and 2001:db8:6::1/2 /64),
// and deletes them on cleanup.
func vethPair(t *testing.T) (a, b string) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("ip(8) not installed")
	}
	suffix := fmt.Sprintf("%d%d", os.Getpid()%100000, time.Now().UnixNano()%1000)
	a, b = "gkchkA"+suffix, "gkchkB"+suffix
	ip(t, "netns", "add", a)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", a).Run() })
	ip(t, "netns", "add", b)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", b).Run() })
	ip(t, "-n", a, "link", "add", "va", "type", "veth", "peer", "name", "vb", "netns", b)
	ip(t, "-n", a, "addr", "add", "198.51.100.1/24", "dev", "va")
	ip(t, "-n", b, "addr", "add", "198.51.100.2/24", "dev", "vb")
	ip(t, "-n", a, "addr", "add", "2001:db8:6::1/64", "dev", "va", "nodad")
	ip(t, "-n", b, "addr", "add", "2001:db8:6::2/64", "dev", "vb", "nodad")
	for _, ns := range []string{a, b} {
		ip(t, "-n", ns, "link", "set", "lo", "up")
	}
	ip(t, "-n", a, "link", "set", "va", "up")
	ip(t, "-n", b, "link", "set", "vb", "up")
	return a, b
}

// inNetns runs f on a thread switched into namespace ns; sockets created by
// f stay in ns after it returns.
func inNetns(t *testing.T, ns string, f func()) {
	t.Helper()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		orig, err := os.Open("/proc/thread-self/ns/net")
		if err != nil {
			done <- err
			return
		}
		defer orig.Close()
		target, err := os.Open("/run/netns/" + ns)
		if err != nil {
			done <- err
			return
		}
		defer target.Close()
		if err := unix.Setns(int(target.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- err
			return
		}
		f()
		if err := unix.Setns(int(orig.Fd()), unix.CLONE_NEWNET); err != nil {
			// Leave the thread locked so it dies with this goroutine.
			done <- err
			return
		}
		runtime.UnlockOSThread()
		done <- nil
	}()
	if err := <-done; err != nil {
		t.Fatal(err)
	}
}

func TestPingNetns(t *testing.T) {
	a, _ := vethPair(t)
	var p *Pinger
	var err error
	inNetns(t, a, func() { p, err = OpenPinger() })
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	ctx := context.Background()
	tests := []struct {
		dst string
		ok  bool
	}{
		{"198.51.100.2", true},
		{"2001:db8:6::2", true},
		{"198.51.100.99", false},
		{"2001:db8:6::99", false},
	}
	for _, tc := range tests {
		timeout := 300 * time.Millisecond
		if tc.ok {
			timeout = 3 * time.Second // the first IPv6 echo waits for neighbour discovery
		}
		pp := NewPing(p, mustAddr(tc.dst), Conn{ConnectTimeout: timeout})
		out := pp.Probe(ctx)
		if (out.Err == nil) != tc.ok {
			t.Errorf("ping %s: %v", tc.dst, out.Err)
		}
	}
	// Many concurrent pings share the one socket and are demultiplexed.
	errs := make(chan error, 200)
	for i := range 200 {
		dst := "198.51.100.2"
		if i%2 == 1 {
			dst = "2001:db8:6::2"
		}
		go func() { errs <- p.Ping(ctx, mustAddr(dst), 2*time.Second) }()
	}
	for range 200 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
}

// TestTCPNetns covers success, refusal and connect timeout across a veth pair.
func TestTCPNetns(t *testing.T) {
	a, b := vethPair(t)
	var l interface{ Close() error }
	inNetns(t, b, func() {
		ln, err := (&netListenConfig).Listen(context.Background(), "tcp", "198.51.100.2:8080")
		if err != nil {
			t.Error(err)
			return
		}
		l = ln
		go func() {
			for {
				c, err := ln.Accept()
				if err != nil {
					return
				}
				c.Close()
			}
		}()
	})
	if l == nil {
		t.FailNow()
	}
	defer l.Close()
	rs := mustAddrPort("198.51.100.2:8080")
	tests := []struct {
		name string
		rs   string
		c    Conn
		want string
	}{
		{"connect", "198.51.100.2:8080", Conn{}, ""},
		{"bindto", "198.51.100.2:8080", Conn{BindTo: mustAddr("198.51.100.1"), BindIf: "va", FWMark: 7}, ""},
		{"refused", "198.51.100.2:8081", Conn{}, "refused"},
		{"timeout", "198.51.100.99:80", Conn{ConnectTimeout: 300 * time.Millisecond}, "timeout"},
	}
	for _, tc := range tests {
		var out Outcome
		inNetns(t, a, func() { out = NewTCP(mustAddrPort(tc.rs), tc.c).Probe(context.Background()) })
		if tc.want == "" && out.Err != nil {
			t.Errorf("%s: %v", tc.name, out.Err)
		}
		if tc.want != "" && (out.Err == nil || !strings.Contains(out.Err.Error(), tc.want)) {
			t.Errorf("%s: want %q got %v", tc.name, tc.want, out.Err)
		}
	}
	_ = rs
}

// TestTCPConnectWaits covers the TCP_CHECK path that waits in the poller
// for the handshake (over loopback it usually completes inside connect):
// the peer is down when the SYN leaves, comes up 300 ms later, and the SYN
// retransmission completes the check. It also checks IPv6 and that
// cancelling the context ends a waiting check at once.
func TestTCPConnectWaits(t *testing.T) {
	a, b := vethPair(t)
	for _, addr := range []string{"198.51.100.2:8080", "[2001:db8:6::2]:8080"} {
		inNetns(t, b, func() {
			ln, err := (&netListenConfig).Listen(context.Background(), "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { ln.Close() })
			go func() {
				for {
					c, err := ln.Accept()
					if err != nil {
						return
					}
					c.Close()
				}
			}()
		})
	}
	for _, addr := range []string{"198.51.100.2:8080", "[2001:db8:6::2]:8080"} {
		var out Outcome
		inNetns(t, a, func() {
			out = NewTCP(mustAddrPort(addr), Conn{ConnectTimeout: 3 * time.Second}).Probe(context.Background())
		})
		if out.Err != nil {
			t.Fatalf("%s with the peer up: %v", addr, out.Err)
		}
	}

	ip(t, "-n", b, "link", "set", "vb", "down")
	up := time.AfterFunc(300*time.Millisecond, func() { _ = exec.Command("ip", "-n", b, "link", "set", "vb", "up").Run() })
	defer up.Stop()
	var out Outcome
	start := time.Now()
	inNetns(t, a, func() {
		out = NewTCP(mustAddrPort("198.51.100.2:8080"), Conn{ConnectTimeout: 4 * time.Second}).Probe(context.Background())
	})
	if took := time.Since(start); out.Err != nil || took < 300*time.Millisecond {
		t.Fatalf("check across a link that comes up: err %v after %v, want success after >= 300ms", out.Err, took)
	}

	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start = time.Now()
	inNetns(t, a, func() {
		out = NewTCP(mustAddrPort("198.51.100.99:80"), Conn{ConnectTimeout: 5 * time.Second}).Probe(ctx)
	})
	if took := time.Since(start); out.Err == nil || took > 2*time.Second {
		t.Fatalf("cancelled check: err %v after %v, want an error well before connect_timeout", out.Err, took)
	}
}
