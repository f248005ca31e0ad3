//go:build linux

package main

import (
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"
)

// httpServer is an HTTP real server that can be stopped and started. It answers every path with
// 200 and its own address as the body, so that a request through a virtual server tells which
// real server (or the sorry server) answered. A real HTTP server, rather than the raw listener,
// because HTTP_GET sends a request and a server that answers before reading it may reset the
// connection under the checker's read.
type httpServer struct {
	addr string
	mu   sync.Mutex
	srv  *http.Server
}

// start listens on the server's address and serves in the background.
func (h *httpServer) start() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	ln, err := net.Listen("tcp", h.addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", h.addr, err)
	}
	h.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, h.addr)
		}),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go h.srv.Serve(ln)
	return nil
}

// stop closes the listener and every connection, so that new connections are refused.
func (h *httpServer) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.srv != nil {
		h.srv.Close()
		h.srv = nil
	}
}
