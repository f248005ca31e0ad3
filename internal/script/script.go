// Package script runs external commands the way keepalived runs its scripts
// (core/notify.c): each in its own process group, with a cleaned environment,
// optionally as another user, and with SIGTERM on timeout followed by SIGKILL
// to the whole group two seconds later.
//
// The caller tokenises the configured command string (keepalived re-tokenises
// the quoted second token shell-like); this package only takes argv slices.
package script

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"syscall"
	"time"
)

// KillGrace is how long a timed-out script's process group gets between
// SIGTERM and SIGKILL; keepalived uses 2 s (notify.c: script_killall).
const KillGrace = 2 * time.Second

// Command is one script invocation.
type Command struct {
	// Argv is the tokenised command: program then arguments.
	Argv []string
	// UID and GID to run as; nil means the current user (root for the daemon).
	Cred *Credential
	// Timeout kills the script's process group when it expires; 0 means none.
	Timeout time.Duration
	// Dir is the working directory; empty means "/" as keepalived does after daemonising.
	Dir string
	// ExtraEnv is appended to the cleaned environment (KEY=VALUE).
	ExtraEnv []string
}

// Credential is the user and group a script runs as.
type Credential struct {
	UID, GID uint32
	Groups   []uint32
}

// Result is how a script ended.
type Result struct {
	// ExitStatus is the exit code, or -1 when the script was killed by a signal.
	ExitStatus int
	// Signal is the terminating signal, 0 when the script exited.
	Signal syscall.Signal
	// TimedOut is true when the script was killed because Timeout expired.
	TimedOut bool
	// Duration is the wall time from start to reap.
	Duration time.Duration
}

// OK reports whether the script exited with status 0.
func (r Result) OK() bool { return r.Signal == 0 && !r.TimedOut && r.ExitStatus == 0 }

// String describes the outcome in keepalived's log vocabulary.
func (r Result) String() string {
	switch {
	case r.TimedOut:
		return "timed out"
	case r.Signal != 0:
		return fmt.Sprintf("killed by signal %d (%s)", int(r.Signal), r.Signal)
	default:
		return fmt.Sprintf("exited with status %d", r.ExitStatus)
	}
}

// ErrEmpty is returned for an empty argv.
var ErrEmpty = errors.New("script: empty command")

// shellPath is the shell used for commands that must go through a shell.
const shellPath = "/bin/sh"

// resolveArgv applies keepalived's rules for what is executed: a command
// starting with "</" (e.g. "</dev/tcp/127.0.0.1/80") always runs through the
// shell; a bare name is looked up on PATH.
func resolveArgv(argv []string) ([]string, error) {
	if len(argv) == 0 || argv[0] == "" {
		return nil, ErrEmpty
	}
	if strings.HasPrefix(argv[0], "</") {
		return []string{shellPath, "-c", strings.Join(argv, " ")}, nil
	}
	if !strings.Contains(argv[0], "/") {
		p, err := exec.LookPath(argv[0])
		if err != nil {
			return nil, fmt.Errorf("script %q: %w", argv[0], err)
		}
		argv = append([]string{p}, argv[1:]...)
	}
	if needsShell(argv[0]) {
		// keepalived (with libmagic) runs a file that is neither ELF nor
		// "#!" through system() and asks for a shebang; running it with
		// the shell directly keeps the arguments intact.
		return append([]string{shellPath}, argv...), nil
	}
	return argv, nil
}

// needsShell reports whether path is a readable regular file that starts
// with neither an ELF header nor "#!".
func needsShell(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if fi, err := f.Stat(); err != nil || !fi.Mode().IsRegular() {
		return false
	}
	head := make([]byte, 4)
	n, _ := io.ReadFull(f, head)
	head = head[:n]
	return !bytes.HasPrefix(head, []byte("\x7fELF")) && !bytes.HasPrefix(head, []byte("#!"))
}

// Run executes c and waits for it. A non-nil error means the script could not
// be started (or was refused); how it ended is in Result. Cancelling ctx
// terminates the script like a timeout.
func Run(ctx context.Context, c Command) (Result, error) {
	argv, err := resolveArgv(c.Argv)
	if err != nil {
		return Result{ExitStatus: -1}, err
	}
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Env = append(CleanEnv(os.Environ()), c.ExtraEnv...)
	cmd.Dir = c.Dir
	if cmd.Dir == "" {
		cmd.Dir = "/"
	}
	cmd.SysProcAttr = sysProcAttr(c.Cred)
	// PR_SET_PDEATHSIG fires when the forking *thread* exits, not the
	// process; keep this goroutine on its thread until the script is reaped
	// so that a thread retired by the runtime cannot kill the script.
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return Result{ExitStatus: -1}, fmt.Errorf("script %q: start: %w", argv[0], err)
	}
	pid := cmd.Process.Pid
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()

	var timeout <-chan time.Time
	if c.Timeout > 0 {
		t := time.NewTimer(c.Timeout)
		defer t.Stop()
		timeout = t.C
	}
	var werr error
	timedOut := false
	select {
	case werr = <-done:
	case <-timeout:
		timedOut = true
		werr = terminate(pid, done)
	case <-ctx.Done():
		timedOut = true
		werr = terminate(pid, done)
	}
	res := Result{Duration: time.Since(start), TimedOut: timedOut}
	res.ExitStatus, res.Signal = decodeWait(cmd, werr)
	return res, nil
}

// terminate sends SIGTERM to the process group, then SIGKILL after KillGrace
// if the leader has not been reaped, as keepalived does.
func terminate(pid int, done <-chan error) error {
	_ = syscall.Kill(-pid, syscall.SIGTERM)
	t := time.NewTimer(KillGrace)
	defer t.Stop()
	select {
	case err := <-done:
		// The leader is gone; make sure no stragglers in its group survive.
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		return err
	case <-t.C:
		_ = syscall.Kill(-pid, syscall.SIGKILL)
		return <-done
	}
}

// decodeWait turns the result of Wait into an exit status and a signal.
func decodeWait(cmd *exec.Cmd, err error) (int, syscall.Signal) {
	if cmd.ProcessState == nil {
		return -1, 0
	}
	if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); ok {
		if ws.Signaled() {
			return -1, ws.Signal()
		}
		return ws.ExitStatus(), 0
	}
	_ = err
	return cmd.ProcessState.ExitCode(), 0
}
