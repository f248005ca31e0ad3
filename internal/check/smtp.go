package check

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"strconv"
)

// SMTPProber is one host of SMTP_CHECK: expect 220, send HELO, expect 250,
// send QUIT and wait for any reply line (check_smtp.c smtp_engine_thread). keepalived turns every host{} block into its own
// checker; NewSMTP does the same.
type SMTPProber struct {
	Conn   Conn
	Target netip.AddrPort
	Helo   string
}

// NewSMTP returns one prober per host{} (or one for the checker's own
// options when there are none). The port defaults to 25.
func NewSMTP(rs netip.AddrPort, o SMTPOptions) []*SMTPProber {
	helo := o.HeloName
	if helo == "" {
		helo = DefaultSMTPHelo
	}
	hosts := o.Hosts
	if len(hosts) == 0 {
		hosts = []Conn{o.Conn}
	}
	var out []*SMTPProber
	for _, h := range hosts {
		if h.ConnectTimeout == 0 {
			h.ConnectTimeout = o.ConnectTimeout
		}
		t := h.Target(rs)
		if t.Port() == 0 {
			t = netip.AddrPortFrom(t.Addr(), 25)
		}
		out = append(out, &SMTPProber{Conn: h, Target: t, Helo: helo})
	}
	return out
}

// Probe runs the dialogue.
func (p *SMTPProber) Probe(ctx context.Context) Outcome {
	conn, err := p.Conn.dialTCP(ctx, p.Target)
	if err != nil {
		return Fail(err)
	}
	defer conn.Close()
	stop := context.AfterFunc(ctx, func() { _ = conn.Close() })
	defer stop()
	r := bufio.NewReader(conn)
	if err := p.expect(conn, r, 220, "banner"); err != nil {
		return Fail(err)
	}
	p.Conn.stepDeadline(conn)
	if _, err := fmt.Fprintf(conn, "HELO %s\r\n", p.Helo); err != nil {
		return Fail(fmt.Errorf("SMTP send HELO: %w", err))
	}
	if err := p.expect(conn, r, 250, "HELO"); err != nil {
		return Fail(err)
	}
	p.Conn.stepDeadline(conn)
	if _, err := conn.Write([]byte("QUIT\r\n")); err != nil {
		return Fail(fmt.Errorf("SMTP send QUIT: %w", err))
	}
	// keepalived waits for a line in answer to QUIT (normally 221) but
	// does not check its code.
	p.Conn.stepDeadline(conn)
	if _, err := r.ReadSlice('\n'); err != nil && !errors.Is(err, bufio.ErrBufferFull) {
		return Fail(fmt.Errorf("SMTP QUIT: no reply: %w", err))
	}
	return Outcome{}
}

// expect reads one complete (possibly multi-line) reply and checks its code.
func (p *SMTPProber) expect(conn net.Conn, r *bufio.Reader, want int, step string) error {
	var buf []byte
	for {
		p.Conn.stepDeadline(conn)
		line, err := r.ReadSlice('\n')
		buf = append(buf, line...)
		if code, done, perr := ParseSMTPReply(buf); perr != nil {
			return fmt.Errorf("SMTP %s: %w", step, perr)
		} else if done {
			if code != want {
				return fmt.Errorf("SMTP %s: got %d, want %d", step, code, want)
			}
			return nil
		}
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				continue
			}
			return fmt.Errorf("SMTP %s: %w", step, err)
		}
		if len(buf) > 64<<10 {
			return fmt.Errorf("SMTP %s: reply too long", step)
		}
	}
}

// ParseSMTPReply parses an SMTP reply (RFC 5321 §4.2): lines "NNN-text"
// continue it, "NNN text" (or just "NNN") ends it, and every line must carry
// the same code. done is false while the last line is incomplete or a
// continuation line.
func ParseSMTPReply(b []byte) (code int, done bool, err error) {
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		if i < 0 {
			return code, false, nil
		}
		line := bytes.TrimRight(b[:i], "\r")
		b = b[i+1:]
		if len(line) < 3 {
			return 0, false, fmt.Errorf("malformed reply line %q", line)
		}
		c, cerr := strconv.Atoi(string(line[:3]))
		if cerr != nil || c < 200 || c > 599 || line[0] == '+' || line[0] == '-' {
			return 0, false, fmt.Errorf("malformed reply code %q", line[:3])
		}
		if code != 0 && c != code {
			return 0, false, fmt.Errorf("reply code changed from %d to %d", code, c)
		}
		code = c
		if len(line) == 3 || line[3] == ' ' {
			if len(b) > 0 {
				return 0, false, errors.New("data after the last reply line")
			}
			return code, true, nil
		}
		if line[3] != '-' {
			return 0, false, fmt.Errorf("malformed reply line %q", line)
		}
	}
	return code, false, nil
}
