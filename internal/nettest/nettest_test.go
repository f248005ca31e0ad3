package nettest

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"
)

func TestLANPing(t *testing.T) {
	lan := NewLAN(t, 2)
	a, b := lan.Hosts[0], lan.Hosts[1]
	capB := b.NewCapture("eth0")
	out, err := a.Command(context.Background(), "ping", "-c", "1", "-W", "2", b.V4.Addr().String()).CombinedOutput()
	if err != nil {
		t.Fatalf("ping %s from %s: %v: %s", b.V4.Addr(), a.Name, err, out)
	}
	// An echo request carries ethertype IPv4 and protocol ICMP (byte 23 = 1).
	_, ok := capB.WaitFor(2*time.Second, func(f Frame) bool {
		return len(f.Data) > 34 && bytes.Equal(f.Data[12:14], []byte{0x08, 0x00}) && f.Data[23] == 1
	})
	if !ok {
		t.Fatalf("no ICMP frame captured on %s; %d frames", b.Name, len(capB.Frames()))
	}
	out6, err := a.Command(context.Background(), "ping", "-6", "-c", "1", "-W", "2", b.V6.Addr().String()).CombinedOutput()
	if err != nil {
		t.Fatalf("ping -6: %v: %s", err, out6)
	}
}

func TestVethPairAndDo(t *testing.T) {
	a, b := NewVethPair(t)
	if a.Ifindex == 0 || b.Ifindex == 0 {
		t.Fatalf("ifindex not set: %d %d", a.Ifindex, b.Ifindex)
	}
	addrs := a.IP("-br", "addr", "show", "dev", "eth0")
	if !strings.Contains(addrs, "198.51.100.1/24") || !strings.Contains(addrs, "2001:db8::1/64") {
		t.Fatalf("addresses of a: %q", addrs)
	}
	// Do really runs in the namespace: only lo and eth0 exist there.
	if got := a.Interface("eth0").Index; got != a.Ifindex {
		t.Fatalf("Interface(eth0).Index = %d, want %d", got, a.Ifindex)
	}
}

func TestStartKilledAtCleanup(t *testing.T) {
	var pid int
	t.Run("inner", func(t *testing.T) {
		ns := NewNS(t, "p")
		cmd := ns.Start("sleep", "60")
		pid = cmd.Process.Pid
	})
	if pid == 0 {
		t.Fatal("process not started")
	}
	if err := processAlive(pid); err == nil {
		t.Fatalf("pid %d still alive after cleanup", pid)
	}
}
