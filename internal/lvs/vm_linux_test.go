//go:build linux

package lvs

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"debug/elf"
	"fmt"
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
	// The daemon scenario (vmtest/daemon.go): the real gokeepalived with its own checkers.
	"daemon start", "daemon initial table", "daemon HTTP_GET server down removed, TCP_CHECK inhibited server weight 0",
	"daemon quorum lost, sorry server", "daemon quorum regained", "daemon traffic and stats", "daemon VRRP MASTER",
	"daemon reload one weight (SIGHUP) = one update", "daemon reload table", "daemon reload keeps the other entries (counters)",
	"daemon identical reload = no operation", "daemon SIGTERM exit", "daemon SIGTERM table", "daemon SIGTERM cleanup",
	"daemon log has no errors", "daemon -I keeps IPVS at SIGTERM",
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

	// The guest program and the daemon, static, appended as a second cpio archive.
	tmp := t.TempDir()
	gobin, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("go not found: %v", err)
	}
	build := exec.Command(gobin, "build", "-trimpath", "-ldflags=-s -w", "-o", filepath.Join(tmp, "root")+"/", "./vmtest", "../../cmd/gokeepalived")
	build.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH=amd64")
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build guest: %v\n%s", err, b)
	}
	built := time.Since(start)
	// Issue #7 asks for a static gokeepalived: the guest has ipvsadm's libc, so a dynamic one
	// could run there and hide a cgo dependency.
	if err := isStatic(filepath.Join(tmp, "root", "gokeepalived")); err != nil {
		t.Fatal(err)
	}
	cp := exec.Command("cpio", "-o", "-H", "newc", "--quiet")
	cp.Dir = filepath.Join(tmp, "root")
	cp.Stdin = strings.NewReader("vmtest\ngokeepalived\n")
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
	var booted, daemonAt time.Duration // since start: the guest's first line, the daemon scenario's first
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		line := strings.TrimRight(strings.ReplaceAll(sc.Text(), "\r", ""), " ")
		if i := strings.Index(line, "VMTEST "); i > 0 {
			line = line[i:] // the first line follows the BIOS's escape sequences
		}
		console = append(console, line)
		switch {
		case line == "VMTEST BOOTED":
			booted = time.Since(start)
		case daemonAt == 0 && strings.HasPrefix(line, "VMTEST ") && strings.Contains(line, " daemon "):
			daemonAt = time.Since(start)
		}
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
	ms := func(d time.Duration) time.Duration { return d.Round(time.Millisecond) }
	total := time.Since(start)
	t.Logf("prepare %v, build %v, initramfs and boot %v, manager scenario %v, daemon scenario %v, total %v (kernel and initramfs in %s)",
		ms(prepared), ms(built-prepared), ms(booted-built), ms(daemonAt-booted), ms(total-daemonAt), ms(total), dir)
}

// isStatic fails for an ELF binary with a program interpreter or needed shared libraries.
func isStatic(path string) error {
	f, err := elf.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, p := range f.Progs {
		if p.Type == elf.PT_INTERP {
			return fmt.Errorf("%s is dynamically linked (PT_INTERP)", path)
		}
	}
	if libs, _ := f.ImportedLibraries(); len(libs) > 0 {
		return fmt.Errorf("%s needs %v", path, libs)
	}
	return nil
}
