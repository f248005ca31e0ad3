package e2etrack

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// logBuf collects the daemon's console log; Write is called by the exec
// copier goroutine while the test reads.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// daemon is one gokeepalived process in a namespace, started with
// keepalived's foreground flags and private pid files.
type daemon struct {
	t      *testing.T
	name   string
	conf   string
	cmd    *exec.Cmd
	out    *logBuf
	exited chan struct{}
}

// startDaemon writes conf to dir/name.conf and runs
// `gokeepalived -n -l -D -G -f CONF -p PID -r VPID` inside ns. t.Cleanup
// kills it by PID and dumps its log when the test failed.
func startDaemon(t *testing.T, ns *nettest.NS, dir, name, conf string) *daemon {
	t.Helper()
	d := &daemon{t: t, name: name, conf: filepath.Join(dir, name+".conf"), out: &logBuf{}, exited: make(chan struct{})}
	if err := os.WriteFile(d.conf, []byte(conf), 0o644); err != nil {
		t.Fatal(err)
	}
	d.cmd = ns.Command(context.Background(), gkBin, "-n", "-l", "-D", "-G", "-f", d.conf,
		"-p", filepath.Join(dir, name+".pid"), "-r", filepath.Join(dir, name+"-vrrp.pid"))
	d.cmd.Stdout, d.cmd.Stderr = d.out, d.out
	if err := d.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", name, err)
	}
	go func() {
		_ = d.cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		_ = syscall.Kill(d.cmd.Process.Pid, syscall.SIGKILL)
		<-d.exited
		if t.Failed() {
			t.Logf("%s log:\n%s", name, d.out.String())
		}
	})
	return d
}

// log is everything the daemon wrote so far.
func (d *daemon) log() string { return d.out.String() }

// mark is the current log length, for waitLogAfter.
func (d *daemon) mark() int { return len(d.log()) }

// waitLog waits until the log after mark contains s and reports when it was
// seen (zero when it never was).
func (d *daemon) waitLog(mark int, s string, timeout time.Duration) time.Time {
	d.t.Helper()
	return poll(timeout, func() bool { return strings.Contains(d.log()[mark:], s) })
}

// mustLog fails the test unless the log after mark shows s within timeout.
func (d *daemon) mustLog(mark int, s string, timeout time.Duration) time.Time {
	d.t.Helper()
	at := d.waitLog(mark, s, timeout)
	if at.IsZero() {
		d.t.Fatalf("%s: no log line %q within %v", d.name, s, timeout)
	}
	return at
}

// stop sends SIGTERM and waits for the process to exit.
func (d *daemon) stop(timeout time.Duration) {
	d.t.Helper()
	if err := syscall.Kill(d.cmd.Process.Pid, syscall.SIGTERM); err != nil {
		d.t.Fatalf("SIGTERM %s: %v", d.name, err)
	}
	select {
	case <-d.exited:
	case <-time.After(timeout):
		d.t.Fatalf("%s did not exit within %v of SIGTERM", d.name, timeout)
	}
}

// poll calls cond every 5 ms until it is true and returns when it became
// true, or the zero time after timeout.
func poll(timeout time.Duration, cond func() bool) time.Time {
	deadline := time.Now().Add(timeout)
	for {
		if cond() {
			return time.Now()
		}
		if time.Now().After(deadline) {
			return time.Time{}
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// logTime returns the time= stamp of the first log line after mark that
// contains s, so ordering checks use the daemon's own clock reading rather
// than when the test happened to poll.
func (d *daemon) logTime(mark int, s string) time.Time {
	d.t.Helper()
	for _, line := range strings.Split(d.log()[mark:], "\n") {
		if !strings.Contains(line, s) {
			continue
		}
		f := strings.Fields(line)
		if len(f) > 0 && strings.HasPrefix(f[0], "time=") {
			at, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(f[0], "time="))
			if err != nil {
				d.t.Fatalf("%s: log line %q: %v", d.name, line, err)
			}
			return at
		}
	}
	d.t.Fatalf("%s: no timestamped log line %q", d.name, s)
	return time.Time{}
}
