package check

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

func TestMiscOutcome(t *testing.T) {
	tests := []struct {
		res     script.Result
		dynamic bool
		ok      bool
		weight  int
		hasW    bool
	}{
		{script.Result{ExitStatus: 0}, false, true, 0, false},
		{script.Result{ExitStatus: 1}, false, false, 0, false},
		{script.Result{ExitStatus: 5}, false, false, 0, false},
		{script.Result{ExitStatus: 0}, true, true, 0, false},
		{script.Result{ExitStatus: 1}, true, false, 0, false},
		{script.Result{ExitStatus: 2}, true, true, 0, true},
		{script.Result{ExitStatus: 102}, true, true, 100, true},
		{script.Result{ExitStatus: 255}, true, true, 253, true},
		{script.Result{ExitStatus: -1, Signal: syscall.SIGKILL}, true, false, 0, false},
		{script.Result{TimedOut: true, ExitStatus: -1, Signal: syscall.SIGTERM}, false, false, 0, false},
	}
	for _, tc := range tests {
		o := MiscOutcome(tc.res, tc.dynamic)
		if (o.Err == nil) != tc.ok || o.Weight != tc.weight || o.HasWeight != tc.hasW {
			t.Errorf("%+v dynamic=%v: got %+v", tc.res, tc.dynamic, o)
		}
	}
}

func TestMiscProber(t *testing.T) {
	ctx := context.Background()
	p, err := NewMisc(MiscOptions{Argv: []string{"/bin/sh", "-c", "exit 7"}, Dynamic: true}, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if o := p.Probe(ctx); o.Err != nil || o.Weight != 5 {
		t.Fatalf("dynamic: %+v", o)
	}
	p, _ = NewMisc(MiscOptions{Argv: []string{"/bin/sh", "-c", "sleep 5"}, Timeout: 100 * time.Millisecond}, time.Second)
	if o := p.Probe(ctx); o.Err == nil || !strings.Contains(o.Err.Error(), "timed out") {
		t.Fatalf("timeout: %+v", o)
	}
	if _, err := NewMisc(MiscOptions{}, time.Second); err == nil {
		t.Fatal("empty misc_path accepted")
	}
	if os.Geteuid() == 0 {
		dir := t.TempDir() // under world-writable /tmp (sticky, but keepalived refuses it too)
		s := filepath.Join(dir, "chk.sh")
		os.WriteFile(s, []byte("#!/bin/sh\nexit 0\n"), 0o755)
		os.Chmod(dir, 0o777)
		if _, err := NewMisc(MiscOptions{Argv: []string{s}, Secure: true}, time.Second); err == nil {
			t.Fatal("insecure script accepted with script security")
		}
	}
}

func TestFileOutcome(t *testing.T) {
	tests := []struct {
		v      int
		o      FileOptions
		ok     bool
		weight int
	}{
		{0, FileOptions{}, true, 0},
		{1, FileOptions{}, false, 0},
		{3, FileOptions{Weight: 10}, true, 30},
		{3, FileOptions{Weight: 10, Reverse: true}, true, -30},
		{-26, FileOptions{Weight: 10}, false, 0},
		{-25, FileOptions{Weight: 10}, true, -250},
	}
	for _, tc := range tests {
		o := FileOutcome(tc.v, tc.o)
		if (o.Err == nil) != tc.ok || (tc.ok && tc.o.Weight != 0 && (o.Weight != tc.weight || !o.HasWeight)) {
			t.Errorf("%d %+v: got %+v", tc.v, tc.o, o)
		}
	}
	path := filepath.Join(t.TempDir(), "w")
	p, _ := NewFile(FileOptions{Path: path, Weight: 2})
	if o := p.Probe(context.Background()); o.Err != nil || o.Weight != 0 {
		t.Fatalf("missing file: %+v", o)
	}
	os.WriteFile(path, []byte("  21\n"), 0o644)
	if o := p.Probe(context.Background()); o.Err != nil || o.Weight != 42 {
		t.Fatalf("file: %+v", o)
	}
}
