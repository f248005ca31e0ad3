package daemon

import (
	"log/slog"
	"net/netip"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/smtptest"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// expectMail waits (generously, this is not a timing assertion) for the next mail and compares
// its "subject | body".
func expectMail(t *testing.T, s *smtptest.Server, want string) {
	t.Helper()
	m, ok := s.Next(15 * time.Second)
	if !ok {
		t.Fatalf("no mail %q", want)
	}
	if got := m.Subject + " | " + m.Body; got != want {
		t.Fatalf("mail %q, want %q", got, want)
	}
}

// TestCheckersMailRealServerDown runs a TCP_CHECK against a loopback listener that closes: the
// real server goes down and keepalived's alert reaches the SMTP server; it comes back up and the
// UP alert follows.
func TestCheckersMailRealServerDown(t *testing.T) {
	sink := smtptest.Start(t)
	ln := listenTCP(t, "127.0.0.1:0")
	addr := ln.Addr().String()
	_, port, _ := strings.Cut(addr, ":")
	cfg := loadCfg(t, sink.GlobalDefs("")+`virtual_server 127.0.0.1 `+port+` {
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
	expectMail(t, sink, "[lb1] Realserver "+name+" of virtual server "+name+" - DOWN | => TCP CHECK failed on service <=")
	listenTCP(t, addr)
	expectMail(t, sink, "[lb1] Realserver "+name+" of virtual server "+name+" - UP | => TCP CHECK succeed on service <=")
}

// TestLVSQuorumMail drives the IPVS manager (over an in-memory IPVS) through the daemon's
// OnQuorum hook: losing and regaining the quorum of a virtual server with smtp_alert mails.
func TestLVSQuorumMail(t *testing.T) {
	sink := smtptest.Start(t)
	cfg := loadCfg(t, sink.GlobalDefs("")+`virtual_server 198.51.100.1 80 {
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
	expectMail(t, sink, "[lb1] Virtualserver "+vs+" - DOWN | => Lost quorum 2+0=2 <= 0 <=")
	if _, err := mgr.SetHealth(k, lvs.Health{Up: true}); err != nil {
		t.Fatal(err)
	}
	expectMail(t, sink, "[lb1] Virtualserver "+vs+" - UP | => Gained quorum 2+0=2 <= 2 <=")
}
