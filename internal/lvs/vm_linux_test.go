//go:build linux

package lvs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// vmChecks are the guest's checks (internal/lvs/vmtest); each must report PASS.
var vmChecks = []string{
	"open", "info", "errno parity with ipvstest.Memory", "start", "initial table", "service and tunnel attributes", "lvs_timeouts",
	"traffic and stats", "server down removed", "quorum lost, sorry server", "restart listeners",
	"quorum regained", "reload one weight = one update", "reload table", "identical reload = no operation",
	"sync daemon", "stop", "stop table",
}

// TestIPVSInVM boots a Debian kernel with IPVS under qemu and runs internal/lvs/vmtest in it: the
// real netlink client and manager against the real kernel, cross-checked with ipvsadm. The host
// kernel has no IPVS, hence the VM. It needs root (for the cache directory and apt-get download)
// and fails, rather than skips, when qemu or the kernel cannot be obtained, so that CI really runs
// it. scripts/install-deps.sh installs what it needs; docs/lvs.md describes it.
func TestIPVSInVM(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root")
	}
	start := time.Now()
	cache := os.Getenv("GOKEEPALIVED_IPVS_VM_CACHE")
	if cache == "" {
		cache = "/var/cache/gokeepalived-ipvs-vm"
	}
	qemu, err := exec.LookPath("qemu-system-x86_64")
	if err != nil {
		t.Fatalf("qemu-system-x86_64 not found (run scripts/install-deps.sh): %v", err)
	}

	// The kernel and the base initramfs (cached by kernel version).
	out, err := exec.Command("../../scripts/ipvs-vm/prepare.sh", cache).Output()
	if err != nil {
		stderr := ""
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("prepare.sh: %v\n%s", err, stderr)
	}
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	dir := lines[len(lines)-1]
	prepared := time.Since(start)

	// The guest program, static, appended as a second cpio archive.
	tmp := t.TempDir()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not found: %v", err)
	}
	build := exec.Command(gobin, "build", "-trimpath", "-o", filepath.Join(tmp, "root", "vmtest"), "./vmtest")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build guest: %v\n%s", err, b)
	}
	cp := exec.Command("cpio", "-o", "-H", "newc", "--quiet")
	cp.Dir = filepath.Join(tmp, "root")
	cp.Stdin = strings.NewReader("vmtest\n")
	archive, err := cp.Output()
	if err != nil {
		t.Fatalf("cpio: %v", err)
	}
	base, err := os.ReadFile(filepath.Join(dir, "base.cpio.gz"))
	if err != nil {
		t.Fatal(err)
	}
	var initrd bytes.Buffer
	initrd.Write(base)
	zw, _ := gzip.NewWriterLevel(&initrd, gzip.BestSpeed)
	zw.Write(archive)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	initrdPath := filepath.Join(tmp, "initrd.gz")
	if err := os.WriteFile(initrdPath, initrd.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}

	// Boot; TCG because the host's /dev/kvm hangs stock kernels (reference ipvs-vm.md).
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, qemu, "-accel", "tcg", "-cpu", "qemu64", "-M", "pc", "-m", "256", "-smp", "1",
		"-nographic", "-nodefaults", "-serial", "stdio", "-nic", "none", "-no-reboot",
		"-kernel", filepath.Join(dir, "vmlinuz"), "-initrd", initrdPath,
		"-append", "console=ttyS0 quiet loglevel=3 panic=-1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("start qemu: %v", err)
	}
	t.Cleanup(func() {
		cancel()
		if cmd.ProcessState == nil {
			cmd.Process.Kill() // by PID, never by name
			cmd.Wait()
		}
	})

	passed := map[string]bool{}
	done := regexp.MustCompile(`^VMTEST DONE pass=(\d+) fail=(\d+)$`)
	var sawDone bool
	var console []string
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := strings.TrimRight(strings.ReplaceAll(sc.Text(), "\r", ""), " ")
		if i := strings.Index(line, "VMTEST "); i > 0 {
			line = line[i:] // the first line follows the BIOS's escape sequences
		}
		console = append(console, line)
		switch {
		case strings.HasPrefix(line, "VMTEST PASS "):
			passed[strings.TrimPrefix(line, "VMTEST PASS ")] = true
		case strings.HasPrefix(line, "VMTEST FAIL "):
			t.Errorf("guest: %s", strings.TrimPrefix(line, "VMTEST FAIL "))
		case strings.HasPrefix(line, "VMTEST INFO "):
			t.Logf("guest: %s", strings.TrimPrefix(line, "VMTEST INFO "))
		case done.MatchString(line):
			sawDone = true
		}
	}
	werr := cmd.Wait()
	if !sawDone {
		t.Fatalf("the guest did not finish (qemu: %v, context: %v); console:\n%s", werr, ctx.Err(), strings.Join(console, "\n"))
	}
	for _, c := range vmChecks {
		if !passed[c] {
			t.Errorf("check %q did not pass", c)
		}
	}
	t.Logf("prepare %v, total %v (kernel and initramfs in %s)", prepared.Round(time.Millisecond), time.Since(start).Round(time.Millisecond), dir)
}
