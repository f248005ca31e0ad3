package daemon

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// TestDaemonHealthCheckers runs the gokeepalived binary in a namespace with one virtual server
// and two real servers (HTTP_GET and TCP_CHECK) served by this test inside the namespace, an
// lvs_notify_fifo and notify_up/notify_down scripts. Stopping the HTTP server must produce the
// DOWN FIFO line and run notify_down; restarting it, the UP line and notify_up. SIGTERM must
// stop the daemon cleanly.
func TestDaemonHealthCheckers(t *testing.T) {
	nettest.RequireRoot(t)
	dir := t.TempDir()
	bin := filepath.Join(dir, "gokeepalived")
	if out, err := exec.Command("go", "build", "-o", bin, "github.com/gokeepalived/gokeepalived/cmd/gokeepalived").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	ns := nettest.NewNS(t, "chk")
	ns.IP("addr", "add", "198.51.100.10/32", "dev", "lo")
	ns.IP("addr", "add", "198.51.100.11/32", "dev", "lo")
	// A lone VRRP instance on a veth inside the namespace: it must become MASTER while the
	// checkers come and go.
	ns.IP("link", "add", "vr0", "type", "veth", "peer", "name", "vr1")
	ns.IP("addr", "add", "198.51.100.2/24", "dev", "vr0")
	ns.IP("link", "set", "vr1", "up")
	ns.IP("link", "set", "vr0", "up")

	httpSrv := serveInNS(t, ns, "198.51.100.10:8080", true)
	serveInNS(t, ns, "198.51.100.11:8081", false)

	notifyOut := filepath.Join(dir, "notify.out")
	notify := filepath.Join(dir, "notify.sh")
	if err := os.WriteFile(notify, []byte("#!/bin/sh\necho \"$@\" >> "+notifyOut+"\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "lvs.fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	// O_RDWR: the open does not wait for the daemon, and the reader survives the daemon closing.
	rd, err := os.OpenFile(fifo, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rd.Close() })
	lines := make(chan string, 16)
	go func() {
		br := bufio.NewReader(rd)
		for {
			l, err := br.ReadString('\n')
			if err != nil {
				return
			}
			lines <- l
		}
	}()

	conf := filepath.Join(dir, "keepalived.conf")
	timing := "connect_timeout 1\n      delay_loop 1\n      warmup 0\n      retry 0\n      delay_before_retry 1"
	src := fmt.Sprintf(`global_defs {
  router_id chk
  lvs_notify_fifo %s
}
virtual_server 198.51.100.1 80 {
  protocol TCP
  lb_algo rr
  lb_kind NAT
  real_server 198.51.100.10 8080 {
    notify_up "%s up [198.51.100.10]:8080"
    notify_down "%s down [198.51.100.10]:8080"
    HTTP_GET {
      url {
        path /health
        status_code 200
      }
      %s
    }
  }
  real_server 198.51.100.11 8081 {
    TCP_CHECK {
      %s
    }
    PING_CHECK {
      %s
    }
  }
}
vrrp_instance VI_1 {
  state BACKUP
  interface vr0
  virtual_router_id 51
  priority 100
  advert_int 1
  virtual_ipaddress {
    203.0.113.1/32
  }
}
`, fifo, notify, notify, timing, timing, timing)
	if err := os.WriteFile(conf, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	logPath := filepath.Join(dir, "daemon.log")
	logf, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { logf.Close() })
	cmd := ns.Command(context.Background(), bin, "-n", "-l", "-G", "-f", conf,
		"-p", filepath.Join(dir, "k.pid"), "-r", filepath.Join(dir, "v.pid"), "-c", filepath.Join(dir, "c.pid"))
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Kill() // by PID; a no-op once it has exited
		<-exited
	})
	readLog := func() string {
		b, _ := os.ReadFile(logPath)
		return string(b)
	}
	waitFor(t, "checkers started", func() bool { return strings.Contains(readLog(), "Starting healthcheckers") }, readLog)

	rs, vs := "[198.51.100.10]:tcp:8080", "[198.51.100.1]:tcp:80"
	httpSrv.stop()
	expectFIFO(t, lines, "RS "+rs+" "+vs+" DOWN\n", readLog)
	waitFor(t, "notify_down", func() bool { return fileHas(notifyOut, "down [198.51.100.10]:8080\n") }, readLog)

	serveInNS(t, ns, "198.51.100.10:8080", true)
	expectFIFO(t, lines, "RS "+rs+" "+vs+" UP\n", readLog)
	waitFor(t, "notify_up", func() bool { return fileHas(notifyOut, "up [198.51.100.10]:8080\n") }, readLog)

	log := readLog()
	for _, want := range []string{
		"Removing service " + rs + " from VS " + vs,
		"Adding service " + rs + " to VS " + vs,
	} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q", want)
		}
	}
	if _, err := os.Stat("/proc/net/ip_vs"); errors.Is(err, os.ErrNotExist) {
		if !strings.Contains(log, "LVS is off") || !strings.Contains(log, "kernel has no IPVS") {
			t.Errorf("log does not say LVS is off for lack of IPVS:\n%s", log)
		}
	} else {
		t.Log("this kernel has IPVS: the no-IPVS log line is not checked")
	}
	// The TCP_CHECK + PING_CHECK real server never changed, and PING_CHECK did run.
	if strings.Contains(log, "[198.51.100.11]:tcp:8081 from VS") || strings.Contains(log, "PING_CHECK disabled") {
		t.Errorf("TCP_CHECK/PING_CHECK real server went down or PING_CHECK did not run:\n%s", log)
	}
	// VRRP ran beside the checkers, unaffected by the real server going down and up.
	waitFor(t, "VRRP MASTER with its VIP", func() bool {
		out, _ := ns.TryIP("-o", "addr", "show", "dev", "vr0")
		return strings.Contains(out, "203.0.113.1/32")
	}, readLog)

	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case err := <-exited:
		exited <- err // for the cleanup
		if err != nil {
			t.Errorf("daemon exit: %v\n%s", err, readLog())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("daemon did not stop on SIGTERM\n%s", readLog())
	}
	if testing.Verbose() {
		t.Log(readLog())
	}
	if !strings.Contains(readLog(), "Stopped healthcheckers") {
		t.Errorf("no clean checker stop in the log:\n%s", readLog())
	}
}

// nsServer is a listener opened inside a namespace.
type nsServer struct {
	once sync.Once
	ln   net.Listener
	srv  *http.Server
}

// stop closes the listener (and the HTTP server), so new connections are refused.
func (s *nsServer) stop() {
	s.once.Do(func() {
		if s.srv != nil {
			_ = s.srv.Close()
		}
		_ = s.ln.Close()
	})
}

// serveInNS listens on addr inside ns: an HTTP server answering 200 "ok", or a TCP listener that
// accepts and closes. It is stopped in t.Cleanup.
func serveInNS(t *testing.T, ns *nettest.NS, addr string, httpOK bool) *nsServer {
	t.Helper()
	s := &nsServer{}
	if err := ns.Do(func() error {
		var err error
		s.ln, err = net.Listen("tcp", addr)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.stop)
	if httpOK {
		s.srv = &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			_, _ = w.Write([]byte("ok\n"))
		}), ReadHeaderTimeout: 5 * time.Second}
		go func() { _ = s.srv.Serve(s.ln) }()
		return s
	}
	go func() {
		for {
			c, err := s.ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	return s
}

// expectFIFO waits for the next FIFO line (a generous bound, not a timing assertion).
func expectFIFO(t *testing.T, lines <-chan string, want string, log func() string) {
	t.Helper()
	select {
	case got := <-lines:
		if got != want {
			t.Fatalf("fifo line %q, want %q\n%s", got, want, log())
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("no fifo line %q\n%s", want, log())
	}
}

// waitFor polls cond until it holds or 10 s pass.
func waitFor(t *testing.T, what string, cond func() bool, log func() string) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s\n%s", what, log())
}

// fileHas reports whether the file at path contains s.
func fileHas(path, s string) bool {
	b, err := os.ReadFile(path)
	return err == nil && strings.Contains(string(b), s)
}
