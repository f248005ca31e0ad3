package track

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"syscall"
	"time"
)

// DefaultScanInterval is how often /proc is scanned for tracked processes.
//
// Processes are found in two ways. The netlink proc connector that keepalived uses
// triggers a rescan within procEventSettle of any fork, exec, rename or exit, so
// detection is as quick as keepalived's. A periodic scan of /proc also runs, because
// the connector is not always there: it only works in the initial PID and user
// namespaces (so not in most containers), it needs CAP_NET_ADMIN and
// CONFIG_PROC_EVENTS, and it drops events under load (ENOBUFS). Where the connector
// is missing, detection takes up to one interval. The verdict always comes from
// counting /proc, never from adding up events, so a lost event cannot leave a wrong
// count behind. A scan reads /proc/PID/comm, and cmdline only for the processes whose
// comm matches. It costs 1.5-4 ms for ~110 processes on a loaded 2-core VM
// (BenchmarkProcScan).
const DefaultScanInterval = 250 * time.Millisecond

// procTracker counts the processes matching a vrrp_track_process and reports quorum.
type procTracker struct {
	ready          readiness
	name           string
	spec           ProcSpec
	quorum, max    int
	forkDelay      time.Duration
	terminateDelay time.Duration
	binds          []binding
	rep            Reporter
	log            *slog.Logger

	buf      []byte
	kick     chan struct{}
	have     bool
	known    bool
	pending  bool
	pendingQ bool
	since    time.Time
}

// count scans procRoot for matching processes. It reads comm first and cmdline only
// when the match needs it, into one reused buffer, to keep the scan cheap.
func (t *procTracker) count(procRoot string) int {
	ents, err := os.ReadDir(procRoot)
	if err != nil {
		return 0
	}
	if t.buf == nil {
		t.buf = make([]byte, 4096)
	}
	argv0 := t.spec.usesArgv0()
	n := 0
	for _, e := range ents {
		name := e.Name()
		if name == "" || name[0] < '0' || name[0] > '9' {
			continue
		}
		if _, err := strconv.Atoi(name); err != nil {
			continue
		}
		dir := procRoot + "/" + name
		b, ok := readSmall(dir+"/comm", t.buf)
		if !ok {
			continue
		}
		c := ParseComm(b)
		if !argv0 && c != t.spec.Name {
			continue
		}
		var argv []string
		if argv0 || len(t.spec.Params) > 0 {
			b, ok := readSmall(dir+"/cmdline", t.buf)
			if !ok {
				continue
			}
			argv = ParseCmdline(b)
		}
		if t.spec.Match(c, argv) && !dead(dir, t.buf) {
			n++
		}
	}
	return n
}

// dead reports whether the process in dir is a zombie or dying (state Z or X in
// /proc/PID/stat): it has exited and only waits to be reaped, so it must not count as running.
// It is read only for processes that already match.
func dead(dir string, buf []byte) bool {
	b, ok := readSmall(dir+"/stat", buf)
	if !ok {
		return true // gone between readdir and now
	}
	// "PID (comm) S …": comm may hold spaces and parentheses, so the state follows the last ')'.
	i := bytes.LastIndexByte(b, ')')
	if i < 0 || i+2 >= len(b) {
		return false
	}
	return b[i+2] == 'Z' || b[i+2] == 'X'
}

// readSmall reads up to len(buf) bytes of a /proc file into buf. A longer cmdline is
// cut, which only matters for parameters beyond the first 4 KiB.
func readSmall(path string, buf []byte) ([]byte, bool) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, false
	}
	defer syscall.Close(fd)
	n := 0
	for n < len(buf) {
		k, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, false
		}
		if k == 0 {
			break
		}
		n += k
	}
	return buf[:n], true
}

// quorate applies quorum and quorum_max (0 = no maximum).
func (t *procTracker) quorate(n int) bool {
	return n >= t.quorum && (t.max == 0 || n <= t.max)
}

// observe feeds one scan's count at now and reports whether the verdict changed.
// Gaining quorum waits fork_delay and losing it terminate_delay, measured from the
// first scan that saw the change; the first scan decides at once.
func (t *procTracker) observe(n int, now time.Time) bool {
	q := t.quorate(n)
	if !t.known {
		t.known, t.have = true, q
		return true
	}
	if q == t.have {
		t.pending = false
		return false
	}
	if !t.pending || t.pendingQ != q {
		t.pending, t.pendingQ, t.since = true, q, now
	}
	delay := t.terminateDelay
	if q {
		delay = t.forkDelay
	}
	if now.Sub(t.since) < delay {
		return false
	}
	t.pending, t.have = false, q
	return true
}

// procEventSettle coalesces proc connector events: a scan runs this long after the
// first event, so a fork storm costs at most one scan per period.
const procEventSettle = 50 * time.Millisecond

func (t *procTracker) loop(ctx context.Context, procRoot string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	armed := false
	for {
		n := t.count(procRoot)
		if t.observe(n, time.Now()) {
			if t.have {
				t.log.Info(fmt.Sprintf("Track process %s now has quorum (%d processes)", t.name, n))
			} else {
				t.log.Info(fmt.Sprintf("Track process %s lost quorum (%d processes)", t.name, n))
			}
			t.report()
		}
		if !t.waitScan(ctx, tick.C, settle, &armed) {
			return
		}
	}
}

// waitScan blocks until the next scan is due: the periodic tick, or procEventSettle
// after a proc connector event. It returns false when ctx ends.
func (t *procTracker) waitScan(ctx context.Context, tick <-chan time.Time, settle *time.Timer, armed *bool) bool {
	for {
		select {
		case <-ctx.Done():
			return false
		case <-tick:
			return true
		case <-settle.C:
			*armed = false
			return true
		case <-t.kick:
			if !*armed {
				*armed = true
				settle.Reset(procEventSettle)
			}
		}
	}
}

// poke asks for a rescan soon, without blocking.
func (t *procTracker) poke() {
	select {
	case t.kick <- struct{}{}:
	default:
	}
}

func (t *procTracker) report() {
	defer t.ready.mark()
	for _, b := range t.binds {
		t.rep.SetTracker(b.instance, b.key, BoolState(t.have, b.weight, b.reverse))
	}
}
