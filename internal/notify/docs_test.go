package notify

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestDocExample loads the example of docs/notify.md and checks what it configures,
// so the page cannot drift from the code.
func TestDocExample(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "docs", "notify.md"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile("(?s)```\n(.*?)```").FindSubmatch(b)
	if m == nil {
		t.Fatal("no example block in docs/notify.md")
	}
	fifo := filepath.Join(t.TempDir(), "vrrp.fifo")
	src := strings.ReplaceAll(string(m[1]), "/run/keepalived/vrrp.fifo", fifo)
	cfg := load(t, src)
	in := cfg.Instance("VI_1")
	if in.Notify.Master.Command != "/etc/keepalived/master.sh --verbose" || len(in.Notify.Master.Args) != 2 {
		t.Errorf("notify_master = %+v", in.Notify.Master)
	}
	// The scripts do not exist here; New disables them and still opens the FIFO.
	n := newNotifier(t, cfg, Options{})
	tg := n.targets["INSTANCE VI_1"]
	if tg == nil || !tg.sc.smtp || !tg.sc.prioChanges {
		t.Fatalf("VI_1 target %+v, want smtp_alert and notify_priority_changes", tg)
	}
	if n.mail == nil || n.mail.Server != "127.0.0.1:25" || n.mail.From != "keepalived@lb1.example.com" {
		t.Errorf("mail template %+v", n.mail)
	}
	if n.targets["GROUP SG"] == nil {
		t.Error("no queue for the sync group")
	}
	if fi, err := os.Stat(fifo); err != nil || fi.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("fifo not created: %v", err)
	}
}
