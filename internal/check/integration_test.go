package check

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// syncBuffer is a goroutine-safe FIFO stand-in.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// TestEndToEndHTTP wires a real HTTP_GET prober into the scheduler and the
// notifier: the server fails, the real server goes down (one FIFO line),
// the server recovers, the real server comes back up. Only the order of
// events is asserted, not their timing.
func TestEndToEndHTTP(t *testing.T) {
	var healthy atomic.Bool
	healthy.Store(true)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !healthy.Load() {
			http.Error(w, "down", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte("ok"))
	}))
	defer srv.Close()
	rsAddr := addrOf(t, srv.URL)
	p, err := NewHTTP(rsAddr, HTTPOptions{Conn: Conn{ConnectTimeout: time.Second}, FastRecovery: true, URLs: []URL{{Path: "/"}}})
	if err != nil {
		t.Fatal(err)
	}
	vs, rs := "[203.0.113.1]:tcp:80", FormatRS(rsAddr, "tcp")
	s, err := New(Config{Logger: quiet()}, []RealServer{{VirtualServer: vs, ID: rs, Checkers: []Spec{{
		Kind: KindHTTP, Prober: p, FastRecovery: true,
		Schedule: Schedule{DelayLoop: 20 * time.Millisecond, Retry: 1, DelayBeforeRetry: 10 * time.Millisecond},
	}}}})
	if err != nil {
		t.Fatal(err)
	}
	fifo := &syncBuffer{}
	n := &Notifier{FIFO: fifo}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	done := make(chan struct{})
	go func() { _ = s.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()

	healthy.Store(false)
	ev := <-s.Events()
	if ev.Up || !ev.RSChanged || ev.Reason == "" {
		t.Fatalf("down event %+v", ev)
	}
	n.Handle(ctx, ev)
	healthy.Store(true)
	ev = <-s.Events()
	if !ev.Up || !ev.RSChanged || !ev.RSUp {
		t.Fatalf("up event %+v", ev)
	}
	n.Handle(ctx, ev)
	want := "RS " + rs + " " + vs + " DOWN\nRS " + rs + " " + vs + " UP\n"
	if got := fifo.String(); got != want {
		t.Fatalf("fifo %q want %q", got, want)
	}
}
