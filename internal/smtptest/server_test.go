package smtptest

import (
	"bufio"
	"fmt"
	"net"
	"strings"
	"testing"
	"time"
)

// TestServerRecords speaks the dialogue by hand and checks what the server records.
func TestServerRecords(t *testing.T) {
	s := Start(t)
	host, port := s.HostPort()
	c, err := net.Dial("tcp", net.JoinHostPort(host, port))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	r := bufio.NewReader(c)
	expect := func(code string) {
		t.Helper()
		l, err := r.ReadString('\n')
		if err != nil || !strings.HasPrefix(l, code) {
			t.Fatalf("reply %q (%v), want %s", l, err, code)
		}
	}
	expect("220")
	for _, cmd := range []string{"HELO lb1", "MAIL FROM:<a@example.com>", "RCPT TO:<b@example.com>"} {
		fmt.Fprintf(c, "%s\r\n", cmd)
		expect("250")
	}
	fmt.Fprint(c, "DATA\r\n")
	expect("354")
	fmt.Fprint(c, "From: a@example.com\r\nTo: b@example.com\r\nSubject: [lb1] test\r\n\r\nline 1\r\nline 2\r\n\r\n.\r\n")
	expect("250")
	fmt.Fprint(c, "QUIT\r\n")
	expect("221")
	m, ok := s.Next(5 * time.Second)
	want := Message{From: "a@example.com", To: "b@example.com", Subject: "[lb1] test", Body: "line 1\nline 2"}
	if !ok || m != want {
		t.Fatalf("Next: %+v %v, want %+v", m, ok, want)
	}
	if got := s.Take(); len(got) != 1 || got[0] != want {
		t.Errorf("Take: %+v", got)
	}
	if got := s.Take(); len(got) != 0 {
		t.Errorf("second Take: %+v", got)
	}
}
