package nettest

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"

	"golang.org/x/sys/unix"
)

// counter makes namespace names unique within one test process; the PID
// makes them unique across packages running in parallel.
var counter atomic.Uint64

// RequireRoot skips t unless the process runs as root and the ip(8) tool is
// present, because namespaces and raw sockets need both.
func RequireRoot(t testing.TB) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root (network namespaces, raw sockets)")
	}
	if _, err := exec.LookPath("ip"); err != nil {
		t.Skip("needs ip(8) from iproute2")
	}
}

// NS is a named network namespace created for one test.
type NS struct {
	// Name is the name under /run/netns, usable with `ip -n`.
	Name string
	t    testing.TB
}

// NewNS creates a uniquely named namespace whose name ends in tag, brings its
// loopback up and deletes it in t.Cleanup.
func NewNS(t testing.TB, tag string) *NS {
	t.Helper()
	RequireRoot(t)
	name := fmt.Sprintf("gk%d-%d-%s", os.Getpid(), counter.Add(1), tag)
	if out, err := exec.Command("ip", "netns", "add", name).CombinedOutput(); err != nil {
		t.Fatalf("ip netns add %s: %v: %s", name, err, out)
	}
	ns := &NS{Name: name, t: t}
	t.Cleanup(func() {
		if out, err := exec.Command("ip", "netns", "del", name).CombinedOutput(); err != nil {
			t.Errorf("ip netns del %s: %v: %s", name, err, out)
		}
	})
	ns.IP("link", "set", "lo", "up")
	// Tests want addresses usable at once: no duplicate address detection
	// for interfaces created or moved here later.
	ns.Sysctl("net.ipv6.conf.default.accept_dad", "0")
	ns.Sysctl("net.ipv6.conf.all.accept_dad", "0")
	return ns
}

// Path is the namespace's bind-mount path.
func (ns *NS) Path() string { return "/run/netns/" + ns.Name }

// IP runs `ip -n NAME args...` and fails the test on error. It returns the
// command's standard output.
func (ns *NS) IP(args ...string) string {
	ns.t.Helper()
	out, err := ns.TryIP(args...)
	if err != nil {
		ns.t.Fatal(err)
	}
	return out
}

// TryIP is IP without failing the test, for steps that may legitimately fail.
func (ns *NS) TryIP(args ...string) (string, error) {
	full := append([]string{"-n", ns.Name}, args...)
	cmd := exec.Command("ip", full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return stdout.String(), fmt.Errorf("ip %s: %w: %s", strings.Join(full, " "), err, stderr.String())
	}
	return stdout.String(), nil
}

// Sysctl writes a net.* sysctl inside the namespace (dots in key, as sysctl(8)).
func (ns *NS) Sysctl(key, value string) {
	ns.t.Helper()
	path := "/proc/sys/" + strings.ReplaceAll(key, ".", "/")
	err := ns.Do(func() error { return os.WriteFile(path, []byte(value), 0o644) })
	if err != nil {
		ns.t.Fatalf("sysctl %s=%s in %s: %v", key, value, ns.Name, err)
	}
}

// Do runs fn on a fresh OS thread that has entered the namespace. The thread
// is never returned to the Go scheduler (it exits with its goroutine), so a
// failure to switch back can never leak the namespace into other code.
// Sockets opened inside fn stay in the namespace after fn returns.
func (ns *NS) Do(fn func() error) error {
	f, err := os.Open(ns.Path())
	if err != nil {
		return fmt.Errorf("open netns %s: %w", ns.Name, err)
	}
	defer f.Close()
	done := make(chan error, 1)
	go func() {
		runtime.LockOSThread()
		// No UnlockOSThread: the thread dies with this goroutine.
		if err := unix.Setns(int(f.Fd()), unix.CLONE_NEWNET); err != nil {
			done <- fmt.Errorf("setns %s: %w", ns.Name, err)
			return
		}
		done <- fn()
	}()
	return <-done
}

// Command returns an exec.Cmd that runs name inside the namespace through
// `ip netns exec`.
func (ns *NS) Command(ctx context.Context, name string, args ...string) *exec.Cmd {
	return exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns.Name, name}, args...)...)
}

// Start starts name inside the namespace and kills it by PID in t.Cleanup
// (never by name), waiting for it to exit.
func (ns *NS) Start(name string, args ...string) *exec.Cmd {
	ns.t.Helper()
	cmd := ns.Command(context.Background(), name, args...)
	if err := cmd.Start(); err != nil {
		ns.t.Fatalf("start %s in %s: %v", name, ns.Name, err)
	}
	pid := cmd.Process.Pid
	ns.t.Cleanup(func() {
		_ = unix.Kill(pid, unix.SIGKILL)
		_ = cmd.Wait()
	})
	return cmd
}

// Ifindex returns the index of interface name inside the namespace.
func (ns *NS) Ifindex(name string) int {
	ns.t.Helper()
	var idx int
	err := ns.Do(func() error {
		var err error
		idx, err = ifindex(name)
		return err
	})
	if err != nil {
		ns.t.Fatal(err)
	}
	return idx
}

func ifindex(name string) (int, error) {
	// Not /sys/class/net: sysfs shows the mount's namespace, not the thread's.
	idx, err := netInterfaceByName(name)
	if err != nil {
		return 0, fmt.Errorf("ifindex of %s: %w", name, err)
	}
	return idx, nil
}
