package daemon

import (
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

func TestPIDPaths(t *testing.T) {
	cases := []struct {
		name                 string
		instance             string
		usePIDDir            bool
		main, vrrp, checkers string
		want                 [3]string
	}{
		{"defaults", "", false, "", "", "", [3]string{"/run/keepalived.pid", "/run/vrrp.pid", "/run/checkers.pid"}},
		{"use_pid_dir", "", true, "", "", "", [3]string{"/run/keepalived/keepalived.pid", "/run/keepalived/vrrp.pid", "/run/keepalived/checkers.pid"}},
		{"instance", "lb1", false, "", "", "", [3]string{"/run/keepalived/keepalived_lb1.pid", "/run/keepalived/vrrp_lb1.pid", "/run/keepalived/checkers_lb1.pid"}},
		{"explicit", "lb1", true, "/tmp/a.pid", "/tmp/b.pid", "/tmp/c.pid", [3]string{"/tmp/a.pid", "/tmp/b.pid", "/tmp/c.pid"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, v, ch := pidPaths("/run", c.instance, c.usePIDDir, c.main, c.vrrp, c.checkers)
			if got := [3]string{m, v, ch}; got != c.want {
				t.Errorf("pidPaths = %v, want %v", got, c.want)
			}
		})
	}
}

// TestPIDFileLock: the pid file holds our pid, a second daemon is refused while we hold the
// lock, and removal deletes the file.
func TestPIDFileLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sub", "keepalived.pid")
	pf, err := writePIDFile(path)
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil || strings.TrimSpace(string(data)) != strconv.Itoa(os.Getpid()) {
		t.Fatalf("pid file holds %q (%v), want our pid", data, err)
	}
	if _, err := writePIDFile(path); !errors.Is(err, errRunning) {
		t.Errorf("second writePIDFile: %v, want errRunning", err)
	}
	pf.remove()
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("pid file still there after remove: %v", err)
	}
}

func TestFacility(t *testing.T) {
	for _, s := range []string{"", "daemon", "user", "0", "7", "local3"} {
		if _, err := facility(s); err != nil {
			t.Errorf("facility(%q): %v", s, err)
		}
	}
	for _, s := range []string{"8", "local9", "kern2"} {
		if _, err := facility(s); err == nil {
			t.Errorf("facility(%q) accepted", s)
		}
	}
}
