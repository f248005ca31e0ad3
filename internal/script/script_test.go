package script

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestRunExitStatus(t *testing.T) {
	tests := []struct {
		name   string
		argv   []string
		status int
		sig    syscall.Signal
		ok     bool
	}{
		{"true", []string{"/bin/sh", "-c", "exit 0"}, 0, 0, true},
		{"exit 3", []string{"/bin/sh", "-c", "exit 3"}, 3, 0, false},
		{"exit 255", []string{"/bin/sh", "-c", "exit 255"}, 255, 0, false},
		{"signal", []string{"/bin/sh", "-c", "kill -USR1 $$"}, -1, syscall.SIGUSR1, false},
		{"path lookup", []string{"true"}, 0, 0, true},
		{"dev tcp through shell", []string{"</dev/null"}, 0, 0, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Run(context.Background(), Command{Argv: tc.argv})
			if err != nil {
				t.Fatal(err)
			}
			if res.ExitStatus != tc.status || res.Signal != tc.sig || res.OK() != tc.ok {
				t.Fatalf("got %+v (%s), want status %d signal %v ok %v", res, res, tc.status, tc.sig, tc.ok)
			}
		})
	}
}

func TestRunErrors(t *testing.T) {
	if _, err := Run(context.Background(), Command{}); !errors.Is(err, ErrEmpty) {
		t.Fatalf("empty argv: %v", err)
	}
	if _, err := Run(context.Background(), Command{Argv: []string{"/nonexistent/x"}}); err == nil {
		t.Fatal("nonexistent program started")
	}
	if _, err := Run(context.Background(), Command{Argv: []string{"no-such-command-gokeepalived"}}); err == nil {
		t.Fatal("unknown bare name resolved")
	}
}

func TestResolveArgv(t *testing.T) {
	got, err := resolveArgv([]string{"</dev/tcp/127.0.0.1/80", "&&", "true"})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/bin/sh", "-c", "</dev/tcp/127.0.0.1/80 && true"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("got %q want %q", got, want)
	}
}

func TestCleanEnv(t *testing.T) {
	in := []string{"PATH=/bin", "IFS= ", "LD_PRELOAD=/evil.so", "LD_LIBRARY_PATH=/x", "LD_PRELOADX=1", "HOME=/root"}
	got := strings.Join(CleanEnv(in), ",")
	if got != "PATH=/bin,LD_PRELOADX=1,HOME=/root" {
		t.Fatalf("got %s", got)
	}
}

// TestEnvReachesScript checks the cleaned environment is what the script sees.
func TestEnvReachesScript(t *testing.T) {
	t.Setenv("LD_LIBRARY_PATH", "/tmp/evil")
	res, err := Run(context.Background(), Command{Argv: []string{"/bin/sh", "-c", `test -z "${LD_LIBRARY_PATH+x}" && test "$GK" = 1`}, ExtraEnv: []string{"GK=1"}})
	if err != nil || !res.OK() {
		t.Fatalf("res %v err %v", res, err)
	}
}

// TestTimeoutKillsGroup checks a timed-out script and its children are all killed.
func TestTimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "child")
	res, err := Run(context.Background(), Command{
		Argv:    []string{"/bin/sh", "-c", "sleep 60 & echo $! > " + pidFile + "; wait"},
		Timeout: 200 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.OK() {
		t.Fatalf("want timed out, got %v", res)
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(b)))
	// The child was SIGKILLed with its group; it may linger as a zombie of
	// init briefly, so poll /proc for its state rather than sleeping.
	deadline := time.Now().Add(5 * time.Second)
	for {
		st, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil || strings.Contains(string(st), ") Z ") {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("child %d still alive: %s", pid, st)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestTimeoutEscalatesToKill checks SIGKILL follows a SIGTERM that is ignored.
func TestTimeoutEscalatesToKill(t *testing.T) {
	if testing.Short() {
		t.Skip("takes KillGrace")
	}
	res, err := Run(context.Background(), Command{
		Argv:    []string{"/bin/sh", "-c", "trap '' TERM; while :; do sleep 0.05; done"},
		Timeout: 100 * time.Millisecond,
	})
	if err != nil {
		t.Fatal(err)
	}
	if !res.TimedOut || res.Signal != syscall.SIGKILL {
		t.Fatalf("want SIGKILL, got %v", res)
	}
}

func TestCheckSecure(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	// Not t.TempDir: /tmp is world-writable, which is exactly what is refused.
	dir, err := os.MkdirTemp("/root", "gk-sec-")
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	_ = os.Chmod(dir, 0o755)
	good := filepath.Join(dir, "good.sh")
	if err := os.WriteFile(good, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(good, true); err != nil {
		t.Fatalf("secure script refused: %v", err)
	}
	worldDir := filepath.Join(dir, "open")
	if err := os.Mkdir(worldDir, 0o777); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(worldDir, 0o777)
	bad := filepath.Join(worldDir, "bad.sh")
	if err := os.WriteFile(bad, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(bad, true); !errors.Is(err, ErrInsecure) {
		t.Fatalf("world-writable dir accepted: %v", err)
	}
	if _, err := CheckSecure(bad, false); err != nil {
		t.Fatalf("non-root script refused: %v", err)
	}
	owned := filepath.Join(dir, "owned.sh")
	if err := os.WriteFile(owned, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(owned, 65534, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(owned, true); !errors.Is(err, ErrInsecure) {
		t.Fatalf("non-root owned script accepted: %v", err)
	}
	grp := filepath.Join(dir, "grp.sh")
	if err := os.WriteFile(grp, []byte("#!/bin/sh\n"), 0o775); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(grp, 0o775)
	if err := os.Chown(grp, 0, 65534); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(grp, true); !errors.Is(err, ErrInsecure) {
		t.Fatalf("group-writable script accepted: %v", err)
	}
	// A root-owned sticky directory (like /tmp) is safe, as in keepalived; a world-writable file
	// inside it is not.
	sticky := filepath.Join(dir, "sticky")
	if err := os.Mkdir(sticky, 0o777); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(sticky, 0o777|os.ModeSticky)
	inSticky := filepath.Join(sticky, "ok.sh")
	if err := os.WriteFile(inSticky, []byte("#!/bin/sh\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(inSticky, true); err != nil {
		t.Fatalf("script in a root-owned sticky directory refused: %v", err)
	}
	openFile := filepath.Join(sticky, "open.sh")
	if err := os.WriteFile(openFile, []byte("#!/bin/sh\n"), 0o777); err != nil {
		t.Fatal(err)
	}
	_ = os.Chmod(openFile, 0o777)
	if _, err := CheckSecure(openFile, true); !errors.Is(err, ErrInsecure) {
		t.Fatalf("world-writable script in a sticky directory accepted: %v", err)
	}
	link := filepath.Join(dir, "link.sh")
	if err := os.Symlink(bad, link); err != nil {
		t.Fatal(err)
	}
	if _, err := CheckSecure(link, true); !errors.Is(err, ErrInsecure) {
		t.Fatalf("symlink to insecure script accepted: %v", err)
	}
}

func TestRunAsUser(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	cred, err := LookupCredential("nobody", "")
	if err != nil {
		t.Skip(err)
	}
	res, err := Run(context.Background(), Command{Argv: []string{"/bin/sh", "-c", "test $(id -u) = " + strconv.Itoa(int(cred.UID))}, Cred: cred})
	if err != nil || !res.OK() {
		t.Fatalf("res %v err %v", res, err)
	}
}

// TestNoShebangRunsThroughShell checks a script without "#!" still runs,
// through the shell, with its arguments intact.
func TestNoShebangRunsThroughShell(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "noshebang")
	if err := os.WriteFile(p, []byte("test \"$1\" = 'a b' && exit 4\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	res, err := Run(context.Background(), Command{Argv: []string{p, "a b"}})
	if err != nil {
		t.Fatal(err)
	}
	if res.ExitStatus != 4 {
		t.Fatalf("got %v", res)
	}
	if needsShell("/bin/sh") {
		t.Fatal("ELF binary sent through the shell")
	}
}
