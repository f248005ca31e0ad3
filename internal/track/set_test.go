package track

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// wait is the bound for real processes and inotify to be seen; it only limits how
// long a broken test hangs.
const wait = 10 * time.Second

// writeScript writes an executable shell script into dir.
func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

// load parses a configuration and fails on errors.
func load(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, diags := config.LoadString("test.conf", src, config.LoadOptions{})
	if diags.Max() >= syntax.Error {
		t.Fatalf("config: %s", diags)
	}
	return cfg
}

// instance is a minimal vrrp_instance with the given tracking lines.
func instance(name string, vrid int, track string) string {
	return fmt.Sprintf(`vrrp_instance %s {
	interface eth0
	virtual_router_id %d
	priority 100
	virtual_ipaddress {
		198.51.100.%d/32
	}
	%s
}
`, name, vrid, vrid, track)
}

// quiet returns a logger that writes to the test log.
func quiet(t *testing.T) *slog.Logger {
	return slog.New(slog.NewTextHandler(testWriter{t}, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

// start builds and starts a Set with no script security (t.TempDir lives under /tmp).
func start(t *testing.T, cfg *config.Config, rep Reporter, opts Options) *Set {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = quiet(t)
	}
	if opts.Policy == nil {
		opts.Policy = &policy.Policy{Lookup: noUser}
	}
	s, err := New(cfg, rep, opts)
	if err != nil {
		t.Fatal(err)
	}
	s.Start(context.Background())
	t.Cleanup(s.Stop)
	return s
}

// noUser makes the default user root, whatever the host has.
func noUser(string, string) (*script.Credential, error) { return nil, fmt.Errorf("no such user") }

func TestScriptWeightsAndFault(t *testing.T) {
	dir := t.TempDir()
	fail := writeScript(t, dir, "fail.sh", "exit 1")
	ok := writeScript(t, dir, "ok.sh", "exit 0")
	cfg := load(t, fmt.Sprintf(`
vrrp_script chk_fail {
	script "%s"
	interval 1
	weight -30
}
vrrp_script chk_ok {
	script "%s"
	weight 5
}
vrrp_script chk_fault {
	script "%s"
}
vrrp_script chk_unused {
	script "%s"
}
`, fail, ok, fail, fail)+
		instance("VI_1", 1, "track_script {\nchk_fail\nchk_ok\n}")+
		instance("VI_2", 2, "track_script {\nchk_fault\nchk_fail weight 10 reverse\n}"))
	rep := newFakeReporter()
	s := start(t, cfg, rep, Options{})
	want := map[string][]string{
		"VI_1": {"script chk_fail", "script chk_ok"},
		"VI_2": {"script chk_fail", "script chk_fault"},
	}
	for in, keys := range want {
		if got := s.Keys()[in]; !slices.Equal(got, keys) {
			t.Errorf("%s keys = %q, want %q (an unused script must not be bound)", in, got, keys)
		}
	}
	checks := []struct {
		instance, key string
		want          engine.TrackerState
	}{
		{"VI_1", "script chk_fail", engine.TrackerState{Weight: -30}},
		{"VI_1", "script chk_ok", engine.TrackerState{Weight: 5}},
		{"VI_2", "script chk_fault", engine.TrackerState{Fault: true}},
		// weight 10 reverse on a failing script: a positive weight only acts on success.
		{"VI_2", "script chk_fail", engine.TrackerState{}},
	}
	for _, c := range checks {
		if !rep.waitFor(c.instance, c.key, c.want, wait) {
			st, _ := rep.last(c.instance, c.key)
			t.Errorf("%s %s = %+v, want %+v", c.instance, c.key, st, c.want)
		}
	}
}

func TestSyncGroupTrackerReportedForEachMember(t *testing.T) {
	dir := t.TempDir()
	fail := writeScript(t, dir, "fail.sh", "exit 1")
	cfg := load(t, fmt.Sprintf(`
vrrp_script chk {
	script "%s"
}
vrrp_sync_group SG {
	group {
		VI_1
		VI_2
	}
	track_script {
		chk
	}
}
`, fail)+instance("VI_1", 1, "")+instance("VI_2", 2, ""))
	rep := newFakeReporter()
	start(t, cfg, rep, Options{})
	for _, in := range []string{"VI_1", "VI_2"} {
		if !rep.waitFor(in, "script chk (group SG)", engine.TrackerState{Fault: true}, wait) {
			t.Errorf("%s: no fault from the group's script; calls %+v", in, rep.snapshot())
		}
	}
}

// TestScriptTimeoutKillsGroup runs a script that starts a child and hangs: at the
// timeout the tracker fails and the whole process group is gone.
func TestScriptTimeoutKillsGroup(t *testing.T) {
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "pid")
	hang := writeScript(t, dir, "hang.sh", fmt.Sprintf("echo $$ > %s\nsleep 1000 &\nsleep 1000\n", pidFile))
	cfg := load(t, fmt.Sprintf(`
vrrp_script chk_hang {
	script "%s"
	interval 5
	timeout 1
}
`, hang)+instance("VI_1", 1, "track_script {\nchk_hang\n}"))
	rep := newFakeReporter()
	start(t, cfg, rep, Options{})
	if !rep.waitFor("VI_1", "script chk_hang", engine.TrackerState{Fault: true}, wait) {
		t.Fatalf("a hung script did not fail at its timeout; calls %+v", rep.snapshot())
	}
	b, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	var pgid int
	if _, err := fmt.Sscan(string(b), &pgid); err != nil {
		t.Fatal(err)
	}
	// The tracker reports after the runner reaped the leader; the group got SIGKILL
	// then, so it is gone once the kernel has reaped the children (init does that).
	deadline := time.Now().Add(wait)
	for syscall.Kill(-pgid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("process group %d still alive after the timeout", pgid)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// TestScriptRiseFallInterval drives a fake runner in a synctest bubble: runs happen
// every interval, and rise/fall gate the verdict.
func TestScriptRiseFallInterval(t *testing.T) {
	synctestRun(t, func(t *testing.T) {
		outcomes := []bool{true, false, false, true, true, true, false}
		var runs []time.Duration
		begin := time.Now()
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			i := len(runs)
			runs = append(runs, time.Since(begin))
			if i >= len(outcomes) {
				<-ctx.Done()
				return script.Result{ExitStatus: -1, TimedOut: true}, nil
			}
			time.Sleep(100 * time.Millisecond) // the script's own run time
			if outcomes[i] {
				return script.Result{}, nil
			}
			return script.Result{ExitStatus: 1}, nil
		}
		cfg := load(t, `
vrrp_script chk {
	script "/bin/true"
	interval 2
	weight -10
	rise 3
	fall 2
}
`+instance("VI_1", 1, "track_script {\nchk\n}"))
		rep := newFakeReporter()
		s, err := New(cfg, rep, Options{Runner: runner, Logger: quiet(t), Policy: &policy.Policy{Lookup: noUser}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		s.Start(ctx)
		time.Sleep(15 * time.Second)
		cancel()
		s.Stop()
		var got []string
		for _, c := range rep.snapshot() {
			got = append(got, fmt.Sprintf("%d", c.st.Weight))
		}
		// run 1 success decides OK (0); two failures (fall 2) -> -10; three successes
		// (rise 3) -> 0; one failure is not enough for fall 2.
		if want := []string{"0", "-10", "0"}; !slices.Equal(got, want) {
			t.Errorf("weights reported %q, want %q", got, want)
		}
		for i, at := range runs {
			if want := time.Duration(i) * 2 * time.Second; at != want {
				t.Errorf("run %d started at %v, want %v", i, at, want)
			}
		}
	})
}

func TestUnsafeScriptRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the check only refuses scripts that would run as root")
	}
	safeRoot := secureTempDir(t)
	unsafeDir := filepath.Join(safeRoot, "ww")
	if err := os.Mkdir(unsafeDir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(unsafeDir, 0o777); err != nil {
		t.Fatal(err)
	}
	bad := writeScript(t, unsafeDir, "bad.sh", "exit 1")
	good := writeScript(t, safeRoot, "good.sh", "exit 1")
	cfg := load(t, fmt.Sprintf(`
global_defs {
	enable_script_security
}
vrrp_script chk_bad {
	script "%s"
}
vrrp_script chk_good {
	script "%s"
}
`, bad, good)+instance("VI_1", 1, "track_script {\nchk_bad\nchk_good\n}"))
	var logs strings.Builder
	log := slog.New(slog.NewTextHandler(&logs, nil))
	pol := policy.FromGlobal(&cfg.Global)
	pol.Lookup = noUser
	s, err := New(cfg, newFakeReporter(), Options{Logger: log, Policy: &pol})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if got := s.Keys()["VI_1"]; !slices.Equal(got, []string{"script chk_good"}) {
		t.Errorf("keys = %q, want only the safe script", got)
	}
	for _, w := range []string{"Unsafe permissions found for script", "Disabling track script chk_bad due to insecure"} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, logs.String())
		}
	}
}

func TestTrackFile(t *testing.T) {
	dir := t.TempDir()
	weighted := filepath.Join(dir, "weighted")
	faulty := filepath.Join(dir, "faulty")
	cfg := load(t, fmt.Sprintf(`
track_file tf_w {
	file "%s"
	weight 3
	init_file 2
}
track_file tf_f {
	file "%s"
	weight 0
}
`, weighted, faulty)+instance("VI_1", 1, "track_file {\ntf_w\ntf_f\n}")+instance("VI_2", 2, "track_file {\ntf_w weight -100\n}"))
	rep := newFakeReporter()
	start(t, cfg, rep, Options{})
	steps := []struct {
		name          string
		file, content string
		instance, key string
		want          engine.TrackerState
	}{
		{"init_file value", "", "", "VI_1", "file tf_w", engine.TrackerState{Weight: 6}},
		{"missing file is 0", "", "", "VI_1", "file tf_f", engine.TrackerState{}},
		{"value times weight", weighted, "5\n", "VI_1", "file tf_w", engine.TrackerState{Weight: 15}},
		{"override weight", weighted, "2\n", "VI_2", "file tf_w", engine.TrackerState{Weight: -200}},
		{"below -253 is fault", weighted, "3\n", "VI_2", "file tf_w", engine.TrackerState{Fault: true}},
		{"weight 0 non-zero is fault", faulty, "1\n", "VI_1", "file tf_f", engine.TrackerState{Fault: true}},
		{"weight 0 back to zero", faulty, "0\n", "VI_1", "file tf_f", engine.TrackerState{}},
	}
	for _, s := range steps {
		if s.file != "" {
			// Write through a temporary name and rename, as careful writers do, and
			// also exercise the plain truncate+write path.
			if strings.HasSuffix(s.name, "fault") {
				tmp := s.file + ".tmp"
				if err := os.WriteFile(tmp, []byte(s.content), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(tmp, s.file); err != nil {
					t.Fatal(err)
				}
			} else if err := os.WriteFile(s.file, []byte(s.content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if !rep.waitFor(s.instance, s.key, s.want, wait) {
			st, _ := rep.last(s.instance, s.key)
			t.Fatalf("%s: %s %s = %+v, want %+v", s.name, s.instance, s.key, st, s.want)
		}
	}
	if err := os.Remove(faulty); err != nil {
		t.Fatal(err)
	}
}

func TestTrackProcess(t *testing.T) {
	// A unique argument so no other sleep on the host matches.
	arg := fmt.Sprintf("%d", 100000+os.Getpid()%100000)
	cfg := load(t, fmt.Sprintf(`
vrrp_track_process tp {
	process sleep %s
	weight 20
}
vrrp_track_process tp_fault {
	process sleep %s
}
`, arg, arg)+instance("VI_1", 1, "track_process {\ntp\ntp_fault\n}"))
	rep := newFakeReporter()
	start(t, cfg, rep, Options{ScanInterval: 20 * time.Millisecond})
	if !rep.waitFor("VI_1", "process tp_fault", engine.TrackerState{Fault: true}, wait) {
		t.Fatalf("no fault without the process; calls %+v", rep.snapshot())
	}
	cmd := exec.Command("sleep", arg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL); _ = cmd.Wait() })
	if !rep.waitFor("VI_1", "process tp", engine.TrackerState{Weight: 20}, wait) ||
		!rep.waitFor("VI_1", "process tp_fault", engine.TrackerState{}, wait) {
		t.Fatalf("process start not seen; calls %+v", rep.snapshot())
	}
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()
	if !rep.waitFor("VI_1", "process tp", engine.TrackerState{}, wait) ||
		!rep.waitFor("VI_1", "process tp_fault", engine.TrackerState{Fault: true}, wait) {
		t.Fatalf("process stop not seen; calls %+v", rep.snapshot())
	}
}

// secureTempDir makes a temporary directory whose whole path is root-owned and not
// writable by others (t.TempDir is under the world-writable /tmp, which
// script.CheckSecure refuses).
func secureTempDir(t *testing.T) string {
	t.Helper()
	for _, base := range []string{"/run", "/root", "/var/lib"} {
		if _, err := script.CheckSecure(base, true); err != nil {
			continue
		}
		d, err := os.MkdirTemp(base, "gka-test-")
		if err != nil {
			continue
		}
		t.Cleanup(func() { os.RemoveAll(d) })
		if err := os.Chmod(d, 0o755); err != nil {
			t.Fatal(err)
		}
		return d
	}
	t.Skip("no root-owned directory without world-writable parents")
	return ""
}

func TestScriptsStatus(t *testing.T) {
	synctestRun(t, func(t *testing.T) {
		outcomes := []bool{true, false}
		runs := 0
		runner := func(ctx context.Context, c script.Command) (script.Result, error) {
			i := runs
			runs++
			time.Sleep(100 * time.Millisecond)
			if i < len(outcomes) && outcomes[i] {
				return script.Result{}, nil
			}
			return script.Result{ExitStatus: 1}, nil
		}
		cfg := load(t, `
vrrp_script chk {
	script "/bin/true"
	interval 1
	weight -10
}
`+instance("VI_1", 1, "track_script {\nchk\n}"))
		s, err := New(cfg, newFakeReporter(), Options{Runner: runner, Logger: quiet(t), Policy: &policy.Policy{Lookup: noUser}})
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		want := func(when string, good, running bool) {
			t.Helper()
			synctest.Wait()
			got := s.Scripts()
			if len(got) != 1 || got[0] != (ScriptStatus{Name: "chk", Good: good, Running: running}) {
				t.Errorf("%s: Scripts() = %+v, want chk good=%v running=%v", when, got, good, running)
			}
		}
		want("before start", false, false)
		s.Start(ctx)
		want("first run in progress", false, true)
		time.Sleep(150 * time.Millisecond)
		want("after a success", true, false)
		time.Sleep(time.Second)
		want("after a failure (fall 1)", false, false)
		cancel()
		s.Stop()
	})
}
