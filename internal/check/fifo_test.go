package check

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/netip"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

func TestFormat(t *testing.T) {
	tests := []struct{ got, want string }{
		{FormatVS(netip.MustParseAddrPort("192.168.201.15:80"), "TCP", 0, ""), "[192.168.201.15]:tcp:80"},
		{FormatVS(netip.MustParseAddrPort("[2001:db8::1]:443"), "tcp", 0, ""), "[2001:db8::1]:tcp:443"},
		{FormatVS(netip.AddrPort{}, "tcp", 7, ""), "FWM 7"},
		{FormatVS(netip.AddrPortFrom(netip.Addr{}, 80), "tcp", 0, "web"), "[web]:80"},
		{FormatRS(netip.MustParseAddrPort("198.51.100.10:8080"), "UDP"), "[198.51.100.10]:udp:8080"},
		{FIFOLineRS("[198.51.100.10]:tcp:80", "[198.51.100.1]:tcp:80", true), "RS [198.51.100.10]:tcp:80 [198.51.100.1]:tcp:80 UP\n"},
		{FIFOLineRS("[198.51.100.10]:tcp:80", "FWM 3", false), "RS [198.51.100.10]:tcp:80 FWM 3 DOWN\n"},
		{FIFOLineVS("[198.51.100.1]:tcp:80", false), "VS [198.51.100.1]:tcp:80 DOWN\n"},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("got %q want %q", tc.got, tc.want)
		}
	}
}

func TestNotifierFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "lvs.fifo")
	f, err := OpenFIFO(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var mu sync.Mutex
	var ran [][]string
	n := &Notifier{FIFO: f, TrailingNUL: true,
		Scripts: map[string]NotifyScripts{ScriptKey("VS", "RS"): {Up: []string{"/up.sh", "a"}, Down: []string{"/down.sh"}}},
		Run: func(_ context.Context, c script.Command) (script.Result, error) {
			mu.Lock()
			ran = append(ran, c.Argv)
			mu.Unlock()
			return script.Result{}, nil
		}}
	ctx := context.Background()
	if err := n.Handle(ctx, Event{VirtualServer: "VS", RealServer: "RS", Up: false}); err != nil {
		t.Fatal(err)
	}
	for _, up := range []bool{false, true} {
		if err := n.Handle(ctx, Event{VirtualServer: "VS", RealServer: "RS", RSChanged: true, RSUp: up}); err != nil {
			t.Fatal(err)
		}
	}
	n.Wait()
	_ = r.SetReadDeadline(time.Now().Add(time.Second))
	br := bufio.NewReader(r)
	want := []byte("RS RS VS DOWN\n\x00RS RS VS UP\n\x00")
	got := make([]byte, len(want))
	if _, err := io.ReadFull(br, got); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("fifo %q want %q", got, want)
	}
	// Scripts run in the background, so their order is not fixed.
	if len(ran) != 2 || ran[0][0] == ran[1][0] || (ran[0][0] != "/down.sh" && ran[1][0] != "/down.sh") {
		t.Fatalf("scripts %v", ran)
	}
	// A second open of an existing FIFO works; a regular file is refused.
	if f2, err := OpenFIFO(path); err != nil {
		t.Fatal(err)
	} else {
		f2.Close()
	}
	reg := filepath.Join(t.TempDir(), "file")
	os.WriteFile(reg, nil, 0o644)
	if _, err := OpenFIFO(reg); err == nil {
		t.Fatal("regular file accepted as FIFO")
	}
}
