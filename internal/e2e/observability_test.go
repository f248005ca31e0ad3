package e2e

import (
	"context"
	"fmt"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/control"
	"github.com/gokeepalived/gokeepalived/internal/status"
)

// TestStatusAndMetrics runs two gokeepalived routers and follows a failover through their
// control sockets: the status report, the Prometheus metrics (keepalived-exporter names) and
// `gokeepalived status`, the way an operator would see it.
func TestStatusAndMetrics(t *testing.T) {
	if impl() != Go {
		t.Skip("the control socket is a gokeepalived feature")
	}
	requireImpl(t, Go)
	l := NewLab(t, 2)
	d0 := startMaster(t, l, Go, 0, one(scInstance(150)))
	d1 := l.Start(Go, 1, one(scInstance(100)))
	sock0, sock1 := control.SocketForPIDFile(d0.PIDFile), control.SocketForPIDFile(d1.PIDFile)
	ctx := context.Background()

	fetch := func(sock string) (status.Report, error) {
		r, _, err := control.FetchReport(ctx, sock)
		if err == nil && len(r.VRRP) != 1 {
			err = fmt.Errorf("%s: %d instances in the report", sock, len(r.VRRP))
		}
		return r, err
	}
	vrrp := func(sock string) status.Report {
		t.Helper()
		r, err := fetch(sock)
		if err != nil {
			t.Fatal(err)
		}
		return r
	}
	// waitState polls the report until the instance is in state and, for a backup, has heard
	// the master. The socket opens a moment after the pid files: errors are retried too.
	waitState := func(sock, state string) status.Report {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			r, err := fetch(sock)
			if err == nil {
				if in := r.VRRP[0]; in.State == state && (state != "BACKUP" || in.Master.IsValid()) {
					return r
				}
				err = fmt.Errorf("%s: %+v, want state %s", sock, r.VRRP[0], state)
			}
			if time.Now().After(deadline) {
				t.Fatal(err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	r0 := waitState(sock0, "MASTER")
	r1 := waitState(sock1, "BACKUP")
	if in := r0.VRRP[0]; in.Priority != 150 || in.VRID != VRID || in.Interface != "eth0" || in.AdvertsSent == 0 || len(in.VIPs) != 1 || !strings.HasPrefix(in.VIPs[0], "198.51.100.100/24") {
		t.Errorf("master's report: %+v", in)
	}
	if r0.Daemon.PID != d0.PID || !r0.Daemon.VRRP || r0.Daemon.Checkers || r0.Daemon.LVS {
		t.Errorf("master's daemon section: %+v", r0.Daemon)
	}
	if in := r1.VRRP[0]; in.Master.String() != "198.51.100.1" || in.MasterPriority != 150 || in.AdvertsReceived == 0 || len(in.VIPs) != 1 {
		t.Errorf("backup's report: %+v", in)
	}

	metrics := func(sock string) string {
		t.Helper()
		b, err := control.Fetch(ctx, sock, "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	wantMetric := func(body, re string) {
		t.Helper()
		if !regexp.MustCompile(`(?m)^` + re + `$`).MatchString(body) {
			t.Errorf("no metric line matching %q in:\n%s", re, grepMetrics(body, "keepalived_"))
		}
	}
	m0 := metrics(sock0)
	wantMetric(m0, `keepalived_up 1`)
	wantMetric(m0, `keepalived_vrrp_state\{iname="VI_1",intf="eth0",ip_address="198\.51\.100\.100",vrid="51"\} 2`)
	wantMetric(m0, `keepalived_advertisements_sent_total\{iname="VI_1",intf="eth0",vrid="51"\} [1-9][0-9]*`)
	wantMetric(m0, `keepalived_become_master_total\{iname="VI_1",intf="eth0",vrid="51"\} 1`)
	wantMetric(m0, `gokeepalived_vrrp_priority\{iname="VI_1",intf="eth0",vrid="51"\} 150`)

	// The master crashes: the backup takes over, and says so in both views.
	d0.Crash()
	r1 = waitState(sock1, "MASTER")
	if in := r1.VRRP[0]; in.BecomeMaster != 1 || len(in.VIPs) != 1 {
		t.Errorf("new master's report: %+v", in)
	}
	m1 := metrics(sock1)
	wantMetric(m1, `keepalived_become_master_total\{iname="VI_1",intf="eth0",vrid="51"\} 1`)
	wantMetric(m1, `keepalived_vrrp_state\{iname="VI_1",intf="eth0",ip_address="198\.51\.100\.100",vrid="51"\} 2`)

	// The operator's command.
	out, err := exec.Command(goBinary, "status", "--socket", sock1).CombinedOutput()
	if err != nil {
		t.Fatalf("gokeepalived status: %v\n%s", err, out)
	}
	for _, want := range []string{"VI_1", "MASTER", "198.51.100.100"} {
		if !strings.Contains(string(out), want) {
			t.Errorf("gokeepalived status output lacks %q:\n%s", want, out)
		}
	}
	// The crashed daemon's socket answers no more, and the command says so with its exit code.
	out, err = exec.Command(goBinary, "status", "--socket", sock0).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != 3 {
		t.Errorf("status of a dead daemon: %v\n%s", err, out)
	}

	// A reload is counted; the instance stays MASTER (unchanged configuration).
	mark := d1.Mark()
	d1.Signal(syscall.SIGHUP)
	if !d1.WaitLogAfter(mark, "Reloading", 5*time.Second) {
		t.Fatal("no reload logged")
	}
	deadline := time.Now().Add(5 * time.Second)
	for r := vrrp(sock1); r.Daemon.Reloads != 1 || r.VRRP[0].State != "MASTER"; r = vrrp(sock1) {
		if time.Now().After(deadline) {
			t.Fatalf("after SIGHUP: reloads %d state %s", r.Daemon.Reloads, r.VRRP[0].State)
		}
		time.Sleep(50 * time.Millisecond)
	}
	wantMetric(metrics(sock1), `gokeepalived_reloads_total 1`)
}

// grepMetrics returns the lines of body that contain s, for failure messages.
func grepMetrics(body, s string) string {
	var out []string
	for _, l := range strings.Split(body, "\n") {
		if strings.Contains(l, s) && !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
