package e2etrack

import (
	"errors"
	"net"
	"net/http"
	"net/netip"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// docBlock returns the first fenced block after heading in docs/name.
func docBlock(t *testing.T, name, heading string) string {
	t.Helper()
	return docBlocks(t, name, heading)[0]
}

// docBlocks returns the fenced blocks of the section under heading in
// docs/name (up to the next "## " heading).
func docBlocks(t *testing.T, name, heading string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", name))
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	i := strings.Index(s, "\n"+heading+"\n")
	if i < 0 {
		t.Fatalf("docs/%s has no %q section", name, heading)
	}
	s = s[i+1:]
	if j := strings.Index(s[len(heading):], "\n## "); j >= 0 {
		s = s[:len(heading)+j]
	}
	var out []string
	for _, m := range regexp.MustCompile("(?s)```\n(.*?)```").FindAllStringSubmatch(s, -1) {
		out = append(out, m[1])
	}
	if len(out) == 0 {
		t.Fatalf("docs/%s %q has no example block", name, heading)
	}
	return out
}

// webServer is the "nginx" of the docs example: an HTTP server on
// 127.0.0.1:80 inside a namespace that the test can stop and start.
type webServer struct {
	t  *testing.T
	ns *nettest.NS
	mu sync.Mutex
	ln net.Listener
}

func newWebServer(t *testing.T, ns *nettest.NS) *webServer {
	w := &webServer{t: t, ns: ns}
	w.start()
	t.Cleanup(w.stop)
	return w
}

// start listens inside the namespace (the socket stays there after Do
// returns) and serves 200 OK.
func (w *webServer) start() {
	w.t.Helper()
	var ln net.Listener
	if err := w.ns.Do(func() error {
		var err error
		ln, err = net.Listen("tcp", "127.0.0.1:80")
		return err
	}); err != nil {
		w.t.Fatalf("listen in %s: %v", w.ns.Name, err)
	}
	w.mu.Lock()
	w.ln = ln
	w.mu.Unlock()
	go func() { _ = http.Serve(ln, http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})) }()
}

// stop closes the listener: new connections are refused, as with a
// stopped nginx.
func (w *webServer) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.ln != nil {
		if err := w.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			w.t.Errorf("close listener: %v", err)
		}
		w.ln = nil
	}
}

// logTimes returns the time= stamps of every log line after mark that
// contains s.
func (d *daemon) logTimes(mark int, s string) []time.Time {
	var out []time.Time
	for _, line := range strings.Split(d.log()[mark:], "\n") {
		f := strings.Fields(line)
		if !strings.Contains(line, s) || len(f) == 0 || !strings.HasPrefix(f[0], "time=") {
			continue
		}
		if at, err := time.Parse(time.RFC3339Nano, strings.TrimPrefix(f[0], "time=")); err == nil {
			out = append(out, at)
		}
	}
	return out
}

// countBetween counts the times in (from, to).
func countBetween(ts []time.Time, from, to time.Time) int {
	n := 0
	for _, at := range ts {
		if at.After(from) && at.Before(to) {
			n++
		}
	}
	return n
}

// TestDocsNginxExample runs the nginx example of docs/tracking.md verbatim
// (the backup with priority 100) against tiny HTTP servers standing in for
// nginx. The -D log shows every failed curl ("exited with status 7",
// connection refused), so fall and rise are counted from the daemon's own
// records.
func TestDocsNginxExample(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	example := docBlock(t, "tracking.md", "## End-to-end: the nginx example")
	if !strings.Contains(example, "priority 150") {
		t.Fatal("the docs example lost its priority 150 line")
	}
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.10")
	web0 := newWebServer(t, l.r[0].NS)
	newWebServer(t, l.r[1].NS)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", example)
	d1 := startDaemon(t, l.r[1].NS, l.dir, "r1", strings.Replace(example, "priority 150", "priority 100", 1))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 10*time.Second)
	d1.mustLog(0, "(VI_1) Entering BACKUP STATE", 5*time.Second)

	m0 := d0.mark()
	stopped := time.Now()
	web0.stop()
	took := waitAddr(t, l.r[1].NS, "eth0", vip, true, 10*time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, false, 2*time.Second)
	failAt := d0.logTime(m0, "VRRP_Script(chk_nginx) failed")
	fails := countBetween(d0.logTimes(m0, "VRRP_Script(chk_nginx) exited with status 7"), stopped, failAt.Add(time.Millisecond))
	t.Logf("nginx stopped; declared failed after %d failed curls (%v); backup took the VIP after %v",
		fails, failAt.Sub(stopped).Round(time.Millisecond), took.Sub(stopped).Round(time.Millisecond))
	if fails != 2 {
		t.Errorf("declared failed after %d failed runs, want fall 2", fails)
	}
	d0.mustLog(m0, "(VI_1) Changing effective priority to 90", time.Second)
	if !sawAdvert(l, 51, 90, l.r[0].Interface("eth0").HardwareAddr.String(), time.Second) {
		t.Error("no priority-90 advert from the demoted master")
	}

	m0 = d0.mark()
	restarted := time.Now()
	web0.start()
	back := waitAddr(t, l.r[0].NS, "eth0", vip, true, 10*time.Second)
	waitAddr(t, l.r[1].NS, "eth0", vip, false, 2*time.Second)
	riseAt := d0.logTime(m0, "VRRP_Script(chk_nginx) succeeded")
	// Successful runs are not logged one by one; after the restart every
	// run succeeds, so count the 1 s intervals: the verdict needs two runs,
	// the first at most one interval after the restart.
	if el := riseAt.Sub(restarted); el < 900*time.Millisecond || el > 2200*time.Millisecond {
		t.Errorf("declared up %v after nginx restarted, want two runs at interval 1 (1-2 s)", el)
	}
	t.Logf("nginx restarted; declared up after %v; master took the VIP back after %v",
		riseAt.Sub(restarted).Round(time.Millisecond), back.Sub(restarted).Round(time.Millisecond))
}
