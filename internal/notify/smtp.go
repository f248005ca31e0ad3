package notify

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strconv"
	"strings"
	"time"
)

// Mail is one alert as keepalived's smtp.c sends it.
type Mail struct {
	// Server is host:port; HELO is the smtp_helo_name.
	Server string
	HELO   string
	From   string
	To     []string
	// Subject is the full subject line, e.g. "[lb1] VRRP Instance VI_1 - Entering MASTER state".
	Subject string
	Body    string
	Date    time.Time
}

// Message is the DATA section keepalived writes (smtp.h SMTP_HEADERS_CMD,
// SMTP_BODY_CMD, SMTP_SEND_CMD): Date, From, Subject, X-Mailer and To headers, a
// blank line, the body, and the terminating dot (RFC 5321 §4.1.1.4). Body lines
// starting with a dot are doubled (RFC 5321 §4.5.2).
func (m Mail) Message() string {
	var b strings.Builder
	fmt.Fprintf(&b, "Date: %s\r\n", m.Date.Format("Mon, 02 Jan 2006 15:04:05 -0700"))
	fmt.Fprintf(&b, "From: %s\r\n", m.From)
	fmt.Fprintf(&b, "Subject: %s\r\n", m.Subject)
	b.WriteString("X-Mailer: Keepalived\r\n")
	fmt.Fprintf(&b, "To: %s\r\n\r\n", strings.Join(m.To, ", "))
	for _, l := range strings.Split(m.Body, "\n") {
		if strings.HasPrefix(l, ".") {
			l = "." + l
		}
		b.WriteString(l)
		b.WriteString("\r\n")
	}
	b.WriteString("\r\n.\r\n")
	return b.String()
}

// Send delivers m with keepalived's plain dialogue (RFC 5321 §3.3): HELO, MAIL FROM,
// one RCPT TO per address, DATA, the message, QUIT. timeout bounds the connection
// and each reply (smtp_connect_timeout).
func Send(ctx context.Context, dial func(ctx context.Context, network, addr string) (net.Conn, error), m Mail, timeout time.Duration) error {
	dctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := dial(dctx, "tcp", m.Server)
	if err != nil {
		return fmt.Errorf("SMTP connection ERROR to %s: %w", m.Server, err)
	}
	defer conn.Close()
	r := bufio.NewReader(conn)
	step := func(cmd string, want int) error {
		if err := conn.SetDeadline(time.Now().Add(timeout)); err != nil {
			return err
		}
		if cmd != "" {
			if _, err := conn.Write([]byte(cmd)); err != nil {
				return fmt.Errorf("can not send data to remote SMTP server %s: %w", m.Server, err)
			}
		}
		code, err := readReply(r)
		if err != nil {
			return fmt.Errorf("can not read data from remote SMTP server %s: %w", m.Server, err)
		}
		if code != want {
			name := strings.Fields(cmd + " CONNECT")[0]
			return fmt.Errorf("error processing %s cmd on SMTP server %s. SMTP status code = %d", name, m.Server, code)
		}
		return nil
	}
	if err := step("", 220); err != nil {
		return err
	}
	if err := step("HELO "+m.HELO+"\r\n", 250); err != nil {
		return err
	}
	if err := step("MAIL FROM:<"+m.From+">\r\n", 250); err != nil {
		return err
	}
	for _, to := range m.To {
		if err := step("RCPT TO:<"+to+">\r\n", 250); err != nil {
			return err
		}
	}
	if err := step("DATA\r\n", 354); err != nil {
		return err
	}
	if err := step(m.Message(), 250); err != nil {
		return err
	}
	// keepalived does not care about the QUIT reply.
	_ = conn.SetDeadline(time.Now().Add(timeout))
	_, _ = conn.Write([]byte("QUIT\r\n"))
	return nil
}

// readReply reads one possibly multi-line SMTP reply (RFC 5321 §4.2) and returns its code.
func readReply(r *bufio.Reader) (int, error) {
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return 0, err
		}
		code, last, err := ParseReplyLine(line)
		if err != nil {
			return 0, err
		}
		if last {
			return code, nil
		}
	}
}

// ParseReplyLine parses one SMTP reply line: three digits then a space (last line),
// a dash (more lines follow) or the end of the line (RFC 5321 §4.2).
func ParseReplyLine(line string) (code int, last bool, err error) {
	line = strings.TrimRight(line, "\r\n")
	if len(line) < 3 {
		return 0, false, fmt.Errorf("short SMTP reply %q", line)
	}
	code, err = strconv.Atoi(line[:3])
	if err != nil || code < 100 || code > 599 {
		return 0, false, fmt.Errorf("bad SMTP reply %q", line)
	}
	if len(line) > 3 && line[3] == '-' {
		return code, false, nil
	}
	return code, true, nil
}
