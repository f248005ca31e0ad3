package daemon

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// pidPaths returns the pid files to write: keepalived's defaults (/run/keepalived.pid,
// /run/vrrp.pid, /run/checkers.pid) or, with use_pid_dir or an instance name, the same under
// /run/keepalived/ with the instance in the name (keepalived core/main.c, reference §1c.5).
// Explicit -p/-r/-c paths win.
func pidPaths(runDir, instance string, usePIDDir bool, main, vrrp, checkers string) (string, string, string) {
	dir, prefix, suffix := runDir, "", ""
	if usePIDDir || instance != "" {
		dir = filepath.Join(runDir, "keepalived")
		prefix = "keepalived_"
		if instance != "" {
			suffix = "_" + instance
		}
	}
	def := func(given, base string) string {
		if given != "" {
			return given
		}
		if prefix != "" {
			if base == "keepalived" {
				return filepath.Join(dir, "keepalived"+suffix+".pid")
			}
			return filepath.Join(dir, base+suffix+".pid")
		}
		return filepath.Join(dir, base+".pid")
	}
	return def(main, "keepalived"), def(vrrp, "vrrp"), def(checkers, "checkers")
}

// pidFile is a written, locked pid file.
type pidFile struct {
	path string
	f    *os.File
}

// errRunning means another daemon holds the pid file's lock.
var errRunning = errors.New("another gokeepalived or keepalived is running with this pid file")

// writePIDFile creates path with our pid and takes an advisory lock on it, so a second daemon
// with the same configuration refuses to start (keepalived ≥ 2.3.2 does the same).
func writePIDFile(path string) (*pidFile, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("pid file %s: %w", path, err)
	}
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pid file %s: %w", path, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		data, _ := os.ReadFile(path)
		f.Close()
		return nil, fmt.Errorf("pid file %s (pid %s): %w", path, strings.TrimSpace(string(data)), errRunning)
	}
	if err := f.Truncate(0); err != nil {
		f.Close()
		return nil, fmt.Errorf("pid file %s: %w", path, err)
	}
	if _, err := f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0); err != nil {
		f.Close()
		return nil, fmt.Errorf("pid file %s: %w", path, err)
	}
	return &pidFile{path: path, f: f}, nil
}

// remove deletes the pid file and releases its lock.
func (p *pidFile) remove() {
	if p == nil {
		return
	}
	os.Remove(p.path)
	p.f.Close()
}
