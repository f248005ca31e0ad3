package e2e

import (
	"flag"
	"fmt"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

func TestMain(m *testing.M) {
	// The v2 interop runs wait seconds on 1 s timers and almost never use
	// the CPU: let them all run at once unless -parallel was given.
	flag.Parse()
	explicit := false
	flag.Visit(func(f *flag.Flag) { explicit = explicit || f.Name == "test.parallel" })
	if !explicit {
		_ = flag.Set("test.parallel", "8")
	}
	// Fuzzing (scripts/fuzz-smoke.sh) needs no daemon: skip the build.
	fuzzing := flag.Lookup("test.fuzz").Value.String() != "" || flag.Lookup("test.fuzzworker").Value.String() == "true"
	code := 0
	if os.Geteuid() == 0 && !fuzzing {
		dir, err := os.MkdirTemp("", "gokeepalived-e2e-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		if _, err := BuildBinary(dir); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.RemoveAll(dir)
			os.Exit(1)
		}
		code = m.Run()
		os.RemoveAll(dir)
	} else {
		code = m.Run()
	}
	os.Exit(code)
}

// impl is the implementation the single-implementation scenarios run:
// gokeepalived, or keepalived with GOKA_E2E_IMPL=keepalived to check the
// scenarios themselves against the reference.
func impl() Impl {
	if os.Getenv("GOKA_E2E_IMPL") == "keepalived" {
		return Keepalived
	}
	return Go
}

var (
	probeOnce sync.Once
	probeSkip string
)

// requireImpl skips when the implementation cannot run VRRP at all yet (the
// daemon says its Linux network layer is not wired) so the rest of the tree
// keeps a green `make test`; any other start-up failure fails the test.
func requireImpl(t *testing.T, im Impl) {
	t.Helper()
	nettest.RequireRoot(t)
	if im == Keepalived {
		if _, err := os.Stat("/usr/sbin/keepalived"); err != nil {
			t.Skip("keepalived is not installed (scripts/install-deps.sh)")
		}
		return
	}
	probeOnce.Do(func() {
		ns := nettest.NewNS(t, "probe")
		ns.IP("link", "add", "eth0", "type", "veth", "peer", "name", "eth1")
		ns.IP("link", "set", "eth1", "up")
		ns.IP("link", "set", "eth0", "up")
		conf := Conf{Instances: []Instance{{Name: "VI_1", VRID: 1, Priority: 100, Version: 3, AdvertInt: "1", VIPs: []string{"198.51.100.200/24"}}}}
		path := t.TempDir() + "/probe.conf"
		if err := os.WriteFile(path, []byte(conf.Render()), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := ns.Command(t.Context(), goBinary, "-n", "-l", "-D", "-P", "-f", path, "-p", t.TempDir()+"/p.pid", "-r", t.TempDir()+"/v.pid")
		out := &syncBuffer{}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("start gokeepalived: %v", err)
		}
		pid := cmd.Process.Pid
		done := make(chan struct{})
		go func() { _ = cmd.Wait(); close(done) }()
		select {
		case <-done:
			if strings.Contains(out.String(), "not wired yet") {
				probeSkip = "gokeepalived cannot run VRRP yet: " + strings.TrimSpace(lastLine(out.String()))
			}
		case <-time.After(1500 * time.Millisecond):
			// Still running: the daemon works far enough to test.
			_ = syscall.Kill(pid, syscall.SIGKILL)
			<-done
		}
	})
	if probeSkip != "" {
		t.Skip(probeSkip)
	}
}

func lastLine(s string) string {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		return s[i+1:]
	}
	return s
}
