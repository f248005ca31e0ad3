package e2e

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// Impl is which VRRP daemon a router runs.
type Impl string

// The two implementations under comparison.
const (
	Go         Impl = "gokeepalived"
	Keepalived Impl = "keepalived"
)

// Daemon is one running gokeepalived or keepalived process tree in a router
// namespace, started with keepalived's foreground flags and private pid
// files: `-n -l -D -P -f CONF -p PID -r VRRPPID`.
type Daemon struct {
	Impl Impl
	Host *nettest.Host
	Name string
	// ConfPath is the configuration file; rewrite it and call HUP to reload.
	ConfPath    string
	PIDFile     string
	VRRPPIDFile string
	// Started is when the process was started.
	Started time.Time
	// PID is the main process; VRRPPID the process sending adverts (the
	// same for gokeepalived, the forked child for keepalived).
	PID, VRRPPID int

	t      testing.TB
	cmd    *exec.Cmd
	out    *syncBuffer
	exited chan struct{}
}

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

// goBinary is the gokeepalived binary built by BuildBinary.
var goBinary string

// BuildBinary compiles cmd/gokeepalived into dir once per test binary run;
// TestMain calls it so every test shares one build.
func BuildBinary(dir string) (string, error) {
	path := filepath.Join(dir, "gokeepalived")
	cmd := exec.Command("go", "build", "-o", path, "github.com/gokeepalived/gokeepalived/cmd/gokeepalived")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("go build gokeepalived: %w: %s", err, out)
	}
	goBinary = path
	return path, nil
}

// StartDaemon writes conf into dir and starts impl in h. The process tree is
// killed by PID in t.Cleanup.
func StartDaemon(t testing.TB, impl Impl, h *nettest.Host, dir, name string, conf Conf) *Daemon {
	t.Helper()
	d := &Daemon{
		Impl: impl, Host: h, Name: name, t: t,
		ConfPath:    filepath.Join(dir, name+".conf"),
		PIDFile:     filepath.Join(dir, name+".pid"),
		VRRPPIDFile: filepath.Join(dir, name+"-vrrp.pid"),
		out:         &syncBuffer{},
		exited:      make(chan struct{}),
	}
	d.WriteConf(conf)
	// Stale files of an earlier (crashed) run of the same router would
	// make the pid-file checks refuse to start.
	os.Remove(d.PIDFile)
	os.Remove(d.VRRPPIDFile)
	prog := "keepalived"
	if impl == Go {
		if goBinary == "" {
			t.Fatal("e2e: BuildBinary was not called (TestMain)")
		}
		prog = goBinary
	}
	args := []string{"-n", "-l", "-D", "-P", "-f", d.ConfPath, "-p", d.PIDFile, "-r", d.VRRPPIDFile}
	d.cmd = h.Command(context.Background(), prog, args...)
	d.cmd.Stdout = d.out
	d.cmd.Stderr = d.out
	d.Started = time.Now()
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start %s in %s: %v", impl, h.Name, err)
	}
	d.PID = d.cmd.Process.Pid
	go func() {
		_ = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		if d.VRRPPID != 0 && d.VRRPPID != d.PID {
			_ = syscall.Kill(d.VRRPPID, syscall.SIGKILL)
		}
		_ = syscall.Kill(d.PID, syscall.SIGKILL)
		<-d.exited
		if t.Failed() {
			t.Logf("%s %s log:\n%s", impl, name, d.Log())
		}
	})
	// Both write the VRRP pid file before running the protocol.
	deadline := time.Now().Add(5 * time.Second)
	for d.VRRPPID == 0 {
		if b, err := os.ReadFile(d.VRRPPIDFile); err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(b))); err == nil && pid > 0 {
				d.VRRPPID = pid
				break
			}
		}
		select {
		case <-d.exited:
			t.Fatalf("%s %s exited at start-up: %v\n%s", impl, name, d.cmd.ProcessState, d.Log())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s %s wrote no VRRP pid file in 5 s\n%s", impl, name, d.Log())
		}
		time.Sleep(2 * time.Millisecond)
	}
	return d
}

// WriteConf replaces the daemon's configuration file.
func (d *Daemon) WriteConf(c Conf) {
	if err := os.WriteFile(d.ConfPath, []byte(c.Render()), 0o644); err != nil {
		d.t.Fatalf("write %s: %v", d.ConfPath, err)
	}
}

// Log is everything the daemon wrote so far.
func (d *Daemon) Log() string { return d.out.String() }

// WaitLog waits until the log contains s.
func (d *Daemon) WaitLog(s string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for !strings.Contains(d.Log(), s) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}

// Crash stops the VRRP process without a priority-0 advert and returns the
// moment just before the fatal signal. For keepalived the parent is stopped
// first (SIGSTOP): killing the parent is not a crash, it makes the VRRP child
// send priority 0 (reference ipvs-vm.md).
func (d *Daemon) Crash() time.Time {
	if d.Impl == Keepalived && d.VRRPPID != d.PID {
		if err := syscall.Kill(d.PID, syscall.SIGSTOP); err != nil {
			d.t.Fatalf("SIGSTOP keepalived %d: %v", d.PID, err)
		}
		at := time.Now()
		if err := syscall.Kill(d.VRRPPID, syscall.SIGKILL); err != nil {
			d.t.Fatalf("SIGKILL keepalived VRRP child %d: %v", d.VRRPPID, err)
		}
		return at
	}
	at := time.Now()
	if err := syscall.Kill(d.PID, syscall.SIGKILL); err != nil {
		d.t.Fatalf("SIGKILL %d: %v", d.PID, err)
	}
	<-d.exited
	return at
}

// Stop sends SIGTERM to the main process (a clean stop: priority-0 adverts,
// VIPs removed) and returns the moment just before it; it does not wait.
func (d *Daemon) Stop() time.Time {
	at := time.Now()
	if err := syscall.Kill(d.PID, syscall.SIGTERM); err != nil {
		d.t.Fatalf("SIGTERM %d: %v", d.PID, err)
	}
	return at
}

// WaitExit waits for the main process to exit.
func (d *Daemon) WaitExit(timeout time.Duration) bool {
	select {
	case <-d.exited:
		return true
	case <-time.After(timeout):
		return false
	}
}

// Signal sends sig to the main process.
func (d *Daemon) Signal(sig syscall.Signal) {
	if err := syscall.Kill(d.PID, sig); err != nil {
		d.t.Fatalf("signal %v to %d: %v", sig, d.PID, err)
	}
}

// Kill ends the whole process tree now (SIGKILL by PID) and waits for the
// main process; cleanup does the same at the end of the test.
func (d *Daemon) Kill() {
	if d.VRRPPID != 0 && d.VRRPPID != d.PID {
		_ = syscall.Kill(d.VRRPPID, syscall.SIGKILL)
	}
	_ = syscall.Kill(d.PID, syscall.SIGKILL)
	<-d.exited
}

// Mark is the current length of the log, for WaitLogAfter and LogAfter.
func (d *Daemon) Mark() int { return len(d.Log()) }

// LogAfter is what the daemon logged after mark.
func (d *Daemon) LogAfter(mark int) string {
	s := d.Log()
	if mark > len(s) {
		return ""
	}
	return s[mark:]
}

// WaitLogAfter waits until the log after mark contains s.
func (d *Daemon) WaitLogAfter(mark int, s string, timeout time.Duration) bool {
	deadline := time.Now().Add(timeout)
	for !strings.Contains(d.LogAfter(mark), s) {
		if time.Now().After(deadline) {
			return false
		}
		time.Sleep(5 * time.Millisecond)
	}
	return true
}
