package control

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/status"
)

// Options configures a Server.
type Options struct {
	// Socket is the Unix socket path serving /status and /metrics; "" serves none.
	Socket string
	// MetricsListen is a TCP address ("127.0.0.1:9650", ":9650") serving /metrics alone; ""
	// serves none.
	MetricsListen string
	// Report builds the status report for /status.
	Report func(context.Context) (status.Report, error)
	// Metrics serves /metrics; nil answers 404.
	Metrics http.Handler
	// Logger defaults to slog.Default().
	Logger *slog.Logger
}

// reportTimeout bounds how long /status waits for the daemon's parts to answer.
const reportTimeout = 10 * time.Second

// Server is the running control socket and metrics listener.
type Server struct {
	log         *slog.Logger
	socket      string
	metricsAddr string
	servers     []*http.Server
	done        chan struct{}
}

// MetricsAddr is the address the metrics listener is bound to ("" without one); it tells the
// port when MetricsListen asked for port 0.
func (s *Server) MetricsAddr() string { return s.metricsAddr }

// Start listens as o says and serves in the background until Close. A listener that cannot be
// opened is an error and nothing is left open.
func Start(o Options) (*Server, error) {
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	s := &Server{log: o.Logger, done: make(chan struct{})}
	type served struct {
		l net.Listener
		h http.Handler
	}
	var ls []served
	closeAll := func() {
		for _, x := range ls {
			x.l.Close()
		}
	}
	if o.Socket != "" {
		l, err := listenUnix(o.Socket)
		if err != nil {
			return nil, err
		}
		s.socket = o.Socket
		ls = append(ls, served{l, s.mux(o, true)})
	}
	if o.MetricsListen != "" {
		l, err := net.Listen("tcp", o.MetricsListen)
		if err != nil {
			closeAll()
			s.removeSocket()
			return nil, fmt.Errorf("metrics listener %s: %w", o.MetricsListen, err)
		}
		s.metricsAddr = l.Addr().String()
		ls = append(ls, served{l, s.mux(o, false)})
	}
	remaining := len(ls)
	if remaining == 0 {
		close(s.done)
		return s, nil
	}
	finished := make(chan struct{}, remaining)
	for _, x := range ls {
		hs := &http.Server{
			Handler:           x.h,
			ReadHeaderTimeout: 5 * time.Second,
			WriteTimeout:      30 * time.Second,
			ErrorLog:          slog.NewLogLogger(o.Logger.Handler(), slog.LevelDebug),
		}
		s.servers = append(s.servers, hs)
		go func() {
			if err := hs.Serve(x.l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				o.Logger.Error("control socket stopped", "addr", x.l.Addr().String(), "err", err)
			}
			finished <- struct{}{}
		}()
	}
	go func() {
		for range remaining {
			<-finished
		}
		close(s.done)
	}()
	return s, nil
}

// mux routes the requests; the TCP listener serves the metrics only, so that a network peer
// cannot read the configuration details in /status.
func (s *Server) mux(o Options, local bool) http.Handler {
	m := http.NewServeMux()
	if o.Metrics != nil {
		m.Handle("GET /metrics", o.Metrics)
	}
	if local {
		m.HandleFunc("GET /status", func(w http.ResponseWriter, r *http.Request) {
			ctx, cancel := context.WithTimeout(r.Context(), reportTimeout)
			defer cancel()
			rep, err := o.Report(ctx)
			if err != nil {
				http.Error(w, "status unavailable: "+err.Error(), http.StatusServiceUnavailable)
				return
			}
			b, err := json.MarshalIndent(rep, "", "  ")
			if err != nil {
				http.Error(w, "status unavailable: "+err.Error(), http.StatusInternalServerError)
				return
			}
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(append(b, '\n'))
		})
	}
	m.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		if local {
			_, _ = io.WriteString(w, "gokeepalived control socket: GET /status (JSON), GET /metrics (Prometheus)\n")
			return
		}
		_, _ = io.WriteString(w, "gokeepalived: GET /metrics (Prometheus)\n")
	})
	return m
}

// Close stops serving, waits briefly for requests in flight and removes the socket file.
func (s *Server) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	var errs []error
	for _, hs := range s.servers {
		if err := hs.Shutdown(ctx); err != nil {
			// Requests still running after the grace period are cut off.
			errs = append(errs, err, hs.Close())
		}
	}
	<-s.done
	s.removeSocket()
	return errors.Join(errs...)
}

func (s *Server) removeSocket() {
	if s.socket != "" {
		_ = os.Remove(s.socket)
	}
}

// listenUnix listens on path, mode 0600. A socket file left by a daemon that died is replaced;
// one that still answers belongs to a running daemon and is an error.
func listenUnix(path string) (net.Listener, error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	if fi, err := os.Lstat(path); err == nil {
		if fi.Mode()&os.ModeSocket == 0 {
			return nil, fmt.Errorf("control socket %s: exists and is not a socket", path)
		}
		c, err := net.DialTimeout("unix", path, time.Second)
		if err == nil {
			c.Close()
			return nil, fmt.Errorf("control socket %s: another daemon is listening on it", path)
		}
		if !errors.Is(err, syscall.ECONNREFUSED) {
			return nil, fmt.Errorf("control socket %s: %w", path, err)
		}
		if err := os.Remove(path); err != nil {
			return nil, fmt.Errorf("control socket %s: removing the stale socket: %w", path, err)
		}
	}
	l, err := net.Listen("unix", path)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	// Connecting needs write permission on the socket: 0600 keeps it to root (the usual
	// umask 022 already leaves others without write; this does not depend on it).
	if err := os.Chmod(path, 0o600); err != nil {
		l.Close()
		return nil, fmt.Errorf("control socket %s: %w", path, err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	return l, nil
}
