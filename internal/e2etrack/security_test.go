package e2etrack

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestScriptSecurityRefusesUnsafe: with enable_script_security, scripts in
// a world-writable, non-sticky directory would run as root, so keepalived
// refuses them with "Unsafe permissions found for script '…' - disabling."
// The track script is dropped (the instance still becomes MASTER), the
// unsafe notify script never runs, and a safe notify script still does.
func TestScriptSecurityRefusesUnsafe(t *testing.T) {
	t.Parallel()
	l := newLab(t)
	vip := netip.MustParseAddr("198.51.100.107")
	bad := filepath.Join(l.dir, "bad")
	if err := os.Mkdir(bad, 0o777); err != nil {
		t.Fatal(err)
	}
	// Mkdir is subject to the umask; the point is the mode.
	if err := os.Chmod(bad, 0o777); err != nil {
		t.Fatal(err)
	}
	marker := filepath.Join(l.dir, "ran")
	chk := writeScript(t, bad, "chk.sh", fmt.Sprintf("echo chk >> %s\nexit 0\n", marker))
	notifyBad := writeScript(t, bad, "notify.sh", fmt.Sprintf("echo notify >> %s\n", marker))
	good := writeScript(t, l.dir, "good.sh", fmt.Sprintf("echo \"$@\" >> %s\n", filepath.Join(l.dir, "good")))
	top := fmt.Sprintf("vrrp_script chk_bad {\n    script \"%s\"\n    interval 0.2\n}\n", chk)
	d0 := startDaemon(t, l.r[0].NS, l.dir, "r0", conf("r0", nil, top, inst{name: "VI_1", vrid: 58, priority: 150, vip: vip.String() + "/24", extra: []string{
		"track_script {\n        chk_bad\n    }",
		fmt.Sprintf(`notify_master "%s"`, notifyBad),
		fmt.Sprintf(`notify "%s generic"`, good),
	}}))
	d0.mustLog(0, fmt.Sprintf("Unsafe permissions found for script '%s' - disabling.", chk), 5*time.Second)
	d0.mustLog(0, "Disabling track script chk_bad due to insecure", time.Second)
	d0.mustLog(0, fmt.Sprintf("Unsafe permissions found for script '%s' - disabling.", notifyBad), time.Second)
	waitAddr(t, l.r[0].NS, "eth0", vip, true, 5*time.Second)
	if poll(2*time.Second, func() bool {
		b, _ := os.ReadFile(filepath.Join(l.dir, "good"))
		return strings.Contains(string(b), "generic INSTANCE VI_1 MASTER 150")
	}).IsZero() {
		t.Error("the safe generic notify script did not run for MASTER")
	}
	// Several script intervals have passed: neither unsafe script ran.
	time.Sleep(400 * time.Millisecond)
	if b, err := os.ReadFile(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("an unsafe script ran as root: %q", b)
	}
}

// TestConfigTestScriptSecurityExit6: `gokeepalived -t` on a configuration
// whose scripts would run without enable_script_security must report
// keepalived's "SECURITY VIOLATION - scripts are being executed but
// script_security not enabled." and exit 6 (keepalived's config test).
func TestConfigTestScriptSecurityExit6(t *testing.T) {
	requireBinary(t)
	dir := scriptDir(t)
	chk := writeScript(t, dir, "chk.sh", "exit 0\n")
	c := fmt.Sprintf(`global_defs {
    router_id r0
}
vrrp_script chk {
    script "%s"
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 59
    priority 100
    track_script {
        chk
    }
    virtual_ipaddress {
        198.51.100.108/24
    }
}
`, chk)
	path := filepath.Join(dir, "k.conf")
	if err := os.WriteFile(path, []byte(c), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.CommandContext(context.Background(), gkBin, "-t", "-f", path).CombinedOutput()
	var ee *exec.ExitError
	code := 0
	if errors.As(err, &ee) {
		code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	if code != 6 || !strings.Contains(string(out), "SECURITY VIOLATION - scripts are being executed but script_security not enabled.") {
		t.Errorf("gokeepalived -t: exit %d, output %q; want exit 6 and the SECURITY VIOLATION line", code, out)
	}
}

// TestDaemonScriptSecurityWarning: keepalived still runs scripts without
// enable_script_security, but logs "SECURITY VIOLATION - scripts are being
// executed but script_security not enabled." once at start-up.
func TestDaemonScriptSecurityWarning(t *testing.T) {
	t.Parallel()
	requireBinary(t)
	a, _ := nettest.NewVethPair(t)
	dir := scriptDir(t)
	ran := filepath.Join(dir, "ran")
	chk := writeScript(t, dir, "chk.sh", fmt.Sprintf("touch %s\nexit 0\n", ran))
	c := fmt.Sprintf(`global_defs {
    router_id r0
}
vrrp_script chk {
    script "%s"
    interval 0.2
}
vrrp_instance VI_1 {
    state BACKUP
    interface eth0
    virtual_router_id 59
    priority 100
    version 3
    advert_int 0.1
    track_script {
        chk
    }
    virtual_ipaddress {
        198.51.100.108/24
    }
}
`, chk)
	d := startDaemon(t, a.NS, dir, "r0", c)
	// The script runs (as root, keepalived's fallback user) ...
	if poll(3*time.Second, func() bool { _, err := os.Stat(ran); return err == nil }).IsZero() {
		t.Fatal("the script never ran without enable_script_security")
	}
	// ... and the operator is warned.
	d.mustLog(0, "SECURITY VIOLATION - scripts are being executed but script_security not enabled.", time.Second)
}
