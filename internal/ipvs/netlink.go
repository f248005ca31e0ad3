package ipvs

import (
	"errors"
	"fmt"
	"os"
	"sync"
	"time"

	"github.com/mdlayher/genetlink"
	"github.com/mdlayher/netlink"
)

// conn is the kernel Client over a generic netlink socket.
type conn struct {
	// mu serialises requests: IPVS answers one request at a time and the dump replies of two
	// concurrent requests must not interleave on one socket.
	mu     sync.Mutex
	c      *genetlink.Conn
	family uint16
}

var _ Client = (*conn)(nil)

// newConn resolves the IPVS family on c; a missing family is ErrNotAvailable.
func newConn(c *genetlink.Conn) (*conn, error) {
	f, err := c.GetFamily(familyName)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w (no generic netlink family %q: load the ip_vs module)", ErrNotAvailable, familyName)
		}
		return nil, fmt.Errorf("ipvs: resolve generic netlink family %q: %w", familyName, err)
	}
	return &conn{c: c, family: f.ID}, nil
}

// execute sends one command with the attributes built by enc and returns the reply payloads.
func (c *conn) execute(cmd uint8, flags netlink.HeaderFlags, enc func(*netlink.AttributeEncoder)) ([][]byte, error) {
	var data []byte
	if enc != nil {
		ae := netlink.NewAttributeEncoder()
		enc(ae)
		b, err := ae.Encode()
		if err != nil {
			return nil, fmt.Errorf("ipvs: encode command %d: %w", cmd, err)
		}
		data = b
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	msgs, err := c.c.Execute(genetlink.Message{
		Header: genetlink.Header{Command: cmd, Version: familyVersion},
		Data:   data,
	}, c.family, netlink.Request|flags)
	if err != nil {
		return nil, err
	}
	out := make([][]byte, 0, len(msgs))
	for _, m := range msgs {
		// Copy out of the receive buffer, which the next read reuses.
		out = append(out, append([]byte(nil), m.Data...))
	}
	return out, nil
}

// Info implements Client.
func (c *conn) Info() (Info, error) {
	msgs, err := c.execute(cmdGetInfo, 0, nil)
	if err != nil {
		return Info{}, fmt.Errorf("ipvs: get info: %w", err)
	}
	if len(msgs) == 0 {
		return Info{}, fmt.Errorf("ipvs: get info: empty reply")
	}
	return decodeInfo(msgs[0])
}

// Services implements Client.
func (c *conn) Services() ([]ServiceEntry, error) {
	msgs, err := c.execute(cmdGetService, netlink.Dump, nil)
	if err != nil {
		return nil, fmt.Errorf("ipvs: list services: %w", err)
	}
	out := make([]ServiceEntry, 0, len(msgs))
	for _, m := range msgs {
		b, err := nested(m, attrService)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list services: %w", err)
		}
		s, err := decodeService(b)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list services: %w", err)
		}
		out = append(out, s)
	}
	return out, nil
}

// Service implements Client.
func (c *conn) Service(k ServiceKey) (ServiceEntry, error) {
	msgs, err := c.execute(cmdGetService, 0, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrService, func(nae *netlink.AttributeEncoder) error {
			encodeServiceKey(nae, k)
			return nil
		})
	})
	if err != nil {
		return ServiceEntry{}, fmt.Errorf("ipvs: get service %s: %w", k, err)
	}
	if len(msgs) == 0 {
		return ServiceEntry{}, fmt.Errorf("ipvs: get service %s: empty reply", k)
	}
	b, err := nested(msgs[0], attrService)
	if err != nil {
		return ServiceEntry{}, fmt.Errorf("ipvs: get service %s: %w", k, err)
	}
	e, err := decodeService(b)
	if err != nil {
		return ServiceEntry{}, fmt.Errorf("ipvs: get service %s: %w", k, err)
	}
	return e, nil
}

// serviceCmd runs a service command.
func (c *conn) serviceCmd(cmd uint8, what string, k ServiceKey, enc func(*netlink.AttributeEncoder)) error {
	_, err := c.execute(cmd, netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrService, func(nae *netlink.AttributeEncoder) error {
			enc(nae)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("ipvs: %s service %s: %w", what, k, err)
	}
	return nil
}

// CreateService implements Client.
func (c *conn) CreateService(s Service) error {
	return c.serviceCmd(cmdNewService, "create", s.ServiceKey, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) })
}

// UpdateService implements Client.
func (c *conn) UpdateService(s Service) error {
	return c.serviceCmd(cmdSetService, "update", s.ServiceKey, func(ae *netlink.AttributeEncoder) { encodeService(ae, s) })
}

// RemoveService implements Client.
func (c *conn) RemoveService(k ServiceKey) error {
	return c.serviceCmd(cmdDelService, "remove", k, func(ae *netlink.AttributeEncoder) { encodeServiceKey(ae, k) })
}

// Destinations implements Client.
func (c *conn) Destinations(k ServiceKey) ([]DestinationEntry, error) {
	msgs, err := c.execute(cmdGetDest, netlink.Dump, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrService, func(nae *netlink.AttributeEncoder) error {
			encodeServiceKey(nae, k)
			return nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("ipvs: list destinations of %s: %w", k, err)
	}
	out := make([]DestinationEntry, 0, len(msgs))
	for _, m := range msgs {
		b, err := nested(m, attrDest)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list destinations of %s: %w", k, err)
		}
		d, err := decodeDest(b, k.Family)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list destinations of %s: %w", k, err)
		}
		out = append(out, d)
	}
	return out, nil
}

// destCmd runs a destination command.
func (c *conn) destCmd(cmd uint8, what string, k ServiceKey, d Destination, full bool) error {
	_, err := c.execute(cmd, netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrService, func(nae *netlink.AttributeEncoder) error {
			encodeServiceKey(nae, k)
			return nil
		})
		ae.Nested(attrDest, func(nae *netlink.AttributeEncoder) error {
			encodeDest(nae, k.Family, d, full)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("ipvs: %s destination %s of %s: %w", what, d.DestinationKey, k, err)
	}
	return nil
}

// CreateDestination implements Client.
func (c *conn) CreateDestination(k ServiceKey, d Destination) error {
	return c.destCmd(cmdNewDest, "create", k, d, true)
}

// UpdateDestination implements Client.
func (c *conn) UpdateDestination(k ServiceKey, d Destination) error {
	return c.destCmd(cmdSetDest, "update", k, d, true)
}

// RemoveDestination implements Client.
func (c *conn) RemoveDestination(k ServiceKey, d DestinationKey) error {
	return c.destCmd(cmdDelDest, "remove", k, Destination{DestinationKey: d}, false)
}

// Timeouts implements Client.
func (c *conn) Timeouts() (Timeouts, error) {
	msgs, err := c.execute(cmdGetConfig, 0, nil)
	if err != nil {
		return Timeouts{}, fmt.Errorf("ipvs: get timeouts: %w", err)
	}
	if len(msgs) == 0 {
		return Timeouts{}, fmt.Errorf("ipvs: get timeouts: empty reply")
	}
	return decodeTimeouts(msgs[0])
}

// SetTimeouts implements Client.
func (c *conn) SetTimeouts(t Timeouts) error {
	_, err := c.execute(cmdSetConfig, netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		// A zero timeout is not sent: the kernel leaves it unchanged either way.
		for _, v := range []struct {
			typ uint16
			d   time.Duration
		}{{attrTimeoutTCP, t.TCP}, {attrTimeoutTCPFin, t.TCPFin}, {attrTimeoutUDP, t.UDP}} {
			if v.d > 0 {
				ae.Uint32(v.typ, uint32(v.d/time.Second))
			}
		}
	})
	if err != nil {
		return fmt.Errorf("ipvs: set timeouts: %w", err)
	}
	return nil
}

// Flush implements Client.
func (c *conn) Flush() error {
	if _, err := c.execute(cmdFlush, netlink.Acknowledge, nil); err != nil {
		return fmt.Errorf("ipvs: flush: %w", err)
	}
	return nil
}

// Daemons implements Client.
func (c *conn) Daemons() ([]Daemon, error) {
	msgs, err := c.execute(cmdGetDaemon, netlink.Dump, nil)
	if err != nil {
		return nil, fmt.Errorf("ipvs: list sync daemons: %w", err)
	}
	var out []Daemon
	for _, m := range msgs {
		b, err := nested(m, attrDaemon)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list sync daemons: %w", err)
		}
		d, err := decodeDaemon(b)
		if err != nil {
			return nil, fmt.Errorf("ipvs: list sync daemons: %w", err)
		}
		out = append(out, d)
	}
	return out, nil
}

// StartDaemon implements Client.
func (c *conn) StartDaemon(d Daemon) error {
	_, err := c.execute(cmdNewDaemon, netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrDaemon, func(nae *netlink.AttributeEncoder) error {
			encodeDaemon(nae, d)
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("ipvs: start %s sync daemon on %s: %w", d.State, d.Interface, err)
	}
	return nil
}

// StopDaemon implements Client.
func (c *conn) StopDaemon(s DaemonState) error {
	_, err := c.execute(cmdDelDaemon, netlink.Acknowledge, func(ae *netlink.AttributeEncoder) {
		ae.Nested(attrDaemon, func(nae *netlink.AttributeEncoder) error {
			nae.Uint32(daemonState, uint32(s))
			return nil
		})
	})
	if err != nil {
		return fmt.Errorf("ipvs: stop %s sync daemon: %w", s, err)
	}
	return nil
}

// Close implements Client.
func (c *conn) Close() error { return c.c.Close() }
