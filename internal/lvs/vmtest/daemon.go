//go:build linux

package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/control"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// daemonBin is where the host test puts the static gokeepalived in the initramfs.
const daemonBin = "/gokeepalived"

// daemonConf is the daemon scenario's keepalived.conf; %d is the first HTTP server's weight,
// which the reload changes. One virtual server has two HTTP_GET real servers with a quorum and a
// sorry server, the other two TCP_CHECK real servers, one of them inhibit_on_failure; the checks
// run every second and fail at the first refused connection, so transitions take about a second.
// A VRRP instance alone on a veth must become MASTER beside them.
const daemonConf = `global_defs {
  router_id vmtest
}
vrrp_instance VI_1 {
  state BACKUP
  interface vr0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    203.0.113.200/32
  }
}
virtual_server 198.51.100.11 80 {
  delay_loop 1
  lb_algo wrr
  lb_kind NAT
  protocol TCP
  quorum 2
  sorry_server 203.0.113.98 80
  real_server 203.0.113.11 8011 {
    weight %d
    HTTP_GET {
      url {
        path /health
        status_code 200
      }
      connect_timeout 1
      retry 0
      delay_before_retry 1
      warmup 0
    }
  }
  real_server 203.0.113.12 8012 {
    weight 3
    HTTP_GET {
      url {
        path /health
        status_code 200
      }
      connect_timeout 1
      retry 0
      delay_before_retry 1
      warmup 0
    }
  }
}
virtual_server 198.51.100.12 443 {
  delay_loop 1
  lb_algo rr
  lb_kind NAT
  protocol TCP
  real_server 203.0.113.21 9021 {
    weight 1
    TCP_CHECK {
      connect_timeout 1
      retry 0
      delay_before_retry 1
      warmup 0
    }
  }
  real_server 203.0.113.22 9022 {
    weight 1
    inhibit_on_failure
    TCP_CHECK {
      connect_timeout 1
      retry 0
      delay_before_retry 1
      warmup 0
    }
  }
}
`

// Files of the daemon scenario.
const (
	daemonDir     = "/tmp/gk"
	daemonConfig  = daemonDir + "/keepalived.conf"
	daemonPIDFile = daemonDir + "/keepalived.pid"
)

// daemon is the gokeepalived process under test.
type daemon struct {
	cmd     *exec.Cmd
	logPath string
	log     *os.File
	exited  chan error
}

// startDaemon writes the configuration with the first HTTP server's weight w and starts
// gokeepalived in the foreground (-n), logging to the console (-l) in detail (-D), which is
// redirected to daemonDir/name.log; extra are more options.
func startDaemon(w int, name string, extra ...string) (*daemon, error) {
	if err := os.MkdirAll(daemonDir, 0o755); err != nil {
		return nil, err
	}
	if err := writeDaemonConf(w); err != nil {
		return nil, err
	}
	logPath := daemonDir + "/" + name + ".log"
	f, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	args := append([]string{"-n", "-l", "-D", "-f", daemonConfig, "-p", daemonPIDFile,
		"-r", daemonDir + "/vrrp.pid", "-c", daemonDir + "/checkers.pid"}, extra...)
	cmd := exec.Command(daemonBin, args...)
	cmd.Stdout, cmd.Stderr = f, f
	if err := cmd.Start(); err != nil {
		f.Close()
		return nil, fmt.Errorf("start %s: %w", daemonBin, err)
	}
	d := &daemon{cmd: cmd, logPath: logPath, log: f, exited: make(chan error, 1)}
	go func() { d.exited <- cmd.Wait() }()
	return d, nil
}

// writeDaemonConf writes the configuration atomically, so that a reload never reads half of it.
func writeDaemonConf(w int) error {
	tmp := daemonConfig + ".new"
	if err := os.WriteFile(tmp, fmt.Appendf(nil, daemonConf, w), 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, daemonConfig)
}

// logText returns the daemon's log so far.
func (d *daemon) logText() string {
	b, _ := os.ReadFile(d.logPath)
	return string(b)
}

// waitLog waits until the log satisfies cond (a generous bound: TCG under load is slow).
func (d *daemon) waitLog(what string, cond func(log string) bool) error {
	deadline := time.Now().Add(15 * time.Second)
	for {
		if cond(d.logText()) {
			return nil
		}
		select {
		case err := <-d.exited:
			d.exited <- err
			return fmt.Errorf("waiting for %s: the daemon exited: %v", what, err)
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// started waits until the daemon has programmed IPVS and started its checkers, and checks its
// pid file.
func (d *daemon) started() error {
	if err := d.waitLog("LVS programmed and checkers started", func(l string) bool {
		return strings.Contains(l, `msg="LVS: IPVS programmed"`) && strings.Contains(l, `msg="Starting healthcheckers"`)
	}); err != nil {
		return err
	}
	b, err := os.ReadFile(daemonPIDFile)
	if err != nil || strings.TrimSpace(string(b)) != strconv.Itoa(d.cmd.Process.Pid) {
		return fmt.Errorf("pid file %q (%v), pid %d", b, err, d.cmd.Process.Pid)
	}
	return nil
}

// exitedEarly returns an error when the daemon has exited before being told to.
func (d *daemon) exitedEarly() error {
	select {
	case err := <-d.exited:
		d.exited <- err
		return fmt.Errorf("the daemon exited by itself: %v", err)
	default:
		return nil
	}
}

// stop sends SIGTERM and waits for the daemon to exit.
func (d *daemon) stop() error {
	if err := d.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		return err
	}
	select {
	case err := <-d.exited:
		d.exited <- err
		return err
	case <-time.After(15 * time.Second):
		return errors.New("still running 15 s after SIGTERM")
	}
}

// logErrors returns the log's error lines as an error and prints its warnings for the report.
func (d *daemon) logErrors() error {
	var errs []string
	for _, l := range strings.Split(d.logText(), "\n") {
		switch {
		case strings.Contains(l, "level=ERROR"):
			errs = append(errs, l)
		case strings.Contains(l, "level=WARN"):
			fmt.Printf("VMTEST INFO daemon warning: %s\n", l)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%d error lines: %s", len(errs), strings.Join(errs, " | "))
	}
	return nil
}

// dumpLogOnFailure prints the daemon's log when a check failed: its own words are the best
// evidence.
func (d *daemon) dumpLogOnFailure(r *results) {
	if r.fail == 0 {
		return
	}
	for _, l := range strings.Split(strings.TrimSpace(d.logText()), "\n") {
		fmt.Printf("VMTEST INFO %s: %s\n", d.logPath, l)
	}
}

// kill stops the daemon by its PID if it still runs (after a failure).
func (d *daemon) kill() {
	if d == nil {
		return
	}
	select {
	case err := <-d.exited:
		d.exited <- err
	default:
		d.cmd.Process.Kill()
		d.exited <- <-d.exited
	}
	d.log.Close()
}

// reloadChanges matches the changes of each "LVS reloaded" log line (lvs.Changes printed with %+v).
var reloadChanges = regexp.MustCompile(`msg="LVS reloaded" changes="\{([^}]*)\}"`)

// changesTotal sums the counters of a printed lvs.Changes ("ServicesCreated:0 ... Flushed:false").
func changesTotal(s string) (int, map[string]int) {
	total, fields := 0, map[string]int{}
	for _, f := range strings.Fields(s) {
		k, v, _ := strings.Cut(f, ":")
		if n, err := strconv.Atoi(v); err == nil {
			fields[k] = n
			total += n
		}
	}
	return total, fields
}

// vethPeer returns the name of a veth's peer, found through sysfs: busybox's ip ignores
// "peer name" and lets the kernel name the peer.
func vethPeer(name string) (string, error) {
	link, err := os.ReadFile("/sys/class/net/" + name + "/iflink")
	if err != nil {
		return "", err
	}
	ents, err := os.ReadDir("/sys/class/net")
	if err != nil {
		return "", err
	}
	for _, e := range ents {
		idx, err := os.ReadFile("/sys/class/net/" + e.Name() + "/ifindex")
		if err == nil && e.Name() != name && strings.TrimSpace(string(idx)) == strings.TrimSpace(string(link)) {
			return e.Name(), nil
		}
	}
	return "", fmt.Errorf("no peer of %s (iflink %s)", name, strings.TrimSpace(string(link)))
}

// httpGet fetches path from addr on a new connection and returns the body.
func httpGet(addr string) (string, error) {
	cl := &http.Client{Timeout: 3 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}
	resp, err := cl.Get("http://" + addr + "/")
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return string(b), err
}

// destStats returns each service's and destination's connection counter, keyed "TCP ADDR:PORT"
// and "TCP ADDR:PORT -> ADDR:PORT".
func destStats(c ipvs.Client) (map[string]uint64, error) {
	svcs, err := c.Services()
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	for _, s := range svcs {
		ds, err := c.Destinations(s.ServiceKey)
		if err != nil {
			return nil, err
		}
		out[s.ServiceKey.String()] = s.Stats.Connections
		for _, d := range ds {
			out[s.ServiceKey.String()+" -> "+d.DestinationKey.String()] = d.Stats.Connections
		}
	}
	return out, nil
}

// ipvsadmStats returns the connection counters of ipvsadm -Ln --stats --exact, keyed as destStats.
func ipvsadmStats() (map[string]uint64, error) {
	raw, err := sh("ipvsadm", "-Ln", "--stats", "--exact")
	if err != nil {
		return nil, err
	}
	out := map[string]uint64{}
	var svc string
	for _, line := range strings.Split(raw, "\n") {
		f := strings.Fields(line)
		if len(f) < 3 || f[1] == "RemoteAddress:Port" || f[0] == "Prot" {
			continue
		}
		switch f[0] {
		case "TCP", "UDP", "SCTP", "FWM":
			n, err := strconv.ParseUint(f[2], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("ipvsadm --stats line %q: %w", line, err)
			}
			svc = f[0] + " " + f[1]
			out[svc] = n
		case "->":
			n, err := strconv.ParseUint(f[2], 10, 64)
			if err != nil {
				return nil, fmt.Errorf("ipvsadm --stats line %q: %w", line, err)
			}
			out[svc+" -> "+f[1]] = n
		}
	}
	return out, nil
}

// runDaemon is the daemon scenario: the real gokeepalived programs IPVS from its own HTTP_GET and
// TCP_CHECK checkers while the real servers stop and start, reloads on SIGHUP, and removes what it
// created on SIGTERM.
func runDaemon(r *results) error {
	if _, err := os.Stat(daemonBin); err != nil {
		return fmt.Errorf("no gokeepalived in the guest: %w", err)
	}
	for _, a := range []string{"198.51.100.11/32", "198.51.100.12/32", "203.0.113.11/32", "203.0.113.12/32",
		"203.0.113.21/32", "203.0.113.22/32", "203.0.113.98/32"} {
		if _, err := sh("ip", "addr", "add", a, "dev", "lo"); err != nil {
			return err
		}
	}
	// The VRRP instance's interface: a veth whose peer is up, so that it has carrier.
	if _, err := sh("ip", "link", "add", "vr0", "type", "veth", "peer", "name", "vr1"); err != nil {
		return err
	}
	peer, err := vethPeer("vr0")
	if err != nil {
		return err
	}
	for _, args := range [][]string{
		{"ip", "addr", "add", "198.51.100.201/29", "dev", "vr0"},
		{"ip", "link", "set", peer, "up"},
		{"ip", "link", "set", "vr0", "up"},
	} {
		if _, err := sh(args...); err != nil {
			return err
		}
	}
	c, err := ipvs.Open()
	if err != nil {
		return err
	}
	defer c.Close()

	// Someone else's service with a destination, added beforehand: the daemon must leave it.
	if _, err := sh("ipvsadm", "-A", "-t", "198.51.100.13:80", "-s", "rr"); err != nil {
		return err
	}
	if _, err := sh("ipvsadm", "-a", "-t", "198.51.100.13:80", "-r", "203.0.113.31:80", "-m", "-w", "4"); err != nil {
		return err
	}
	base, err := ourTable(c)
	if err != nil {
		return err
	}
	with := func(entries ...string) []string { return append(append([]string(nil), base...), entries...) }

	httpA, httpB := &httpServer{addr: "203.0.113.11:8011"}, &httpServer{addr: "203.0.113.12:8012"}
	sorry := &httpServer{addr: "203.0.113.98:80"}
	tcpA, tcpB := &listener{addr: "203.0.113.21:9021"}, &listener{addr: "203.0.113.22:9022"}
	defer func() { httpA.stop(); httpB.stop(); sorry.stop(); tcpA.stop(); tcpB.stop() }()
	if err := errors.Join(httpA.start(), httpB.start(), sorry.start(), tcpA.start(), tcpB.start()); err != nil {
		return err
	}

	d, err := startDaemon(2, "gokeepalived")
	if err != nil {
		r.check("daemon start", err)
		return err
	}
	defer d.kill()
	defer d.dumpLogOnFailure(r)
	// Each expectation below waits up to 15 s; a daemon that is gone would make them outlast the
	// host's 120 s bound and hide the results, so the scenario stops at the first sign of it.
	if err := d.started(); err != nil {
		r.check("daemon start", err)
		return err
	}
	r.check("daemon start", nil)

	const web = "TCP 198.51.100.11:80 wrr"
	const tls = "TCP 198.51.100.12:443 rr"
	full := with(web, tls,
		web+" -> 203.0.113.11:8011 Masq 2", web+" -> 203.0.113.12:8012 Masq 3",
		tls+" -> 203.0.113.21:9021 Masq 1", tls+" -> 203.0.113.22:9022 Masq 1")
	r.check("daemon initial table", expect(c, full...))

	// One HTTP_GET server and the inhibited TCP_CHECK server stop: the first is removed, the
	// second stays with weight 0; the web quorum (3 of 2) holds.
	httpA.stop()
	tcpB.stop()
	err = expect(c, with(web, tls, web+" -> 203.0.113.12:8012 Masq 3",
		tls+" -> 203.0.113.21:9021 Masq 1", tls+" -> 203.0.113.22:9022 Masq 0")...)
	if err == nil && !strings.Contains(d.logText(), "Removing service [203.0.113.11]:tcp:8011 from VS [198.51.100.11]:tcp:80") {
		err = errors.New("the log does not say the HTTP_GET server was removed")
	}
	r.check("daemon HTTP_GET server down removed, TCP_CHECK inhibited server weight 0", err)

	// The other HTTP_GET server stops: no weight left, the quorum is lost and the sorry server
	// takes the virtual server, which answers through the VIP.
	httpB.stop()
	err = expect(c, with(web, tls, web+" -> 203.0.113.98:80 Masq 1",
		tls+" -> 203.0.113.21:9021 Masq 1", tls+" -> 203.0.113.22:9022 Masq 0")...)
	if err == nil {
		if body, gerr := httpGet("198.51.100.11:80"); gerr != nil || body != sorry.addr {
			err = fmt.Errorf("through the VIP: %q, %v; want the sorry server", body, gerr)
		}
	}
	r.check("daemon quorum lost, sorry server", err)

	// Everything comes back: the quorum is regained, the sorry server leaves, the inhibited
	// server gets its weight back.
	if err := errors.Join(httpA.start(), httpB.start(), tcpB.start()); err != nil {
		return err
	}
	r.check("daemon quorum regained", expect(c, full...))
	if err := d.exitedEarly(); err != nil {
		return err
	}

	// Traffic through both virtual servers reaches every real server and is counted, so that
	// the reload below can show that it left the other entries alone (a re-created destination
	// starts from zero).
	var before map[string]uint64
	r.check("daemon traffic and stats", func() error {
		seen := map[string]bool{}
		for range 10 {
			body, err := httpGet("198.51.100.11:80")
			if err != nil {
				return fmt.Errorf("GET through the VIP: %w", err)
			}
			seen[body] = true
		}
		if !seen[httpA.addr] || !seen[httpB.addr] {
			return fmt.Errorf("wrr reached %v", seen)
		}
		for range 4 {
			conn, err := net.DialTimeout("tcp", "198.51.100.12:443", 2*time.Second)
			if err != nil {
				return fmt.Errorf("connect through the VIP: %w", err)
			}
			conn.Close()
		}
		// The kernel folds its per-CPU counters into the exported ones every 2 s.
		deadline := time.Now().Add(8 * time.Second)
		for {
			st, err := destStats(c)
			if err != nil {
				return err
			}
			if st["TCP 198.51.100.11:80 -> 203.0.113.11:8011"] > 0 && st["TCP 198.51.100.11:80 -> 203.0.113.12:8012"] > 0 &&
				st["TCP 198.51.100.12:443 -> 203.0.113.21:9021"] > 0 && st["TCP 198.51.100.12:443 -> 203.0.113.22:9022"] > 0 {
				before = st
				fmt.Printf("VMTEST INFO daemon stats before reload %v\n", st)
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("not every destination counted a connection: %v", st)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}())

	// The control socket reports the same kernel counters, in the status report and as metrics.
	r.check("daemon control socket reports IPVS counters", controlCounters())

	// VRRP runs beside the checkers: the lone instance becomes MASTER and adds its VIP.
	r.check("daemon VRRP MASTER", func() error {
		if err := d.waitLog("VRRP MASTER", func(l string) bool { return strings.Contains(l, "(VI_1) Entering MASTER STATE") }); err != nil {
			return err
		}
		deadline := time.Now().Add(5 * time.Second)
		for {
			out, err := sh("ip", "-o", "addr", "show", "dev", "vr0")
			if err == nil && strings.Contains(out, "203.0.113.200/32") {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("VIP not on vr0: %q, %v", out, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}())

	// A reload that changes one weight: exactly one IPVS operation, that weight alone changes, and
	// the other entries keep their counters.
	r.check("daemon reload one weight (SIGHUP) = one update", func() error {
		if err := writeDaemonConf(5); err != nil {
			return err
		}
		if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			return err
		}
		var got string
		if err := d.waitLog("LVS reloaded", func(l string) bool {
			m := reloadChanges.FindAllStringSubmatch(l, -1)
			if len(m) >= 1 {
				got = m[0][1]
			}
			return len(m) >= 1
		}); err != nil {
			return err
		}
		if total, f := changesTotal(got); total != 1 || f["DestsUpdated"] != 1 {
			return fmt.Errorf("reload changes {%s}, want one destination update", got)
		}
		return nil
	}())
	reloaded := replace(full, web+" -> 203.0.113.11:8011 Masq 2", web+" -> 203.0.113.11:8011 Masq 5")
	r.check("daemon reload table", expect(c, reloaded...))
	r.check("daemon reload keeps the other entries (counters)", func() error {
		if before == nil {
			return errors.New("no counters before the reload")
		}
		after, err := destStats(c)
		if err != nil {
			return err
		}
		for k, n := range before {
			if after[k] < n {
				return fmt.Errorf("%s: %d connections before the reload, %d after (re-created)", k, n, after[k])
			}
		}
		// The same counters as ipvsadm prints them (no traffic goes through the VIPs meanwhile).
		adm, err := ipvsadmStats()
		if err != nil {
			return err
		}
		for k, n := range after {
			if adm[k] != n {
				return fmt.Errorf("%s: %d connections through our client, %d through ipvsadm", k, n, adm[k])
			}
		}
		if len(adm) != len(after) {
			return fmt.Errorf("ipvsadm counters %v, ours %v", adm, after)
		}
		return nil
	}())
	if err := d.exitedEarly(); err != nil {
		return err
	}
	r.check("daemon identical reload = no operation", func() error {
		if err := d.cmd.Process.Signal(syscall.SIGHUP); err != nil {
			return err
		}
		var got string
		if err := d.waitLog("second LVS reloaded", func(l string) bool {
			m := reloadChanges.FindAllStringSubmatch(l, -1)
			if len(m) >= 2 {
				got = m[1][1]
			}
			return len(m) >= 2
		}); err != nil {
			return err
		}
		if total, _ := changesTotal(got); total != 0 {
			return fmt.Errorf("identical reload changes {%s}", got)
		}
		return expect(c, reloaded...)
	}())

	// SIGTERM: the daemon exits 0, its services and VIP are gone, the foreign service stays.
	r.check("daemon SIGTERM exit", d.stop())
	r.check("daemon SIGTERM table", expect(c, base...))
	r.check("daemon SIGTERM cleanup", func() error {
		out, err := sh("ip", "-o", "addr", "show", "dev", "vr0")
		if err != nil || strings.Contains(out, "203.0.113.200") {
			return fmt.Errorf("vr0 after stop: %q, %v", out, err)
		}
		if _, err := os.Stat(daemonPIDFile); !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("pid file left: %v", err)
		}
		if l := d.logText(); !strings.Contains(l, `msg="Stopped healthcheckers"`) {
			return errors.New("no clean checker stop in the log")
		}
		return nil
	}())

	r.check("daemon log has no errors", d.logErrors())

	// keepalived -I (--dont-release-ipvs): a second daemon on the same configuration programs the
	// same table and leaves it at SIGTERM.
	d2, err := startDaemon(5, "gokeepalived-I", "-I")
	if err != nil {
		r.check("daemon -I keeps IPVS at SIGTERM", err)
		return err
	}
	defer d2.kill()
	defer d2.dumpLogOnFailure(r)
	r.check("daemon -I keeps IPVS at SIGTERM", func() error {
		if err := d2.started(); err != nil {
			return err
		}
		if err := expect(c, reloaded...); err != nil {
			return err
		}
		if err := d2.stop(); err != nil {
			return fmt.Errorf("exit: %w", err)
		}
		if err := expect(c, reloaded...); err != nil {
			return fmt.Errorf("after SIGTERM: %w", err)
		}
		return d2.logErrors()
	}())
	// What -I left is the operator's to remove.
	for _, svc := range []string{"198.51.100.11:80", "198.51.100.12:443"} {
		if _, err := sh("ipvsadm", "-D", "-t", svc); err != nil {
			return err
		}
	}
	return nil
}

// controlCounters reads the daemon's status report and metrics through its control socket and
// checks that the connections just made through the VIPs are counted for each real server.
func controlCounters() error {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	sock := control.SocketForPIDFile(daemonPIDFile)
	rep, _, err := control.FetchReport(ctx, sock)
	if err != nil {
		return err
	}
	conns := map[string]uint64{}
	for _, vs := range rep.VirtualServers {
		for _, svc := range vs.Services {
			for _, d := range svc.Destinations {
				conns[svc.Service+" -> "+d.RealServer] = d.Connections
			}
		}
	}
	for _, k := range []string{"TCP 198.51.100.11:80 -> [203.0.113.11]:tcp:8011", "TCP 198.51.100.12:443 -> [203.0.113.21]:tcp:9021"} {
		if conns[k] == 0 {
			return fmt.Errorf("status report: no connections for %s: %v", k, conns)
		}
	}
	body, err := control.Fetch(ctx, sock, "/metrics")
	if err != nil {
		return err
	}
	re := regexp.MustCompile(`(?m)^gokeepalived_lvs_destination_connections_total\{real_server="\[203\.0\.113\.11\]:tcp:8011",service="TCP 198\.51\.100\.11:80",virtual_server="[^"]*"\} ([1-9][0-9]*)$`)
	if !re.Match(body) {
		return fmt.Errorf("metrics: no counted connections for 203.0.113.11:8011 in:\n%s", grepLines(string(body), "gokeepalived_lvs_destination_connections_total"))
	}
	fmt.Printf("VMTEST INFO control socket counters %v\n", conns)
	return nil
}

// grepLines returns the lines of s that contain sub.
func grepLines(s, sub string) string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if strings.Contains(l, sub) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
