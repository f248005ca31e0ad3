package conformance

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// nsCounter makes namespace names unique within one test process.
var nsCounter atomic.Int32

// ipCmd runs ip(8) and fails the test on error.
func ipCmd(t *testing.T, args ...string) {
	t.Helper()
	if out, err := exec.Command("ip", args...).CombinedOutput(); err != nil {
		t.Fatalf("ip %s: %v: %s", strings.Join(args, " "), err, out)
	}
}

// newSampleNamespace creates a throw-away network namespace with the interfaces keepalived's
// samples name: eth0..eth3 (veth pairs with both ends inside) and eth0.1 (a VLAN, or a macvlan when
// the kernel has no 802.1Q), with the addresses of reference §3. The namespace has no route out and
// no link to the host, so the samples' private addresses never leave it. It is deleted at cleanup.
func newSampleNamespace(t *testing.T) string {
	t.Helper()
	name := fmt.Sprintf("gkconf-%d-%d", os.Getpid(), nsCounter.Add(1))
	ipCmd(t, "netns", "add", name)
	t.Cleanup(func() { _ = exec.Command("ip", "netns", "del", name).Run() })
	for i := 0; i < 4; i++ {
		ipCmd(t, "-n", name, "link", "add", fmt.Sprintf("eth%d", i), "type", "veth", "peer", "name", fmt.Sprintf("peer%d", i))
	}
	if exec.Command("ip", "-n", name, "link", "add", "link", "eth0", "name", "eth0.1", "type", "vlan", "id", "1").Run() != nil {
		ipCmd(t, "-n", name, "link", "add", "link", "eth0", "name", "eth0.1", "type", "macvlan", "mode", "bridge")
	}
	for _, l := range []string{"lo", "eth0", "eth1", "eth2", "eth3", "peer0", "peer1", "peer2", "peer3", "eth0.1"} {
		ipCmd(t, "-n", name, "link", "set", l, "up")
	}
	for dev, addr := range map[string]string{"eth0": "192.168.200.5/24", "eth1": "192.168.201.5/24", "eth2": "192.168.100.5/24", "eth3": "10.0.0.5/24"} {
		ipCmd(t, "-n", name, "addr", "add", addr, "dev", dev)
	}
	return name
}

// runInNamespace runs a program inside ns and returns its combined output and exit code; a process
// killed by signal N reports 128+N as a shell would.
func runInNamespace(t *testing.T, ns string, prog string, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, "ip", append([]string{"netns", "exec", ns, prog}, args...)...)
	cmd.Dir = t.TempDir()
	cmd.Stdin = nil
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 5 * time.Second
	err := cmd.Run()
	if ctx.Err() != nil {
		t.Fatalf("%s %s: timed out", prog, strings.Join(args, " "))
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &ee):
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return out.String(), 128 + int(ws.Signal())
		}
		return out.String(), ee.ExitCode()
	}
	t.Fatalf("%s: %v", prog, err)
	return "", 0
}

// keepalived227 returns the path of a keepalived 2.2.7 binary, skipping the test when there is none.
func keepalived227(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("keepalived")
	if err != nil {
		t.Skip("keepalived not installed")
	}
	out, _ := exec.Command(p, "-v").CombinedOutput()
	if !strings.HasPrefix(string(out), "Keepalived v2.2.7 ") {
		t.Skipf("keepalived is not 2.2.7: %.40q", out)
	}
	return p
}

// buildOurs builds gokeepalived into a temporary directory.
func buildOurs(t *testing.T) string {
	t.Helper()
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool in PATH to build gokeepalived")
	}
	bin := filepath.Join(t.TempDir(), "gokeepalived")
	cmd := exec.Command(goTool, "build", "-o", bin, "github.com/gokeepalived/gokeepalived/cmd/gokeepalived")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// TestLiveAgainstKeepalived runs keepalived 2.2.7 and gokeepalived with -t on every sample inside
// a namespace that has the samples' interfaces. It checks that keepalived still answers as recorded
// (or rewrites the record with -update), that the gokeepalived binary answers as the in-process
// loader does, and compares gokeepalived with keepalived like TestSamplesAgainstRecord.
func TestLiveAgainstKeepalived(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root for network namespaces")
	}
	cases := sampleCases(t)
	kbin := keepalived227(t)
	ns := newSampleNamespace(t)
	ours := buildOurs(t)
	dc := &differenceChecker{known: knownDifferences(t), used: map[string]bool{}}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			out, code := runInNamespace(t, ns, kbin, c.Args()...)
			// keepalived names the file in some messages; keep the record independent of where the
			// repository or the samples are.
			out = strings.ReplaceAll(out, filepath.Dir(c.File)+"/", "")
			live := Record{Exit: code, Lines: ParseKeepalivedOutput(out)}
			if *update {
				comment := []string{
					"keepalived " + strings.Join(c.Args(), " "),
					"recorded with Keepalived v2.2.7 (Debian 12) in a network namespace with eth0-eth3 and eth0.1",
				}
				comment[0] = strings.ReplaceAll(comment[0], filepath.Dir(c.File)+"/", "")
				if err := os.WriteFile(filepath.Join(recordDir, c.Name+".txt"), []byte(FormatRecord(comment, live)), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			rec, ok := readRecord(t, c.Name)
			if !ok {
				t.Fatalf("no record for %s; run with -update", c.Name)
			}
			if FormatRecord(nil, rec) != FormatRecord(nil, live) {
				t.Errorf("keepalived's answer differs from the record (rerun with -update if expected):\nrecord:\n%slive:\n%s",
					FormatRecord(nil, rec), FormatRecord(nil, live))
			}

			oout, ocode := runInNamespace(t, ns, ours, c.Args()...)
			bin := parseOurOutput(ocode, oout)
			inproc := oursInProcess(t, c)
			if d := Compare(c.Name, inproc, bin); len(d) > 0 {
				t.Errorf("gokeepalived binary in the namespace and the in-process loader disagree: %+v\n%s", d, oout)
			}
			dc.check(t, Compare(c.Name, live, bin))
		})
	}
	dc.reportStale(t)
}
