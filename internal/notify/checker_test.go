package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/smtptest"
)

// flush waits until every mail a has started is delivered.
func flush(t *testing.T, a *CheckerAlerts) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	if err := a.Close(ctx); err != nil {
		t.Fatal(err)
	}
}

// subjectsAndBodies renders messages as "subject | body" lines, in a stable order (mails are
// sent concurrently, so their arrival order is not part of the contract).
func subjectsAndBodies(ms []smtptest.Message) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Subject+" | "+m.Body)
	}
	slices.Sort(out)
	return out
}

const (
	alertVS = "[198.51.100.1]:tcp:80"
	alertRS = "[127.0.0.1]:tcp:8080"
)

// virtualServer is a virtual server with one real server whose block holds rsExtra.
func virtualServer(rsExtra string) string {
	return `
virtual_server 198.51.100.1 80 {
	protocol TCP
	real_server 127.0.0.1 8080 {
		` + rsExtra + `
		TCP_CHECK { connect_timeout 1 }
		MISC_CHECK { misc_path "/bin/true" }
	}
}
`
}

// ev is a checker transition of the test real server.
func ev(kind check.Kind, up, rsUp, rsChanged bool, reason string) check.Event {
	return check.Event{VirtualServer: alertVS, RealServer: alertRS, Checker: string(kind), Kind: kind,
		Up: up, Reason: reason, RSUp: rsUp, RSChanged: rsChanged, CheckerChanged: true}
}

func TestRealServerAlert(t *testing.T) {
	subj, body, ok := RealServerAlert("lb1", ev(check.KindTCP, false, false, true, "refused"))
	if !ok || subj != "[lb1] Realserver [127.0.0.1]:tcp:8080 of virtual server [198.51.100.1]:tcp:80 - DOWN" ||
		body != "=> TCP CHECK failed on service <=" {
		t.Errorf("TCP down: %q %q %v", subj, body, ok)
	}
	// A checker coming back while another still fails: the subject has the real server's state.
	subj, body, ok = RealServerAlert("lb1", ev(check.KindHTTP, true, false, false, ""))
	if !ok || !strings.HasSuffix(subj, " - DOWN") || body != "=> CHECK succeed on service <=" {
		t.Errorf("HTTP up, RS down: %q %q %v", subj, body, ok)
	}
	if _, _, ok := RealServerAlert("lb1", ev(check.KindFile, false, false, true, "")); ok {
		t.Error("FILE_CHECK mails")
	}
}

func TestQuorumAlertText(t *testing.T) {
	tests := []struct {
		q             QuorumAlert
		subject, body string
	}{
		{QuorumAlert{VirtualServer: alertVS, Up: true, Quorum: 4, Hysteresis: 1, Threshold: 5, WeightSum: 6},
			"[lb1] Virtualserver [198.51.100.1]:tcp:80 - UP", "=> Gained quorum 4+1=5 <= 6 <="},
		{QuorumAlert{VirtualServer: alertVS, Quorum: 4, Hysteresis: 1, Threshold: 3, WeightSum: 0},
			"[lb1] Virtualserver [198.51.100.1]:tcp:80 - DOWN", "=> Lost quorum 4+1=3 <= 0 <="},
		{QuorumAlert{VirtualServer: alertVS, Init: true, Quorum: 2, Hysteresis: 0, Threshold: 2, WeightSum: 1},
			"[lb1] Virtualserver [198.51.100.1]:tcp:80 - DOWN", "=> Starting with quorum down 2+0=2 <= 1 <="},
		{QuorumAlert{VirtualServer: alertVS, Up: true, Init: true, Quorum: 1, Threshold: 1, WeightSum: 1},
			"[lb1] Virtualserver [198.51.100.1]:tcp:80 - UP", "=> Starting with quorum up 1+0=1 <= 1 <="},
		{QuorumAlert{VirtualServer: alertVS, Stopping: true, Quorum: 1, Threshold: 1, WeightSum: 1},
			"[lb1] Virtualserver [198.51.100.1]:tcp:80 - DOWN", "=> Shutting down <="},
	}
	for _, tt := range tests {
		s, b := QuorumAlertText("lb1", tt.q)
		if s != tt.subject || b != tt.body {
			t.Errorf("QuorumAlertText(%+v) = %q, %q; want %q, %q", tt.q, s, b, tt.subject, tt.body)
		}
	}
}

// TestCheckerAlertsMail sends the checker alerts through a real SMTP dialogue and checks which
// events mail, with keepalived's subjects and bodies.
func TestCheckerAlertsMail(t *testing.T) {
	const (
		down = "[lb1] Realserver [127.0.0.1]:tcp:8080 of virtual server [198.51.100.1]:tcp:80 - DOWN"
		up   = "[lb1] Realserver [127.0.0.1]:tcp:8080 of virtual server [198.51.100.1]:tcp:80 - UP"
	)
	tcpDown := ev(check.KindTCP, false, false, true, "connection refused")
	tcpUp := ev(check.KindTCP, true, true, true, "")
	// The MISC_CHECK fails while TCP_CHECK is already down: the real server stays down.
	miscDown := ev(check.KindMisc, false, false, false, "misc_path exited with status 1")
	weightOnly := ev(check.KindMisc, true, true, false, "")
	weightOnly.CheckerChanged, weightOnly.HasWeight, weightOnly.Weight = false, true, 3
	tests := []struct {
		name, globals, rs string
		events            []check.Event
		want              []string
	}{
		{"down then up", "", "", []check.Event{tcpDown, tcpUp}, []string{
			down + " | => TCP CHECK failed on service <=",
			up + " | => TCP CHECK succeed on service <=",
		}},
		{"each checker mails", "", "", []check.Event{tcpDown, miscDown}, []string{
			down + " | => MISC CHECK failed on service <=",
			down + " | => TCP CHECK failed on service <=",
		}},
		{"no_checker_emails: only real server changes", "no_checker_emails", "", []check.Event{tcpDown, miscDown, tcpUp}, []string{
			down + " | => TCP CHECK failed on service <=",
			up + " | => TCP CHECK succeed on service <=",
		}},
		{"smtp_alert off on the real server", "", "smtp_alert false", []check.Event{tcpDown, tcpUp}, nil},
		{"smtp_alert_checker off", "smtp_alert_checker false", "", []check.Event{tcpDown, tcpUp}, nil},
		{"weight change", "", "", []check.Event{weightOnly}, nil},
		{"unknown real server", "", "", []check.Event{{VirtualServer: alertVS, RealServer: "[127.0.0.2]:tcp:8080", Kind: check.KindTCP, RSChanged: true, CheckerChanged: true}}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			box := smtptest.Start(t)
			cfg := load(t, box.GlobalDefs(tt.globals)+virtualServer(tt.rs))
			a := NewCheckerAlerts(cfg, CheckerOptions{Logger: quietLog(t), Hostname: "host"})
			if a == nil {
				t.Fatal("no alerts for a configuration with smtp_server")
			}
			for _, e := range tt.events {
				a.CheckerChanged(e)
			}
			flush(t, a)
			got := box.Take()
			if want := slices.Sorted(slices.Values(tt.want)); !slices.Equal(subjectsAndBodies(got), want) {
				t.Errorf("mails:\n%q\nwant:\n%q", subjectsAndBodies(got), want)
			}
			for _, m := range got {
				if m.From != "keepalived@lb1.example.com" || m.To != "ops@example.com" {
					t.Errorf("headers: %+v", m)
				}
			}
		})
	}
}

// TestQuorumAlertsMail: a quorum change mails for a virtual server with smtp_alert only.
func TestQuorumAlertsMail(t *testing.T) {
	box := smtptest.Start(t)
	cfg := load(t, box.GlobalDefs("")+virtualServer(""))
	a := NewCheckerAlerts(cfg, CheckerOptions{Logger: quietLog(t)})
	a.QuorumChanged(QuorumAlert{VirtualServer: alertVS, Quorum: 2, Threshold: 2, WeightSum: 1, SMTPAlert: true})
	a.QuorumChanged(QuorumAlert{VirtualServer: alertVS, Up: true, Quorum: 2, Threshold: 2, WeightSum: 2})
	flush(t, a)
	want := []string{"[lb1] Virtualserver [198.51.100.1]:tcp:80 - DOWN | => Lost quorum 2+0=2 <= 1 <="}
	if got := subjectsAndBodies(box.Take()); !slices.Equal(got, want) {
		t.Errorf("mails %q, want %q", got, want)
	}
}

// TestCheckerAlertsUnconfigured: without smtp_server there is no sender, and a nil one is inert.
func TestCheckerAlertsUnconfigured(t *testing.T) {
	cfg := load(t, "global_defs {\n notification_email {\n a@example.com\n }\n}\n"+virtualServer(""))
	a := NewCheckerAlerts(cfg, CheckerOptions{})
	if a != nil {
		t.Fatal("alerts without smtp_server")
	}
	a.CheckerChanged(ev(check.KindTCP, false, false, true, ""))
	a.QuorumChanged(QuorumAlert{SMTPAlert: true})
	if err := a.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// TestCheckerAlertsCloseAbandons: Close gives up on a server that never answers once its
// context ends, instead of waiting smtp_connect_timeout.
func TestCheckerAlertsCloseAbandons(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	accepted := make(chan net.Conn, 1)
	go func() {
		c, err := ln.Accept()
		if err == nil {
			accepted <- c
		}
	}()
	host, port, _ := net.SplitHostPort(ln.Addr().String())
	cfg := load(t, fmt.Sprintf("global_defs {\n notification_email {\n a@example.com\n }\n smtp_server %s %s\n smtp_connect_timeout 300\n}\n", host, port)+virtualServer(""))
	a := NewCheckerAlerts(cfg, CheckerOptions{Logger: quietLog(t)})
	a.CheckerChanged(ev(check.KindTCP, false, false, true, ""))
	var c net.Conn
	select {
	case c = <-accepted:
		defer c.Close()
	case <-time.After(wait):
		t.Fatal("no connection")
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := a.Close(ctx); err == nil {
		t.Error("Close reported nothing abandoned")
	}
}

// quietLog logs to the test's output.
func quietLog(t *testing.T) *slog.Logger { return slog.New(slog.NewTextHandler(testWriter{t}, nil)) }

// TestCheckerAlertsAfterClose: an alert after Close is dropped, not sent.
func TestCheckerAlertsAfterClose(t *testing.T) {
	box := smtptest.Start(t)
	a := NewCheckerAlerts(load(t, box.GlobalDefs("")+virtualServer("")), CheckerOptions{Logger: quietLog(t)})
	flush(t, a)
	a.CheckerChanged(ev(check.KindTCP, false, false, true, ""))
	flush(t, a)
	if got := box.Take(); len(got) != 0 {
		t.Errorf("mailed after Close: %+v", got)
	}
}
