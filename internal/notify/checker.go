package notify

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/config"
)

// CheckerOptions tunes CheckerAlerts. The zero value is production behaviour.
type CheckerOptions struct {
	// Logger receives the send results; nil means slog.Default().
	Logger *slog.Logger
	// Dial connects to the SMTP server; nil means a net.Dialer.
	Dial func(ctx context.Context, network, addr string) (net.Conn, error)
	// Now stamps the Date headers; nil means time.Now.
	Now func() time.Time
	// Hostname is the default router_id, HELO name and sender domain; empty means os.Hostname().
	Hostname string
}

// CheckerAlerts sends the health checkers' SMTP alerts of keepalived: a real server's checker
// going up or down (smtp.c SMTP_MSG_RS) and a virtual server gaining or losing its quorum
// (SMTP_MSG_VS). Each mail is sent on its own goroutine, at most maxMailers at once, so the
// checker event loop and the IPVS manager never wait for the SMTP server. Its methods are safe
// from any goroutine; a nil *CheckerAlerts (no notification_email or smtp_server) sends nothing.
type CheckerAlerts struct {
	log     *slog.Logger
	dial    func(ctx context.Context, network, addr string) (net.Conn, error)
	now     func() time.Time
	mail    Mail
	timeout time.Duration
	router  string
	// noCheckerEmails is global no_checker_emails: only mail when the real server changes.
	noCheckerEmails bool
	// rsAlert is each real server's resolved smtp_alert, by check.ScriptKey(vs, rs).
	rsAlert map[string]bool

	ctx     context.Context // cancelled by Close when its grace runs out
	cancel  context.CancelFunc
	mailers chan struct{}
	wg      sync.WaitGroup
	mu      sync.Mutex
	closed  bool // set by Close: later alerts are dropped
}

// NewCheckerAlerts prepares the checker alerts of cfg; nil when global_defs has no
// notification_email or no smtp_server (keepalived then sends nothing).
func NewCheckerAlerts(cfg *config.Config, o CheckerOptions) *CheckerAlerts {
	if o.Hostname == "" {
		o.Hostname, _ = os.Hostname()
	}
	tmpl, timeout := mailTemplate(&cfg.Global, o.Hostname)
	if tmpl == nil {
		return nil
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.Dial == nil {
		var d net.Dialer
		o.Dial = d.DialContext
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	a := &CheckerAlerts{
		log: o.Logger, dial: o.Dial, now: o.Now, mail: *tmpl, timeout: timeout,
		router: cfg.Global.RouterID, noCheckerEmails: cfg.Global.NoCheckerEmails,
		rsAlert: map[string]bool{}, mailers: make(chan struct{}, maxMailers),
	}
	if a.router == "" {
		a.router = o.Hostname
	}
	for _, vs := range cfg.VirtualServers {
		for _, rs := range vs.RealServers {
			id := check.FormatRS(netip.AddrPortFrom(rs.Addr, rs.Port), vs.Protocol.String())
			a.rsAlert[check.ScriptKey(vs.Name(), id)] = rs.Resolved.SMTPAlert
		}
	}
	a.ctx, a.cancel = context.WithCancel(context.Background())
	return a
}

// CheckerChanged mails about a checker event when keepalived 2.2.x would: the checker went up
// or down (not a mere weight change), the real server has smtp_alert, and either the real server
// itself changed state or no_checker_emails is off. So each checker of a real server with several
// checkers mails its own transitions unless no_checker_emails.
func (a *CheckerAlerts) CheckerChanged(ev check.Event) {
	if a == nil || !ev.CheckerChanged || !a.rsAlert[check.ScriptKey(ev.VirtualServer, ev.RealServer)] {
		return
	}
	if a.noCheckerEmails && !ev.RSChanged {
		return
	}
	subject, body, ok := RealServerAlert(a.router, ev)
	if !ok {
		return
	}
	a.send(subject, body, "instance", ev.VirtualServer, "from", ev.RealServer)
}

// QuorumAlert is a virtual server's quorum announcement (lvs.QuorumChange).
type QuorumAlert struct {
	// VirtualServer is the format_vs() name.
	VirtualServer string
	Up            bool
	// Init: the state a virtual server starts with; Stopping: the daemon stops.
	Init, Stopping bool
	// Quorum, Hysteresis, Threshold and WeightSum are the figures of the alert body.
	Quorum, Hysteresis, Threshold, WeightSum int
	// SMTPAlert is the virtual server's resolved smtp_alert; without it nothing is sent.
	SMTPAlert bool
}

// QuorumChanged mails about a quorum announcement of a virtual server with smtp_alert.
func (a *CheckerAlerts) QuorumChanged(q QuorumAlert) {
	if a == nil || !q.SMTPAlert {
		return
	}
	subject, body := QuorumAlertText(a.router, q)
	a.send(subject, body, "instance", q.VirtualServer)
}

// RealServerAlert is the subject and body keepalived mails for a checker event (smtp.c
// smtp_alert() SMTP_MSG_RS): "[router] Realserver RS of virtual server VS - UP|DOWN", where the
// state is the real server's after the event, and the checker's body (check.AlertBody). ok is
// false for a checker kind that never mails.
func RealServerAlert(router string, ev check.Event) (subject, body string, ok bool) {
	body, ok = check.AlertBody(ev.Kind, ev.Up, ev.Reason)
	if !ok {
		return "", "", false
	}
	subject = fmt.Sprintf("[%s] Realserver %s of virtual server %s - %s", router, ev.RealServer, ev.VirtualServer, upDown(ev.RSUp))
	return subject, body, true
}

// QuorumAlertText is the subject and body keepalived mails for a quorum announcement
// (ipwrapper.c do_vs_notifies(), smtp.c SMTP_MSG_VS): "[router] Virtualserver VS - UP|DOWN" and
// "=> Gained quorum 2+1=3 <= 4 <=" (quorum+hysteresis=threshold <= alive weight), with "Lost
// quorum", "Starting with quorum up/down" or, at shutdown, "=> Shutting down <=".
func QuorumAlertText(router string, q QuorumAlert) (subject, body string) {
	subject = fmt.Sprintf("[%s] Virtualserver %s - %s", router, q.VirtualServer, upDown(q.Up))
	if q.Stopping {
		return subject, "=> Shutting down <="
	}
	what := "Lost quorum"
	switch {
	case q.Up && q.Init:
		what = "Starting with quorum up"
	case q.Up:
		what = "Gained quorum"
	case q.Init:
		what = "Starting with quorum down"
	}
	return subject, fmt.Sprintf("=> %s %d+%d=%d <= %d <=", what, q.Quorum, q.Hysteresis, q.Threshold, q.WeightSum)
}

// upDown is the state word of an alert subject.
func upDown(up bool) string {
	if up {
		return "UP"
	}
	return "DOWN"
}

// send delivers one mail in the background; attrs name what it is about in the log.
func (a *CheckerAlerts) send(subject, body string, attrs ...any) {
	m := a.mail
	m.To = append([]string(nil), a.mail.To...)
	m.Subject, m.Body, m.Date = subject, body, a.now()
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		a.log.Warn("SMTP alert dropped: sender closed", append(attrs, "reason", subject)...)
		return
	}
	a.wg.Add(1)
	a.mu.Unlock()
	go func() {
		defer a.wg.Done()
		select {
		case a.mailers <- struct{}{}:
		case <-a.ctx.Done():
			a.log.Warn("SMTP alert dropped at shutdown", append(attrs, "reason", subject)...)
			return
		}
		defer func() { <-a.mailers }()
		if err := Send(a.ctx, a.dialCancellable, m, a.timeout); err != nil {
			a.log.Warn(err.Error(), attrs...)
			return
		}
		a.log.Info("SMTP alert successfully sent.", attrs...)
	}()
}

// dialCancellable dials and ties the connection to a.ctx, so that Close can cut a dialogue with
// a stalled SMTP server short instead of waiting smtp_connect_timeout per reply.
func (a *CheckerAlerts) dialCancellable(ctx context.Context, network, addr string) (net.Conn, error) {
	c, err := a.dial(ctx, network, addr)
	if err != nil {
		return nil, err
	}
	stop := context.AfterFunc(a.ctx, func() { _ = c.Close() })
	return &afterConn{Conn: c, stop: stop}, nil
}

// afterConn unregisters its close-on-cancel hook when closed.
type afterConn struct {
	net.Conn
	stop func() bool
}

// Close implements net.Conn.
func (c *afterConn) Close() error {
	c.stop()
	return c.Conn.Close()
}

// Close waits for the mails under way until ctx ends, then abandons the rest (their
// connections are closed) and returns an error saying so. Alerts after Close are dropped. It is
// safe on a nil *CheckerAlerts.
func (a *CheckerAlerts) Close(ctx context.Context) error {
	if a == nil {
		return nil
	}
	a.mu.Lock()
	a.closed = true
	a.mu.Unlock()
	done := make(chan struct{})
	go func() { a.wg.Wait(); close(done) }()
	var err error
	select {
	case <-done:
	case <-ctx.Done():
		err = fmt.Errorf("notify: checker SMTP alerts abandoned: %w", ctx.Err())
		a.cancel()
		<-done
	}
	a.cancel()
	return err
}
