package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// run runs the command line with captured output and a fixed default config-id.
func run(t *testing.T, env Env, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	env.Stdout, env.Stderr = &o, &e
	if env.ConfigID == nil {
		env.ConfigID = func() string { return "node1" }
	}
	code = Run(args, env)
	return code, o.String(), e.String()
}

// writeConf writes a configuration file in a temporary directory and returns its path.
func writeConf(t *testing.T, text string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "keepalived.conf")
	if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRunTerminalOptions(t *testing.T) {
	tests := []struct {
		args                 []string
		code                 int
		stdout, stderrPrefix string
	}{
		{[]string{"--signum=STOP"}, 0, "15\n", ""},
		{[]string{"--signum=RELOAD"}, 0, "1\n", ""},
		{[]string{"--signum=DATA"}, 0, "10\n", ""},
		{[]string{"--signum=STATS"}, 0, "12\n", ""},
		{[]string{"--signum=STATS_CLEAR"}, 0, "63\n", ""},
		{[]string{"--signum=JSON"}, 0, "36\n", ""},
		{[]string{"--signum=TDUMP"}, 0, "64\n", ""},
		{[]string{"--signum=FOO"}, 1, "", "Unknown sigfunc FOO\n"},
		{[]string{"-v"}, 0, "", "Keepalived v2.2.7 (gokeepalived "},
		{[]string{"-h"}, 0, "", "Usage: gokeepalived [OPTION...]\n"},
		// keepalived acts on whichever of -v/-h/--signum comes first.
		{[]string{"-h", "-v"}, 0, "", "Usage:"},
		{[]string{"-v", "-h"}, 0, "", "Keepalived v2.2.7 (gokeepalived "},
		{[]string{"-Z"}, 1, "", "Unknown option -Z\nUsage:"},
		{[]string{"--bogus", "-f"}, 1, "", "Unknown option --bogus\nMissing parameter for option -f\nUsage:"},
	}
	for _, tt := range tests {
		code, out, errOut := run(t, Env{}, tt.args...)
		if code != tt.code || out != tt.stdout || !strings.HasPrefix(errOut, tt.stderrPrefix) {
			t.Errorf("%q: code %d stdout %q stderr %.60q; want %d %q %q...", tt.args, code, out, errOut, tt.code, tt.stdout, tt.stderrPrefix)
		}
	}
}

func TestUsageListsEveryOption(t *testing.T) {
	_, _, errOut := run(t, Env{}, "-h")
	for _, o := range options {
		if !strings.Contains(errOut, "--"+o.long) {
			t.Errorf("usage does not mention --%s", o.long)
		}
	}
	if !strings.Contains(errOut, "--snmp                   Enable SNMP subsystem [not built yet]") {
		t.Errorf("usage does not mark SNMP as not built:\n%s", errOut)
	}
}

func TestRunDaemon(t *testing.T) {
	code, _, errOut := run(t, Env{}, "-n", "-D")
	if code != 1 || !strings.Contains(errOut, "daemon is not built yet") {
		t.Errorf("no daemon: code %d stderr %q; want 1 and a not-built message", code, errOut)
	}
	var got *Options
	code, _, errOut = run(t, Env{Daemon: func(o *Options) int { got = o; return 7 }}, "-n", "-f", "/x.conf", "stray")
	if code != 7 || got == nil || !got.DontFork || got.ConfigFile != "/x.conf" || got.ConfigID != "node1" {
		t.Errorf("daemon hook: code %d options %+v", code, got)
	}
	if !strings.Contains(errOut, "Unexpected argument(s): stray") {
		t.Errorf("stray operand not reported: %q", errOut)
	}
	code, _, errOut = run(t, Env{Daemon: func(*Options) int { return 0 }}, "-x", "-n")
	if code != 0 || !strings.Contains(errOut, "gokeepalived: -x/--snmp: SNMP is not built yet; option ignored") {
		t.Errorf("-x: code %d stderr %q", code, errOut)
	}
	// -T is genhash's mode of its own (genhash.go): the daemon is not started.
	called := false
	code, _, errOut = run(t, Env{Daemon: func(*Options) int { called = true; return 0 }}, "-T")
	if code != 1 || called || !strings.Contains(errOut, "Usage: gokeepalived --genhash") {
		t.Errorf("-T: code %d daemon called %v stderr %.80q", code, called, errOut)
	}
}

func TestConfigTest(t *testing.T) {
	good := writeConf(t, "global_defs {\n  router_id r1\n}\n")
	bad := writeConf(t, "global_defs {\n  router_id r1\n  no_such_keyword 1\n}\n")
	cond := writeConf(t, "@node1 no_such_keyword_a\n@other no_such_keyword_b\n")
	missing := filepath.Join(t.TempDir(), "absent.conf")

	tests := []struct {
		name string
		args []string
		code int
		want []string // substrings of the diagnostics output
		not  []string
	}{
		{"clean", []string{"-t", "-f", good}, 0, nil, []string{"warning", "error"}},
		{"unknown keyword", []string{"-t", "-f", bad}, 5, []string{bad + ":3: warning: unknown keyword 'no_such_keyword'"}, nil},
		{"missing file", []string{"-t", "-f", missing}, 4, []string{"fatal"}, nil},
		{"default config-id", []string{"-t", "-f", cond}, 5, []string{"no_such_keyword_a"}, []string{"no_such_keyword_b"}},
		{"-i", []string{"-t", "-i", "other", "-f", cond}, 5, []string{"no_such_keyword_b"}, []string{"no_such_keyword_a"}},
		{"-t LOGFILE swallows the rest of the cluster", []string{"-td", "-f", bad}, 5, nil, []string{"no_such_keyword"}},
		{"long form", []string{"--config-test", "--use-file=" + bad}, 5, []string{"no_such_keyword"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if strings.Contains(tt.name, "config-id") || tt.name == "-i" {
				skipWithoutConditionals(t)
			}
			if strings.Contains(tt.name, "LOGFILE") {
				t.Chdir(t.TempDir()) // the log file "d" lands there
			}
			code, out, errOut := run(t, Env{}, tt.args...)
			if code != tt.code {
				t.Errorf("exit %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			if out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(errOut, w) {
					t.Errorf("stderr has %q:\n%s", w, errOut)
				}
			}
		})
	}
}

// skipWithoutConditionals skips end-to-end '@id' tests while the syntax package does not have
// conditional lines yet; TestLoadOptions covers the command-line side regardless.
func skipWithoutConditionals(t *testing.T) {
	t.Helper()
	_, diags := config.LoadString("probe", "@zz bogus\n", config.LoadOptions{Syntax: syntax.Options{ConfigID: "other"}})
	if len(diags) > 0 {
		t.Skip("config/syntax does not handle @id conditional lines yet")
	}
}

func TestLoadOptions(t *testing.T) {
	o, err := Parse([]string{"-e", "-i", "high"}, "node1")
	if err != nil {
		t.Fatal(err)
	}
	lo := LoadOptions(o)
	if lo.Syntax.ConfigID != "high" || !lo.Syntax.AllConfig {
		t.Errorf("LoadOptions = %+v, want config-id high and all-config", lo)
	}
	o, _ = Parse(nil, "node1")
	if lo := LoadOptions(o); lo.Syntax.ConfigID != "node1" || lo.Syntax.AllConfig {
		t.Errorf("LoadOptions(defaults) = %+v, want config-id node1", lo)
	}
}

func TestConfigTestLogFile(t *testing.T) {
	bad := writeConf(t, "bogus_top_level\n")
	log := filepath.Join(t.TempDir(), "test.log")
	code, _, errOut := run(t, Env{}, "-t"+log, "-f", bad)
	if code != 5 || errOut != "" {
		t.Errorf("exit %d stderr %q; want 5 and nothing on stderr", code, errOut)
	}
	b, err := os.ReadFile(log)
	if err != nil || !strings.Contains(string(b), bad+":1: warning: unknown keyword 'bogus_top_level'") {
		t.Errorf("log file %q (%v) lacks the diagnostic", b, err)
	}
	code, _, errOut = run(t, Env{}, "-t/nonexistent-dir/x.log", "-f", bad)
	if code != 1 || !strings.Contains(errOut, "Unable to open config-test log file") {
		t.Errorf("unwritable log: exit %d stderr %q", code, errOut)
	}
}

func TestDumpCommand(t *testing.T) {
	conf := writeConf(t, "global_defs {\n  router_id \"edge one\"\n}\n")
	code, out, errOut := run(t, Env{}, "-d", "-f", conf)
	if code != 0 || !strings.Contains(out, "RouterID: \"edge one\"\n") {
		t.Errorf("-d: exit %d stdout %q stderr %q", code, out, errOut)
	}
	code, out, _ = run(t, Env{}, "-d", "--json", "-f", conf)
	var doc map[string]any
	if err := json.Unmarshal([]byte(out), &doc); code != 0 || err != nil {
		t.Fatalf("--json: exit %d, invalid JSON (%v):\n%s", code, err, out)
	}
	g, _ := doc["Global"].(map[string]any)
	if g["RouterID"] != "edge one" {
		t.Errorf("--json Global.RouterID = %v, want \"edge one\"", g["RouterID"])
	}
	// -t and -d together: diagnostics and exit code of the test, dump on stdout.
	// (-td would be -t with log file "d", as with getopt.)
	code, out, _ = run(t, Env{}, "-dt", "-f", conf)
	if code != 0 || !strings.Contains(out, "RouterID:") {
		t.Errorf("-dt: exit %d stdout %q", code, out)
	}
	code, _, _ = run(t, Env{}, "-d", "-f", filepath.Join(t.TempDir(), "none"))
	if code != 4 {
		t.Errorf("-d missing file: exit %d, want 4", code)
	}
}
