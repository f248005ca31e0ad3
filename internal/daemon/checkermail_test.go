package daemon

import (
	"bufio"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// mailSink is a loopback SMTP server that sends each delivered message's Subject and body
// ("subject | body") on a channel.
type mailSink struct {
	ln    net.Listener
	mails chan string
}

func startMailSink(t *testing.T) *mailSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &mailSink{ln: ln, mails: make(chan string, 16)}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go s.session(c)
		}
	}()
	return s
}

func (s *mailSink) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 test\r\n")
	var subject string
	var body []string
	inData, inBody := false, false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\r\n")
		switch {
		case inData && line == ".":
			inData = false
			s.mails <- subject + " | " + strings.TrimSpace(strings.Join(body, "\n"))
			fmt.Fprint(c, "250 queued\r\n")
		case inData && inBody:
			body = append(body, line)
		case inData && line == "":
			inBody = true
		case inData:
			if v, ok := strings.CutPrefix(line, "Subject: "); ok {
				subject = v
			}
		case line == "DATA":
			inData = true
			fmt.Fprint(c, "354 go ahead\r\n")
		case line == "QUIT":
			fmt.Fprint(c, "221 bye\r\n")
			return
		default:
			fmt.Fprint(c, "250 ok\r\n")
		}
	}
}

// globalDefs mails to the sink as router lb1.
func (s *mailSink) globalDefs() string {
	host, port, _ := net.SplitHostPort(s.ln.Addr().String())
	return fmt.Sprintf("global_defs {\n router_id lb1\n notification_email {\n ops@example.com\n }\n smtp_server %s %s\n smtp_connect_timeout 5\n}\n", host, port)
}

// expectMail waits (generously, this is not a timing assertion) for the next mail.
func (s *mailSink) expectMail(t *testing.T, want string) {
	t.Helper()
	select {
	case got := <-s.mails:
		if got != want {
			t.Fatalf("mail %q, want %q", got, want)
		}
	case <-time.After(15 * time.Second):
		t.Fatalf("no mail %q", want)
	}
}

// TestCheckersMailRealServerDown runs a TCP_CHECK against a loopback listener that closes: the
// real server goes down and keepalived's alert reaches the SMTP server; it comes back up and the
// UP alert follows.
func TestCheckersMailRealServerDown(t *testing.T) {
	sink := startMailSink(t)
	ln := listenTCP(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	_, port, _ := strings.Cut(addr, ":")
	cfg := loadCfg(t, sink.globalDefs()+`virtual_server 127.0.0.1 `+port+` {
  protocol TCP
  real_server 127.0.0.1 `+port+` {
    TCP_CHECK { connect_timeout 1
      delay_loop 1
      warmup 0
      retry 0 }
  }
}
`)
	var logs syncBuffer
	stop := startCheckers(cfg, &cli.Options{}, slog.New(slog.NewTextHandler(&logs, nil)), nil)
	t.Cleanup(stop)
	name := "[127.0.0.1]:tcp:" + port
	ln.Close()
	sink.expectMail(t, "[lb1] Realserver "+name+" of virtual server "+name+" - DOWN | => TCP CHECK failed on service <=")
	listenTCP(t, addr)
	sink.expectMail(t, "[lb1] Realserver "+name+" of virtual server "+name+" - UP | => TCP CHECK succeed on service <=")
}

// TestLVSQuorumMail drives the IPVS manager (over an in-memory IPVS) through the daemon's
// OnQuorum hook: losing and regaining the quorum of a virtual server with smtp_alert mails.
func TestLVSQuorumMail(t *testing.T) {
	sink := startMailSink(t)
	cfg := loadCfg(t, sink.globalDefs()+`virtual_server 198.51.100.1 80 {
  protocol TCP
  smtp_alert
  quorum 2
  real_server 203.0.113.1 80 {
    weight 2
    TCP_CHECK { }
  }
}
`)
	log := slog.New(slog.NewTextHandler(&syncBuffer{}, nil))
	r := &lvsRuntime{log: log, runner: &quorumRunner{log: log, pol: policy.FromGlobal(&cfg.Global)}}
	r.alerts.Store(notify.NewCheckerAlerts(cfg, notify.CheckerOptions{Logger: log}))
	mgr, err := lvs.New(cfg, lvs.Options{Client: ipvstest.NewMemory(), Runner: r.runner, Logger: log, NoRSNotify: true, OnQuorum: r.quorumAlert})
	if err != nil {
		t.Fatal(err)
	}
	r.mgr = mgr
	if _, err := mgr.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.stop(false) })
	vs := "[198.51.100.1]:tcp:80"
	k := lvs.RSKey{VS: vs, Addr: netip.MustParseAddr("203.0.113.1"), Port: 80}
	if _, err := mgr.SetHealth(k, lvs.Health{Up: false}); err != nil {
		t.Fatal(err)
	}
	sink.expectMail(t, "[lb1] Virtualserver "+vs+" - DOWN | => Lost quorum 2+0=2 <= 0 <=")
	if _, err := mgr.SetHealth(k, lvs.Health{Up: true}); err != nil {
		t.Fatal(err)
	}
	sink.expectMail(t, "[lb1] Virtualserver "+vs+" - UP | => Gained quorum 2+0=2 <= 2 <=")
}
