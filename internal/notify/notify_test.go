package notify

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
)

var update = flag.Bool("update", false, "rewrite golden files")

// wait bounds how long a broken test waits for real processes; not a timing assertion.
const wait = 10 * time.Second

func load(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, diags := config.LoadString("test.conf", src, config.LoadOptions{})
	if diags.Max() >= syntax.Error {
		t.Fatalf("config: %s", diags)
	}
	return cfg
}

func instance(name string, vrid int, extra string) string {
	return fmt.Sprintf(`vrrp_instance %s {
	interface eth0
	virtual_router_id %d
	priority 150
	virtual_ipaddress {
		198.51.100.%d/32
	}
	%s
}
`, name, vrid, vrid, extra)
}

func writeScript(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	return p
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(b []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(b)))
	return len(b), nil
}

func noUser(string, string) (*script.Credential, error) { return nil, fmt.Errorf("no such user") }

func newNotifier(t *testing.T, cfg *config.Config, opts Options) *Notifier {
	t.Helper()
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	if opts.Policy == nil {
		opts.Policy = &policy.Policy{Lookup: noUser}
	}
	n, err := New(cfg, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close(context.Background()) })
	return n
}

func tr(name string, group bool, to fsm.State, prio uint8) engine.Transition {
	return engine.Transition{Name: name, Group: group, To: to, Priority: prio}
}

func TestLine(t *testing.T) {
	tests := []struct {
		kind, name, state string
		prio              int
		want              string
	}{
		{KindInstance, "VI_1", StateMaster, 150, "INSTANCE \"VI_1\" MASTER 150\n"},
		{KindGroup, "SG", StateBackup, 0, "GROUP \"SG\" BACKUP 0\n"},
		{KindInstance, "VI 2", StateMasterRxLowerPri, 1, "INSTANCE \"VI 2\" MASTER_RX_LOWER_PRI 1\n"},
	}
	for _, tt := range tests {
		if got := string(Line(tt.kind, tt.name, tt.state, tt.prio)); got != tt.want {
			t.Errorf("Line = %q, want %q", got, tt.want)
		}
	}
}

// golden compares got with testdata/name, rewriting it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	p := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(p, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Errorf("%s mismatch:\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}

// TestFIFOLines replays keepalived 2.2.7's captured sequence (reference §1a.8.1) and
// checks the FIFO bytes exactly.
func TestFIFOLines(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "vrrp.fifo")
	cfg := load(t, fmt.Sprintf(`
global_defs {
	vrrp_notify_fifo %s
}
vrrp_sync_group SG {
	group {
		VI_1
		VI_2
	}
}
`, path)+instance("VI_1", 1, "")+instance("VI_2", 2, "notify_priority_changes"))
	n := newNotifier(t, cfg, Options{})
	fi, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if fi.Mode()&os.ModeNamedPipe == 0 || fi.Mode().Perm() != 0o644 {
		t.Errorf("fifo mode %v, want a named pipe with 0644", fi.Mode())
	}
	// The notifier holds the FIFO O_RDWR, so this open does not block.
	r, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	for _, ev := range []engine.Transition{
		tr("SG", true, fsm.StateBackup, 0),
		tr("VI_1", false, fsm.StateBackup, 150),
		tr("VI_2", false, fsm.StateMaster, 150),
		tr("VI_1", false, fsm.StateMaster, 150),
		tr("SG", true, fsm.StateMaster, 0),
		tr("VI_1", false, fsm.StateInit, 150), // INIT is not notified
	} {
		n.OnTransition(ev)
	}
	n.PriorityChanged("VI_2", 140, true)
	n.PriorityChanged("VI_1", 120, true) // no notify_priority_changes: no line
	n.MasterRxLowerPri("VI_2", 140)
	for _, ev := range []engine.Transition{
		tr("VI_1", false, fsm.StateStop, 150),
		tr("VI_2", false, fsm.StateStop, 140),
		tr("SG", true, fsm.StateStop, 0),
	} {
		n.OnTransition(ev)
	}
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	var got []byte
	buf := make([]byte, 4096)
	for {
		k, err := r.Read(buf)
		got = append(got, buf[:max(k, 0)]...)
		if err != nil || k == 0 {
			break
		}
	}
	golden(t, "fifo.golden", got)
}

// TestNotifyScriptsOrder checks that each instance's scripts run one after the other
// in event order, with the generic script's four arguments after the specific one.
func TestNotifyScriptsOrder(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	// Each script logs its start and end around a pause, so overlap would show.
	body := func(tag string) string {
		return fmt.Sprintf("echo \"start %s $*\" >> %s\nsleep 0.1\necho \"end %s\" >> %s", tag, log, tag, log)
	}
	master := writeScript(t, dir, "master.sh", body("master"))
	backup := writeScript(t, dir, "backup.sh", body("backup"))
	fault := writeScript(t, dir, "fault.sh", body("fault"))
	stop := writeScript(t, dir, "stop.sh", body("stop"))
	generic := writeScript(t, dir, "generic.sh", body("generic"))
	gnotify := writeScript(t, dir, "group.sh", fmt.Sprintf("echo \"group $*\" >> %s.group", log))
	cfg := load(t, fmt.Sprintf(`
vrrp_sync_group SG {
	group {
		VI_1
	}
	notify "%s arg"
}
`, gnotify)+instance("VI_1", 1, fmt.Sprintf(`notify_master "%s"
	notify_backup %s
	notify_fault %s
	notify_stop %s
	notify "%s first"`, master, backup, fault, stop, generic)))
	n := newNotifier(t, cfg, Options{})
	for _, ev := range []engine.Transition{
		tr("VI_1", false, fsm.StateBackup, 150),
		tr("VI_1", false, fsm.StateMaster, 150),
		tr("SG", true, fsm.StateMaster, 0),
		tr("VI_1", false, fsm.StateFault, 150),
		tr("VI_1", false, fsm.StateStop, 150),
	} {
		n.OnTransition(ev)
	}
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		"start backup ", "end backup", "start generic first INSTANCE VI_1 BACKUP 150", "end generic",
		"start master ", "end master", "start generic first INSTANCE VI_1 MASTER 150", "end generic",
		"start fault ", "end fault", "start generic first INSTANCE VI_1 FAULT 150", "end generic",
		"start stop ", "end stop", "start generic first INSTANCE VI_1 STOP 150", "end generic",
	}
	if got := strings.Split(strings.TrimSpace(string(b)), "\n"); !slices.Equal(got, want) {
		t.Errorf("script log:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	g, err := os.ReadFile(log + ".group")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.TrimSpace(string(g)); got != "group arg GROUP SG MASTER 0" {
		t.Errorf("group notify got %q", got)
	}
}

func TestDeleted(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "log")
	generic := writeScript(t, dir, "generic.sh", fmt.Sprintf("echo \"$*\" >> %s", log))
	cfg := load(t, instance("VI_1", 1, fmt.Sprintf("notify %s\n", generic))+
		instance("VI_2", 2, fmt.Sprintf("notify %s\nnotify_deleted\n", generic)))
	n := newNotifier(t, cfg, Options{})
	n.Deleted("VI_1", 150)
	n.Deleted("VI_2", 150)
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(log)
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	slices.Sort(lines)
	if want := []string{"INSTANCE VI_1 FAULT 150", "INSTANCE VI_2 DELETED 150"}; !slices.Equal(lines, want) {
		t.Errorf("got %q, want %q", lines, want)
	}
}

// TestFIFOScript starts the FIFO reader script, checks it receives the lines, and
// that Close sends it SIGTERM.
func TestFIFOScript(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "notify.fifo")
	out := filepath.Join(dir, "out")
	reader := writeScript(t, dir, "reader.sh", fmt.Sprintf(`trap 'echo TERM >> %s; exit 0' TERM
echo "fifo $1" >> %s
while :; do
	if read -r line; then echo "$line" >> %s; fi
done < "$1"`, out, out, out))
	cfg := load(t, fmt.Sprintf(`
global_defs {
	notify_fifo %s
	notify_fifo_script %s
}
`, path, reader)+instance("VI_1", 1, ""))
	n := newNotifier(t, cfg, Options{})
	n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	waitFile(t, out, "INSTANCE \"VI_1\" MASTER 150")
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		t.Fatal(err)
	}
	b, _ := os.ReadFile(out)
	want := "fifo " + path + "\nINSTANCE \"VI_1\" MASTER 150\nTERM\n"
	if string(b) != want {
		t.Errorf("reader saw %q, want %q", b, want)
	}
}

func waitFile(t *testing.T, path, sub string) {
	t.Helper()
	deadline := time.Now().Add(wait)
	for {
		b, _ := os.ReadFile(path)
		if strings.Contains(string(b), sub) {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s never contained %q (has %q)", path, sub, b)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestUnsafeNotifyScriptRefused(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: only scripts run as root are refused")
	}
	dir := filepath.Join(t.TempDir(), "ww")
	if err := os.Mkdir(dir, 0o777); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o777); err != nil { // world-writable: unsafe for root
		t.Fatal(err)
	}
	log := filepath.Join(dir, "log")
	bad := writeScript(t, dir, "bad.sh", fmt.Sprintf("echo ran >> %s", log))
	cfg := load(t, `
global_defs {
	enable_script_security
}
`+instance("VI_1", 1, fmt.Sprintf("notify_master %s\n", bad)))
	var logs syncBuf
	pol := policy.FromGlobal(&cfg.Global)
	pol.Lookup = noUser
	n := newNotifier(t, cfg, Options{Policy: &pol, Logger: slog.New(slog.NewTextHandler(&logs, nil))})
	n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	if err := n.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(log); err == nil {
		t.Error("the unsafe script ran")
	}
	for _, w := range []string{"Unsafe permissions found for script", "Disabling notify script " + bad + " due to insecure"} {
		if !strings.Contains(logs.String(), w) {
			t.Errorf("log lacks %q:\n%s", w, logs.String())
		}
	}
}

type syncBuf struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuf) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuf) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// smtpServer is a tiny SMTP server on loopback that records the dialogue.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	log  strings.Builder
	done chan struct{}
}

func startSMTP(t *testing.T) *smtpServer {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln, done: make(chan struct{})}
	t.Cleanup(func() { ln.Close() })
	go s.serve()
	return s
}

func (s *smtpServer) record(dir, line string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.log.WriteString(dir + " " + line + "\n")
}

func (s *smtpServer) serve() {
	c, err := s.ln.Accept()
	if err != nil {
		return
	}
	defer close(s.done)
	defer c.Close()
	r := bufio.NewReader(c)
	say := func(l string) {
		s.record("S:", l)
		fmt.Fprintf(c, "%s\r\n", l)
	}
	say("220 test ESMTP")
	data := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		if !strings.HasSuffix(line, "\r\n") {
			s.record("C:", "BARE LF: "+line)
		}
		line = strings.TrimSuffix(line, "\r\n")
		s.record("C:", line)
		switch {
		case data && line == ".":
			data = false
			say("250 2.0.0 queued")
		case data:
		case strings.HasPrefix(line, "HELO "):
			say("250-test greets you")
			say("250 ok") // multi-line reply on purpose
		case strings.HasPrefix(line, "MAIL FROM:"), strings.HasPrefix(line, "RCPT TO:"):
			say("250 ok")
		case line == "DATA":
			data = true
			say("354 go ahead")
		case line == "QUIT":
			say("221 bye")
			return
		default:
			say("500 what")
		}
	}
}

func TestSMTPAlert(t *testing.T) {
	srv := startSMTP(t)
	host, port, _ := net.SplitHostPort(srv.ln.Addr().String())
	cfg := load(t, fmt.Sprintf(`
global_defs {
	router_id lb1
	notification_email {
		ops@example.com
		noc@example.com
	}
	notification_email_from keepalived@lb1.example.com
	smtp_server %s %s
	smtp_helo_name lb1.example.com
	smtp_connect_timeout 5
}
`, host, port)+instance("VI_1", 1, "smtp_alert"))
	date := time.Date(2026, 11, 22, 19, 30, 0, 0, time.FixedZone("", 3600))
	n := newNotifier(t, cfg, Options{Now: func() time.Time { return date }})
	n.OnTransition(tr("VI_1", false, fsm.StateMaster, 150))
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := n.Close(ctx); err != nil {
		t.Fatal(err)
	}
	select {
	case <-srv.done:
	case <-ctx.Done():
		t.Fatal("no SMTP session")
	}
	srv.mu.Lock()
	got := srv.log.String()
	srv.mu.Unlock()
	golden(t, "smtp.golden", []byte(got))
}

func TestParseReplyLine(t *testing.T) {
	tests := []struct {
		in         string
		code       int
		last, fail bool
	}{
		{"220 hi\r\n", 220, true, false},
		{"250-more\r\n", 250, false, false},
		{"354", 354, true, false},
		{"25", 0, false, true},
		{"abc def", 0, false, true},
		{"999 no", 0, false, true},
	}
	for _, tt := range tests {
		code, last, err := ParseReplyLine(tt.in)
		if (err != nil) != tt.fail || code != tt.code || last != tt.last {
			t.Errorf("ParseReplyLine(%q) = %d %v %v", tt.in, code, last, err)
		}
	}
}

func FuzzParseReplyLine(f *testing.F) {
	for _, s := range []string{"220 ok\r\n", "250-x", "", "5", "000 z", "599-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, _, err := ParseReplyLine(s)
		if err == nil && (code < 100 || code > 599) {
			t.Fatalf("code %d accepted", code)
		}
	})
}
