package notify

import (
	"context"
	"fmt"
	"net"
	"strconv"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

// mailTemplate builds the common part of every alert from global_defs, or nil when
// no notification_email or smtp_server is set (keepalived then sends nothing). The
// defaults follow global_data.c: router_id and smtp_helo_name are the host name,
// notification_email_from is keepalived@<host name>.
func mailTemplate(g *config.GlobalDefs, hostname string) (*Mail, time.Duration) {
	if len(g.NotificationEmail) == 0 || g.SMTPServer == "" {
		return nil, 0
	}
	port := g.SMTPPort
	if port == 0 {
		port = 25
	}
	m := &Mail{
		Server: net.JoinHostPort(g.SMTPServer, strconv.Itoa(port)),
		HELO:   g.SMTPHeloName,
		From:   g.NotificationEmailFrom,
		To:     append([]string(nil), g.NotificationEmail...),
	}
	if m.HELO == "" {
		m.HELO = hostname
	}
	if m.From == "" {
		m.From = "keepalived@" + hostname
	}
	timeout := g.SMTPConnectTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	return m, timeout
}

// alertText is keepalived's subject suffix and body for a state (vrrp_notify.c
// vrrp_smtp_notifier(), vrrp_sync_smtp_notifier()); ok is false for states that
// send no mail.
func alertText(kind, state string) (subject, body string, ok bool) {
	group := kind == KindGroup
	switch state {
	case StateMaster:
		if group {
			return "Entering MASTER state", "=> All VRRP group instances are now in MASTER state <=", true
		}
		return "Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=", true
	case StateBackup:
		if group {
			return "Entering BACKUP state", "=> All VRRP group instances are now in BACKUP state <=", true
		}
		return "Entering BACKUP state", "=> VRRP Instance is nolonger owning VRRP VIPs <=", true
	case StateFault:
		if group {
			return "Entering FAULT state", "=> All VRRP group instances are now in FAULT state <=", true
		}
		return "Entering FAULT state", "=> VRRP Instance is nolonger owning VRRP VIPs <=", true
	}
	return "", "", false
}

// alert sends the mail for ev on its own goroutine (bounded by maxMailers), so a
// slow SMTP server never holds back the next notify script.
func (n *Notifier) alert(t *target, ev event) {
	subj, body, ok := alertText(ev.kind, ev.state)
	if !ok {
		return
	}
	m := *n.mail
	what := "VRRP Instance"
	if ev.kind == KindGroup {
		what = "VRRP Group"
	}
	router := n.routerID()
	m.Subject = fmt.Sprintf("[%s] %s %s - %s", router, what, ev.name, subj)
	m.Body = body
	m.Date = n.opts.Now()
	n.mailWG.Add(1)
	go func() {
		defer n.mailWG.Done()
		n.mailers <- struct{}{}
		defer func() { <-n.mailers }()
		if err := Send(context.Background(), n.opts.Dial, m, n.conns); err != nil {
			n.log.Warn(err.Error(), "instance", t.name)
			return
		}
		n.log.Info("SMTP alert successfully sent.", "instance", t.name)
	}()
}

// routerID is router_id, defaulting to the host name.
func (n *Notifier) routerID() string {
	if n.router != "" {
		return n.router
	}
	return n.opts.Hostname
}
