// Package smtptest is a loopback SMTP server for tests: it accepts any number of sessions,
// answers the plain dialogue keepalived's smtp.c speaks (RFC 5321 §3.3) and records every
// delivered message, which tests read with Take or wait for with Next.
package smtptest

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// Message is one delivered message as the server saw it.
type Message struct {
	From, To, Subject string
	// Body is the text after the headers, without the blank line keepalived writes before the
	// final dot.
	Body string
}

// Server is a running test server; Start makes one and stops it in t.Cleanup.
type Server struct {
	ln   net.Listener
	wg   sync.WaitGroup
	mu   sync.Mutex
	msgs []Message
	// arrived receives every message too, for Next.
	arrived chan Message
}

// Start listens on 127.0.0.1 and serves until the test ends.
func Start(t testing.TB) *Server {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{ln: ln, arrived: make(chan Message, 64)}
	s.wg.Add(1)
	go s.accept()
	t.Cleanup(func() { ln.Close(); s.wg.Wait() })
	return s
}

// HostPort returns the host and port for keepalived.conf's smtp_server.
func (s *Server) HostPort() (host, port string) {
	host, port, _ = net.SplitHostPort(s.ln.Addr().String())
	return host, port
}

// GlobalDefs is a global_defs block that mails to s as router lb1, from
// keepalived@lb1.example.com to ops@example.com; extra lines go inside it.
func (s *Server) GlobalDefs(extra string) string {
	host, port := s.HostPort()
	return fmt.Sprintf(`
global_defs {
	router_id lb1
	notification_email {
		ops@example.com
	}
	notification_email_from keepalived@lb1.example.com
	smtp_server %s %s
	smtp_connect_timeout 5
	%s
}
`, host, port, extra)
}

// Take returns and clears the messages received so far.
func (s *Server) Take() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := s.msgs
	s.msgs = nil
	return out
}

// Next waits up to timeout for the next message to arrive (in arrival order; Take does not
// consume them). The timeout is a safety net, not a timing assertion.
func (s *Server) Next(timeout time.Duration) (Message, bool) {
	select {
	case m := <-s.arrived:
		return m, true
	case <-time.After(timeout):
		return Message{}, false
	}
}

func (s *Server) accept() {
	defer s.wg.Done()
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return
		}
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			s.session(c)
		}()
	}
}

func (s *Server) session(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	fmt.Fprint(c, "220 test\r\n")
	var data []string
	inData := false
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		line = strings.TrimSuffix(line, "\r\n")
		switch {
		case inData && line == ".":
			inData = false
			m := parse(data)
			data = nil
			s.mu.Lock()
			s.msgs = append(s.msgs, m)
			s.mu.Unlock()
			select {
			case s.arrived <- m:
			default: // nobody waits with Next; Take still has it
			}
			fmt.Fprint(c, "250 queued\r\n")
		case inData:
			data = append(data, line)
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

// parse reads the headers and the body of a DATA section.
func parse(lines []string) Message {
	var m Message
	i := 0
	for ; i < len(lines) && lines[i] != ""; i++ {
		k, v, _ := strings.Cut(lines[i], ": ")
		switch k {
		case "From":
			m.From = v
		case "To":
			m.To = v
		case "Subject":
			m.Subject = v
		}
	}
	body := lines[min(i+1, len(lines)):]
	m.Body = strings.TrimSuffix(strings.Join(body, "\n"), "\n")
	return m
}
