package track

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// DefaultScanInterval is how often /proc is scanned for tracked processes.
//
// Why /proc scanning and not the netlink proc connector keepalived uses: the proc
// connector only delivers events in the initial PID and user namespaces (so not in
// most containers, where keepalived users increasingly run), needs CAP_NET_ADMIN and
// CONFIG_PROC_EVENTS, drops events under load (ENOBUFS, after which keepalived
// rescans /proc anyway) and still needs a /proc scan at start. A scan of /proc every
// 250 ms costs about a millisecond of CPU on a host with a few hundred processes
// and is correct everywhere; the detection delay is bounded by the interval.
const DefaultScanInterval = 250 * time.Millisecond

// procTracker counts the processes matching a vrrp_track_process and reports quorum.
type procTracker struct {
	name           string
	spec           ProcSpec
	quorum, max    int
	forkDelay      time.Duration
	terminateDelay time.Duration
	binds          []binding
	rep            Reporter
	log            *slog.Logger

	have     bool
	known    bool
	pending  bool
	pendingQ bool
	since    time.Time
}

// count scans procRoot for matching processes.
func (t *procTracker) count(procRoot string) int {
	ents, err := os.ReadDir(procRoot)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		dir := filepath.Join(procRoot, e.Name())
		comm, err := os.ReadFile(filepath.Join(dir, "comm"))
		if err != nil {
			continue
		}
		c := ParseComm(comm)
		var argv []string
		// cmdline is read only when it can matter, to keep the scan cheap.
		if t.spec.usesArgv0() || len(t.spec.Params) > 0 {
			b, err := os.ReadFile(filepath.Join(dir, "cmdline"))
			if err != nil {
				continue
			}
			argv = ParseCmdline(b)
		} else if c != t.spec.Name {
			continue
		}
		if t.spec.Match(c, argv) {
			n++
		}
	}
	return n
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

func (t *procTracker) loop(ctx context.Context, procRoot string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
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
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func (t *procTracker) report() {
	for _, b := range t.binds {
		t.rep.SetTracker(b.instance, b.key, BoolState(t.have, b.weight, b.reverse))
	}
}
