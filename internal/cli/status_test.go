package cli

import (
	"bytes"
	"encoding/json"
	"net"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// socketPath returns a path for a Unix socket in a fresh temporary directory, short enough for
// sun_path (108 bytes) even when t.TempDir's name is long.
func socketPath(t *testing.T) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), "s.sock")
	if len(p) < 100 {
		return p
	}
	dir, err := os.MkdirTemp("", "gks")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	return filepath.Join(dir, "s.sock")
}

// fakeDaemon serves body at GET /status on a Unix socket, as the daemon's control socket does,
// and returns the socket path.
func fakeDaemon(t *testing.T, code int, body []byte) string {
	t.Helper()
	sock := socketPath(t)
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/status" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(code)
		w.Write(body)
	}))
	srv.Listener.Close()
	srv.Listener = l
	srv.Start()
	t.Cleanup(srv.Close)
	return sock
}

// statusTestReport is a small report; Started is left zero so the text does not depend on the
// clock.
func statusTestReport() status.Report {
	return status.Report{
		Version: status.FormatVersion,
		Daemon:  status.Daemon{PID: 77, Version: "test", ConfigFile: "/etc/keepalived/keepalived.conf", VRRP: true},
		VRRP: []engine.InstanceStatus{{
			Name: "VI_1", VRID: 51, Interface: "eth0", State: "BACKUP", Priority: 90, BasePriority: 100,
			Master: netip.MustParseAddr("198.51.100.1"), MasterPriority: 200, VIPs: []string{"203.0.113.1/32"},
		}},
		Scripts: []status.Script{{Name: "chk", Status: status.ScriptGood, State: status.ScriptIdle}},
	}
}

func marshal(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestStatusText(t *testing.T) {
	r := statusTestReport()
	sock := fakeDaemon(t, http.StatusOK, marshal(t, r))
	code, out, errOut := run(t, Env{}, "status", "--socket", sock)
	if code != ExitOK || errOut != "" {
		t.Fatalf("code %d stderr %q; want 0 and nothing", code, errOut)
	}
	var want bytes.Buffer
	if err := status.Render(&want, r, time.Now()); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Errorf("stdout:\n%s\nwant status.Render of the served report:\n%s", out, want.String())
	}
	if !strings.Contains(out, "198.51.100.1 prio 200") {
		t.Errorf("the served report is not what was rendered:\n%s", out)
	}
}

func TestStatusJSON(t *testing.T) {
	served := marshal(t, statusTestReport())
	sock := fakeDaemon(t, http.StatusOK, served)
	code, out, errOut := run(t, Env{}, "status", "--json", "--socket="+sock)
	if code != ExitOK || errOut != "" {
		t.Fatalf("code %d stderr %q; want 0 and nothing", code, errOut)
	}
	var want bytes.Buffer
	if err := json.Indent(&want, served, "", "  "); err != nil {
		t.Fatal(err)
	}
	if out != want.String()+"\n" {
		t.Errorf("stdout:\n%s\nwant the served body indented:\n%s", out, want.String())
	}
}

// A newer daemon's report (another format version) is still printed with --json, since the
// reader of JSON checks "version" itself; the text view refuses it.
func TestStatusOtherVersion(t *testing.T) {
	sock := fakeDaemon(t, http.StatusOK, []byte(`{"version":99,"daemon":{"pid":1}}`))
	code, out, errOut := run(t, Env{}, "status", "--json", "--socket", sock)
	if code != ExitOK || !strings.Contains(out, `"version": 99`) || !strings.Contains(errOut, "format version 99") {
		t.Errorf("--json: code %d stdout %q stderr %q; want 0, the body and a warning", code, out, errOut)
	}
	code, out, errOut = run(t, Env{}, "status", "--socket", sock)
	if code != ExitStatusUnknown || out != "" || !strings.Contains(errOut, "format version 99") {
		t.Errorf("text: code %d stdout %q stderr %q; want 4 and the version named", code, out, errOut)
	}
}

func TestStatusBadAnswer(t *testing.T) {
	tests := []struct {
		name    string
		code    int
		body    string
		args    []string
		wantErr []string
	}{
		{"garbage", http.StatusOK, "not json{", nil, []string{"bad status report"}},
		{"garbage json flag", http.StatusOK, "not json{", []string{"--json"}, []string{"not JSON"}},
		{"truncated", http.StatusOK, `{"version":1,"daemon":`, nil, []string{"bad status report"}},
		{"http error", http.StatusInternalServerError, "snapshot failed", nil, []string{"answered with an error", "500", "snapshot failed"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sock := fakeDaemon(t, tt.code, []byte(tt.body))
			code, out, errOut := run(t, Env{}, append([]string{"status", "--socket", sock}, tt.args...)...)
			if code != ExitStatusUnknown || out != "" {
				t.Errorf("code %d stdout %q; want %d and nothing", code, out, ExitStatusUnknown)
			}
			for _, s := range append(tt.wantErr, sock) {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr %q lacks %q", errOut, s)
				}
			}
		})
	}
}

func TestStatusUnreachable(t *testing.T) {
	missing := filepath.Join(t.TempDir(), "none.sock")

	// A socket file nobody listens on, as a crashed daemon leaves behind.
	stale := socketPath(t)
	l, err := net.ListenUnix("unix", &net.UnixAddr{Name: stale, Net: "unix"})
	if err != nil {
		t.Fatal(err)
	}
	l.SetUnlinkOnClose(false)
	l.Close()

	tests := []struct {
		name    string
		args    []string
		wantErr []string
	}{
		{"missing", []string{"--socket", missing}, []string{missing, "is gokeepalived running?"}},
		{"stale", []string{"--socket", stale}, []string{stale, "connection refused", "no longer running"}},
		// Without --socket the default path is used, and the message says how to choose another.
		{"instance", []string{"--instance", "no-such-test-instance"}, []string{
			"/run/keepalived/gokeepalived_no-such-test-instance.sock", "is gokeepalived running?"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, Env{}, append([]string{"status"}, tt.args...)...)
			if code != ExitNotRunning || out != "" {
				t.Errorf("code %d stdout %q; want %d and nothing", code, out, ExitNotRunning)
			}
			for _, s := range append(tt.wantErr, "cannot reach the daemon") {
				if !strings.Contains(errOut, s) {
					t.Errorf("stderr %q lacks %q", errOut, s)
				}
			}
		})
	}
}

func TestStatusDefaultSocketHint(t *testing.T) {
	// The default socket may exist on a machine running gokeepalived; the hint is only checked
	// when it does not.
	if _, err := os.Stat("/run/gokeepalived.sock"); err == nil {
		t.Skip("a daemon's socket exists at /run/gokeepalived.sock")
	}
	code, _, errOut := run(t, Env{}, "status")
	if code != ExitNotRunning || !strings.Contains(errOut, "/run/gokeepalived.sock") ||
		!strings.Contains(errOut, "--instance NAME, or --socket PATH") {
		t.Errorf("code %d stderr %q; want 3, the default path and the --socket hint", code, errOut)
	}
}

func TestStatusCommandLine(t *testing.T) {
	tests := []struct {
		name         string
		args         []string
		code         int
		stdoutPrefix string
		stderrPrefix string
	}{
		{"help", []string{"status", "--help"}, ExitOK, "Usage: gokeepalived status", ""},
		{"short help", []string{"status", "-h"}, ExitOK, "Usage: gokeepalived status", ""},
		{"bad flag", []string{"status", "--bogus"}, ExitUsage, "", "gokeepalived status: unknown flag: --bogus\nUsage: gokeepalived status"},
		{"missing value", []string{"status", "--socket"}, ExitUsage, "", "gokeepalived status: flag needs an argument"},
		{"keepalived flag", []string{"status", "-n"}, ExitUsage, "", "gokeepalived status: unknown shorthand flag: 'n'"},
		{"stray word", []string{"status", "now"}, ExitUsage, "", `gokeepalived status: unexpected argument(s): ["now"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := run(t, Env{}, tt.args...)
			if code != tt.code || !strings.HasPrefix(out, tt.stdoutPrefix) || !strings.HasPrefix(errOut, tt.stderrPrefix) {
				t.Errorf("code %d stdout %.60q stderr %.100q; want %d %q... %q...", code, out, errOut, tt.code, tt.stdoutPrefix, tt.stderrPrefix)
			}
			if tt.stdoutPrefix == "" && out != "" {
				t.Errorf("stdout %q, want nothing", out)
			}
		})
	}
}

// "status" is a subcommand only as the first word; elsewhere it stays the stray operand keepalived
// would ignore, so existing command lines keep their meaning.
func TestStatusOnlyAsFirstWord(t *testing.T) {
	var got *Options
	code, _, errOut := run(t, Env{Daemon: func(o *Options) int { got = o; return 0 }}, "-n", "status")
	if code != 0 || got == nil || !strings.Contains(errOut, "Unexpected argument(s): status") {
		t.Errorf("-n status: code %d options %+v stderr %q; want the daemon with a stray operand", code, got, errOut)
	}
	_, _, errOut = run(t, Env{}, "-h")
	if !strings.Contains(errOut, "gokeepalived status [--socket PATH]") {
		t.Errorf("--help does not mention the status subcommand:\n%s", errOut)
	}
}
