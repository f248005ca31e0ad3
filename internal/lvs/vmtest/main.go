//go:build linux

// Command vmtest is the guest side of the IPVS VM test (internal/lvs/vm_linux_test.go,
// docs/lvs.md). It runs as a static binary inside a qemu guest whose kernel has IPVS, in two
// scenarios that check the IPVS table through the client and through ipvsadm -Ln at every step:
//
//   - the manager (main.go): TCP listeners as real servers, the ipvs client and the lvs manager
//     fed by a minimal TCP connect health loop, errno parity with ipvstest.Memory, servers that
//     stop and start, the quorum lost and regained, reloads, the sync daemon and the stop;
//   - the daemon (daemon.go): the real, static gokeepalived the host put at /gokeepalived, with
//     its own HTTP_GET and TCP_CHECK checkers against HTTP and TCP servers on loopback addresses,
//     a quorum and a sorry server, a SIGHUP reload that changes one weight, a VRRP instance on a
//     veth that must become MASTER, SIGTERM (and -I) with a foreign ipvsadm service beside it.
//
// It prints "VMTEST PASS name", "VMTEST FAIL name: why" and finally "VMTEST DONE pass=N fail=M",
// which the host test turns into assertions.
package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
)

// conf is the configuration under test; %d is real server 1's weight (changed by the reload).
const conf = `
global_defs {
  lvs_timeouts tcp 3600 tcpfin 60 udp 90
}
virtual_server 198.51.100.1 80 {
  lb_algo wrr
  lb_kind NAT
  protocol TCP
  quorum 2
  sorry_server 203.0.113.99 80
  real_server 203.0.113.1 8001 {
    weight %d
    TCP_CHECK { connect_timeout 1 }
  }
  real_server 203.0.113.2 8002 {
    weight 1
    TCP_CHECK { connect_timeout 1 }
  }
  real_server 203.0.113.3 8003 {
    weight 2
    inhibit_on_failure
    TCP_CHECK { connect_timeout 1 }
  }
}
virtual_server fwmark 5 {
  lb_algo sh
  sh-port
  sh-fallback
  lb_kind DR
  persistence_timeout 30
  # DR and TUN servers take the service's port (none for fwmark), so the check names its port.
  real_server 203.0.113.1 8001 {
    TCP_CHECK {
      connect_timeout 1
      connect_port 8001
    }
  }
}
virtual_server 2001:db8::1 443 {
  lb_algo mh
  protocol SCTP
  lvs_method TUN type gue port 6080 csum
  real_server 2001:db8::10 443 {
    weight 7
    TCP_CHECK { connect_timeout 1 }
  }
}
`

// results counts the checks.
type results struct{ pass, fail int }

// check prints one result line.
func (r *results) check(name string, err error) {
	if err != nil {
		r.fail++
		fmt.Printf("VMTEST FAIL %s: %s\n", name, strings.ReplaceAll(err.Error(), "\n", " | "))
		return
	}
	r.pass++
	fmt.Printf("VMTEST PASS %s\n", name)
}

func main() {
	var r results
	if err := run(&r); err != nil {
		r.check("run", err)
	}
	if err := runDaemon(&r); err != nil {
		r.check("daemon run", err)
	}
	fmt.Printf("VMTEST DONE pass=%d fail=%d\n", r.pass, r.fail)
}

// sh runs a command and returns its output.
func sh(args ...string) (string, error) {
	out, err := exec.Command(args[0], args[1:]...).CombinedOutput()
	if err != nil {
		return string(out), fmt.Errorf("%s: %w: %s", strings.Join(args, " "), err, out)
	}
	return string(out), nil
}

// listener is a real server that can be stopped and started.
type listener struct {
	addr string
	mu   sync.Mutex
	ln   net.Listener
}

// start listens and answers every connection with a short HTTP response.
func (l *listener) start() error {
	l.mu.Lock()
	defer l.mu.Unlock()
	ln, err := net.Listen("tcp", l.addr)
	if err != nil {
		return err
	}
	l.ln = ln
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			fmt.Fprintf(c, "HTTP/1.0 200 OK\r\nContent-Length: %d\r\n\r\n%s", len(l.addr), l.addr)
			c.Close()
		}
	}()
	return nil
}

// stop closes the listener, so connects are refused.
func (l *listener) stop() {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.ln != nil {
		l.ln.Close()
		l.ln = nil
	}
}

// healthLoop is a minimal TCP connect checker feeding the manager (the real checkers of
// internal/check are wired by the daemon): a server is up when every checker's target accepts a
// connection.
func healthLoop(ctx context.Context, m *lvs.Manager, every time.Duration) {
	for _, rs := range m.RealServers() {
		go func(rs lvs.RealServer) {
			var targets []string
			for _, ck := range rs.Config.Checkers {
				targets = append(targets, ck.Resolved.Target.String())
			}
			t := time.NewTicker(every)
			defer t.Stop()
			for {
				up := true
				for _, t := range targets {
					c, err := net.DialTimeout("tcp", t, 500*time.Millisecond)
					if err != nil {
						up = false
						break
					}
					c.Close()
				}
				if _, err := m.SetHealth(rs.Key, lvs.Health{Up: up}); err != nil {
					fmt.Printf("VMTEST INFO SetHealth %s: %v\n", rs.Key, err)
				}
				select {
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		}(rs)
	}
}

// ourTable renders the table read through our client in the canonical form of canon().
func ourTable(c ipvs.Client) ([]string, error) {
	svcs, err := c.Services()
	if err != nil {
		return nil, err
	}
	var out []string
	for _, s := range svcs {
		name := fmt.Sprintf("%s %s", s.ServiceKey, s.Scheduler)
		out = append(out, name)
		ds, err := c.Destinations(s.ServiceKey)
		if err != nil {
			return nil, err
		}
		for _, d := range ds {
			out = append(out, fmt.Sprintf("%s -> %s %s %d", name, d.DestinationKey, d.Forward, d.Weight))
		}
	}
	slices.Sort(out)
	return out, nil
}

// ipvsadmTable renders ipvsadm -Ln in the same canonical form: "PROT ADDR:PORT SCHED" per
// service and "SERVICE -> ADDR:PORT FORWARD WEIGHT" per destination, sorted.
func ipvsadmTable() ([]string, error) {
	raw, err := sh("ipvsadm", "-Ln")
	if err != nil {
		return nil, err
	}
	var out []string
	var svc string
	for _, line := range strings.Split(raw, "\n") {
		f := strings.Fields(line)
		switch {
		case len(f) >= 3 && (f[0] == "TCP" || f[0] == "UDP" || f[0] == "SCTP" || f[0] == "FWM"):
			svc = strings.Join(f[:3], " ")
			out = append(out, svc)
		case len(f) >= 4 && f[0] == "->" && f[1] != "RemoteAddress:Port":
			out = append(out, svc+" -> "+strings.Join(f[1:4], " "))
		}
	}
	slices.Sort(out)
	return out, nil
}

// expect waits until both views of the table equal want (the health loop is asynchronous).
func expect(c ipvs.Client, want ...string) error {
	slices.Sort(want)
	deadline := time.Now().Add(15 * time.Second)
	for {
		ours, err1 := ourTable(c)
		adm, err2 := ipvsadmTable()
		if err1 == nil && err2 == nil && slices.Equal(ours, want) && slices.Equal(adm, want) {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("client %q (%v), ipvsadm %q (%v), want %q", ours, err1, adm, err2, want)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// load parses the configuration with real server 1's weight w.
func load(w int) (*config.Config, error) {
	c, diags := config.LoadString("vmtest.conf", fmt.Sprintf(conf, w), config.LoadOptions{})
	for _, d := range diags {
		if d.Severity >= 2 { // syntax.Error and worse
			return nil, fmt.Errorf("config: %v", diags)
		}
	}
	return c, nil
}

// run is the scenario.
func run(r *results) error {
	for _, a := range []string{"203.0.113.1/32", "203.0.113.2/32", "203.0.113.3/32", "203.0.113.99/32", "198.51.100.1/32"} {
		if _, err := sh("ip", "addr", "add", a, "dev", "lo"); err != nil {
			return err
		}
	}
	if _, err := sh("ip", "-6", "addr", "add", "2001:db8::10/128", "dev", "lo"); err != nil {
		return err
	}
	c, err := ipvs.Open()
	r.check("open", err)
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.Info()
	r.check("info", err)
	fmt.Printf("VMTEST INFO ipvs %s, %d connections table\n", info.VersionString(), info.ConnTableSize)

	r.check("errno parity with ipvstest.Memory", parity(c))

	// Someone else's service, which must survive everything.
	if _, err := sh("ipvsadm", "-A", "-u", "198.51.100.50:53", "-s", "rr"); err != nil {
		return err
	}
	foreign := "UDP 198.51.100.50:53 rr"

	lns := map[string]*listener{}
	for _, a := range []string{"203.0.113.1:8001", "203.0.113.2:8002", "203.0.113.3:8003", "[2001:db8::10]:443", "203.0.113.99:80"} {
		lns[a] = &listener{addr: a}
		if err := lns[a].start(); err != nil {
			return err
		}
	}

	cfg, err := load(1)
	if err != nil {
		return err
	}
	m, err := lvs.New(cfg, lvs.Options{Client: c, Logger: slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
	if err != nil {
		return err
	}
	ch, err := m.Start()
	if err == nil && ch.ServicesCreated != 3 {
		err = fmt.Errorf("start changes %+v", ch)
	}
	r.check("start", err)
	fmt.Printf("VMTEST INFO start changes %+v\n", ch)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	healthLoop(ctx, m, 100*time.Millisecond)

	const vs = "TCP 198.51.100.1:80 wrr"
	const fwm = "FWM 5 sh"
	const v6 = "SCTP [2001:db8::1]:443 mh"
	full := []string{foreign, vs, fwm, v6,
		vs + " -> 203.0.113.1:8001 Masq 1", vs + " -> 203.0.113.2:8002 Masq 1", vs + " -> 203.0.113.3:8003 Masq 2",
		fwm + " -> 203.0.113.1:0 Route 1", v6 + " -> [2001:db8::10]:443 Tunnel 7"}
	err = expect(c, full...)
	if err != nil {
		ch, rerr := m.Resync()
		fmt.Printf("VMTEST INFO resync %+v %v\n", ch, rerr)
	}
	r.check("initial table", err)

	// Attributes the canonical form leaves out, read back from the kernel.
	r.check("service and tunnel attributes", func() error {
		svcs, err := c.Services()
		if err != nil {
			return err
		}
		for _, s := range svcs {
			switch {
			case s.Fwmark == 5:
				if s.Flags&(ipvs.FlagSched1|ipvs.FlagSched2|ipvs.FlagPersistent) != ipvs.FlagSched1|ipvs.FlagSched2|ipvs.FlagPersistent || s.Timeout != 30*time.Second {
					return fmt.Errorf("fwmark service %+v", s.Service)
				}
			case s.Protocol == ipvs.SCTP:
				ds, err := c.Destinations(s.ServiceKey)
				if err != nil || len(ds) != 1 || ds[0].TunnelType != ipvs.TunnelGUE || ds[0].TunnelPort != 6080 || ds[0].TunnelFlags != ipvs.TunnelCsum {
					return fmt.Errorf("tunnel destination %+v, %v", ds, err)
				}
			}
		}
		return nil
	}())
	r.check("lvs_timeouts", func() error {
		t, err := c.Timeouts()
		if err != nil {
			return err
		}
		if t != (ipvs.Timeouts{TCP: time.Hour, TCPFin: time.Minute, UDP: 90 * time.Second}) {
			return fmt.Errorf("timeouts %+v", t)
		}
		out, err := sh("ipvsadm", "-L", "--timeout")
		if err != nil || !strings.Contains(out, "3600 60 90") {
			return fmt.Errorf("ipvsadm --timeout %q, %v", out, err)
		}
		return nil
	}())

	// Traffic through the virtual server reaches a real server and shows in the statistics.
	r.check("traffic and stats", func() error {
		conn, err := net.DialTimeout("tcp", "198.51.100.1:80", 2*time.Second)
		if err != nil {
			return err
		}
		buf := make([]byte, 256)
		conn.SetDeadline(time.Now().Add(2 * time.Second))
		n, _ := conn.Read(buf)
		conn.Close()
		if !strings.Contains(string(buf[:n]), "203.0.113.") {
			return fmt.Errorf("reply %q", buf[:n])
		}
		// The kernel folds its per-CPU counters into the exported ones every 2 s.
		deadline := time.Now().Add(8 * time.Second)
		for {
			svcs, err := c.Services()
			if err != nil {
				return err
			}
			for _, s := range svcs {
				if s.Port == 80 && s.Stats.Connections >= 1 && s.Stats.PacketsIn >= 1 {
					fmt.Printf("VMTEST INFO stats %+v\n", s.Stats)
					return nil
				}
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no connection counted: %+v", svcs)
			}
			time.Sleep(200 * time.Millisecond)
		}
	}())

	// A server stops: removed.
	lns["203.0.113.2:8002"].stop()
	r.check("server down removed", expect(c, remove(full, vs+" -> 203.0.113.2:8002 Masq 1")...))

	// The inhibited server stops: weight 0, alive weight 1 < quorum 2, the sorry server replaces
	// the others.
	lns["203.0.113.3:8003"].stop()
	lost := []string{foreign, vs, fwm, v6, vs + " -> 203.0.113.3:8003 Masq 0", vs + " -> 203.0.113.99:80 Masq 1",
		fwm + " -> 203.0.113.1:0 Route 1", v6 + " -> [2001:db8::10]:443 Tunnel 7"}
	r.check("quorum lost, sorry server", expect(c, lost...))

	// Both come back: the quorum is regained and the sorry server leaves.
	r.check("restart listeners", errors.Join(lns["203.0.113.2:8002"].start(), lns["203.0.113.3:8003"].start()))
	r.check("quorum regained", expect(c, full...))

	// A reload that changes one weight is exactly one update.
	cfg2, err := load(3)
	if err != nil {
		return err
	}
	ch, err = m.Reload(cfg2)
	if err == nil && (ch.Total() != 1 || ch.DestsUpdated != 1) {
		err = fmt.Errorf("reload changes %+v, want one destination update", ch)
	}
	r.check("reload one weight = one update", err)
	r.check("reload table", expect(c, replace(full, vs+" -> 203.0.113.1:8001 Masq 1", vs+" -> 203.0.113.1:8001 Masq 3")...))
	ch, err = m.Reload(cfg2)
	if err == nil && ch.Total() != 0 {
		err = fmt.Errorf("identical reload changes %+v", ch)
	}
	r.check("identical reload = no operation", err)

	// lvs_sync_daemon: a backup daemon on a veth (multicast-capable) interface, seen by ipvsadm.
	r.check("sync daemon", func() error {
		if _, err := sh("ip", "link", "add", "sync0", "type", "veth", "peer", "name", "sync1"); err != nil {
			return err
		}
		if _, err := sh("ip", "link", "set", "sync0", "up"); err != nil {
			return err
		}
		d := ipvs.Daemon{State: ipvs.DaemonBackup, Interface: "sync0", SyncID: 9}
		if err := c.StartDaemon(d); err != nil {
			return err
		}
		ds, err := c.Daemons()
		if err != nil || len(ds) != 1 || ds[0].State != ipvs.DaemonBackup || ds[0].Interface != "sync0" || ds[0].SyncID != 9 {
			return fmt.Errorf("daemons %+v, %v", ds, err)
		}
		out, err := sh("ipvsadm", "-L", "--daemon")
		if err != nil || !strings.Contains(out, "backup sync daemon (mcast=sync0, syncid=9") {
			return fmt.Errorf("ipvsadm --daemon %q, %v", out, err)
		}
		if err := c.StopDaemon(ipvs.DaemonBackup); err != nil {
			return err
		}
		if ds, err := c.Daemons(); err != nil || len(ds) != 0 {
			return fmt.Errorf("after stop: %+v, %v", ds, err)
		}
		return nil
	}())

	// Shutdown removes what we created and leaves the foreign service.
	cancel()
	_, err = m.Stop(false)
	r.check("stop", err)
	r.check("stop table", expect(c, foreign))
	return nil
}

// remove returns list without item.
func remove(list []string, item string) []string {
	return slices.DeleteFunc(slices.Clone(list), func(s string) bool { return s == item })
}

// replace returns list with old replaced by new.
func replace(list []string, old, new string) []string {
	out := slices.Clone(list)
	for i := range out {
		if out[i] == old {
			out[i] = new
		}
	}
	return out
}
