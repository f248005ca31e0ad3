package e2etrack

import (
	"fmt"
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

// TestNotifyScriptsAndFIFO: one router goes BACKUP at start-up, MASTER
// after the master-down timer and STOP at SIGTERM. Each state runs its
// notify_* script (the quoted command split shell-like) and then the generic
// notify with INSTANCE VI_1 STATE PRIO, in that order; vrrp_notify_fifo gets
// keepalived's byte-exact lines; notify_stop runs before the daemon exits.
func TestNotifyScriptsAndFIFO(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.106")
	note := writeScript(t, l.dir, "note.sh", noteScript)
	fifoPath := filepath.Join(l.dir, "vrrp.fifo")
	fifo := openFIFO(t, fifoPath)
	in := inst{name: "VI_1", vrid: 57, priority: 150, vip: vip.String() + "/24", extra: []string{
		fmt.Sprintf(`notify_master "%s master 'two words'"`, note),
		fmt.Sprintf(`notify_backup "%s backup"`, note),
		fmt.Sprintf(`notify_fault "%s fault"`, note),
		fmt.Sprintf(`notify_stop "%s stop"`, note),
		fmt.Sprintf(`notify "%s generic"`, note),
	}}
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", []string{"vrrp_notify_fifo " + fifoPath}, "", in))
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	want := []string{
		"[backup]",
		"[generic][INSTANCE][VI_1][BACKUP][150]",
		"[master][two words]",
		"[generic][INSTANCE][VI_1][MASTER][150]",
	}
	if poll(3*time.Second, func() bool { return len(readNotes(l.dir)) >= len(want) }).IsZero() {
		t.Fatalf("notify scripts wrote %q, want %q", readNotes(l.dir), want)
	}
	wantFIFO := "INSTANCE \"VI_1\" BACKUP 150\nINSTANCE \"VI_1\" MASTER 150\n"
	if poll(time.Second, func() bool { return fifo.String() == wantFIFO }).IsZero() {
		t.Fatalf("FIFO carried %q, want %q", fifo.String(), wantFIFO)
	}

	d0.stop(5 * time.Second)
	want = append(want, "[stop]", "[generic][INSTANCE][VI_1][STOP][150]")
	if got := readNotes(l.dir); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("notify scripts by the time the daemon exited:\n got %q\nwant %q", got, want)
	}
	wantFIFO += "INSTANCE \"VI_1\" STOP 150\n"
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
