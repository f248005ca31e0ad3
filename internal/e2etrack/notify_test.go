package e2etrack

import (
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// noteScript appends its arguments, each in brackets, as one line: the test
// sees exactly how the command string was split. The specific scripts sleep
// first, so a generic script started without waiting for them would write
// its line first.
const noteScript = `case "$1" in generic) ;; *) sleep 0.2 ;; esac
line=
for a; do line="$line[$a]"; done
echo "$line" >> "$(dirname "$0")/notes"
`

// fifoReader keeps a FIFO open for reading for the whole test, so lines
// written before the daemon exits are never lost, and collects them.
type fifoReader struct {
	mu  sync.Mutex
	buf []byte
}

func (r *fifoReader) String() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return string(r.buf)
}

// openFIFO creates the FIFO (mode 0644, as keepalived would) and reads it.
func openFIFO(t *testing.T, path string) *fifoReader {
	t.Helper()
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Fatal(err)
	}
	// O_RDWR never blocks on a FIFO and keeps it alive without a writer.
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	r := &fifoReader{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		b := make([]byte, 4096)
		for {
			n, err := f.Read(b)
			r.mu.Lock()
			r.buf = append(r.buf, b[:n]...)
			r.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	t.Cleanup(func() {
		f.Close()
		<-done
	})
	return r
}

// readNotes returns the lines noteScript wrote.
func readNotes(dir string) []string {
	b, _ := os.ReadFile(filepath.Join(dir, "notes"))
	s := strings.TrimSpace(string(b))
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

// TestNotifyScriptsAndFIFO runs the example of docs/notify.md ("End-to-end:
// scripts and FIFO on a real router"): one router goes BACKUP at start-up,
// MASTER after the master-down timer and STOP at SIGTERM. Each state runs
// its notify_* script (the quoted command split shell-like) and then the
// generic notify with INSTANCE VI_1 STATE PRIO, in that order;
// vrrp_notify_fifo gets keepalived's byte-exact lines; notify_stop runs
// before the daemon exits. The expected outputs are the documented ones.
func TestNotifyScriptsAndFIFO(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	blocks := docBlocks(t, "notify.md", "## End-to-end: scripts and FIFO on a real router")
	if len(blocks) != 4 {
		t.Fatalf("docs/notify.md example has %d blocks, want config, script, notes, FIFO", len(blocks))
	}
	l := newLab(t)
	paths := strings.NewReplacer("/etc/keepalived/", l.dir+"/", "/run/keepalived/", l.dir+"/")
	cfg, script, wantNotes, wantFIFO := paths.Replace(blocks[0]), paths.Replace(blocks[1]), blocks[2], blocks[3]
	vip := netip.MustParseAddr("198.51.100.10")
	if err := os.WriteFile(filepath.Join(l.dir, "note.sh"), []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := openFIFO(t, filepath.Join(l.dir, "vrrp.fifo"))
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", cfg)
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 10*time.Second)
	notes := strings.Split(strings.TrimSpace(wantNotes), "\n")
	fifoLines := strings.SplitAfter(wantFIFO, "\n")
	// Before the stop: the BACKUP and MASTER parts.
	if poll(3*time.Second, func() bool { return len(readNotes(l.dir)) >= 4 }).IsZero() {
		t.Fatalf("notify scripts wrote %q, want %q", readNotes(l.dir), notes[:4])
	}
	if got := readNotes(l.dir); strings.Join(got, "\n") != strings.Join(notes[:4], "\n") {
		t.Errorf("notify scripts before the stop:\n got %q\nwant %q", got, notes[:4])
	}
	if want := strings.Join(fifoLines[:2], ""); poll(time.Second, func() bool { return fifo.String() == want }).IsZero() {
		t.Fatalf("FIFO carried %q, want %q", fifo.String(), want)
	}

	d0.stop(5 * time.Second)
	if got := readNotes(l.dir); strings.Join(got, "\n") != strings.Join(notes, "\n") {
		t.Errorf("notify scripts by the time the daemon exited:\n got %q\nwant %q", got, notes)
	}
	if got := fifo.String(); got != wantFIFO {
		t.Errorf("FIFO after stop: got %q, want %q", got, wantFIFO)
	}
	if hasAddr(l.r[0].NS, "eth0", vip) {
		t.Error("VIP still configured after a clean stop")
	}
	mac0 := l.r[0].Interface("eth0").HardwareAddr.String()
	if !sawAdvert(l, 57, 0, mac0, time.Second) {
		t.Error("no priority-0 advert at stop")
	}
}
