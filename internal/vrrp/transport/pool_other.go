//go:build !linux

package transport

import (
	"log/slog"
	"net/netip"
)

// Pool is unavailable off Linux; Open always fails with ErrUnsupported.
type Pool struct{}

// Conn is unavailable off Linux.
type Conn struct{}

// NewPool returns a pool whose Open fails with ErrUnsupported.
func NewPool(*slog.Logger) *Pool { return &Pool{} }

// Open fails with ErrUnsupported.
func (p *Pool) Open(Config) (*Conn, error) { return nil, ErrUnsupported }

// Packets returns nil.
func (c *Conn) Packets() <-chan Packet { return nil }

// Destinations returns nil.
func (c *Conn) Destinations() []netip.Addr { return nil }

// Send fails with ErrUnsupported.
func (c *Conn) Send(...Copy) error { return ErrUnsupported }

// Stats returns zero counters.
func (c *Conn) Stats() Stats { return Stats{} }

// Close does nothing.
func (c *Conn) Close() error { return nil }
