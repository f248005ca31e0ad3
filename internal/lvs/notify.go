package lvs

import (
	"fmt"
	"io"
	"net/netip"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

// Runner runs the configured commands (quorum_up, quorum_down, notify_up, notify_down). The
// daemon's implementation starts them asynchronously through internal/script; tests record them.
// reason is "quorum_up", "quorum_down", "notify_up" or "notify_down".
type Runner interface {
	Run(reason string, s *config.CheckScript)
}

// proto is the protocol word of keepalived's inet_sockaddrtotrio().
func proto(p config.Protocol) string {
	switch p {
	case config.ProtoTCP:
		return "tcp"
	case config.ProtoUDP:
		return "udp"
	case config.ProtoSCTP:
		return "sctp"
	}
	return "none"
}

// rsName renders a real server as keepalived's format_rs(): "[ADDR]:proto:PORT" with the virtual
// server's protocol.
func rsName(vs *config.VirtualServer, a netip.Addr, port uint16) string {
	return fmt.Sprintf("[%s]:%s:%d", a, proto(vs.Protocol), port)
}

// fifoVS is the lvs_notify_fifo line of a quorum change (check/ipwrapper.c notify_fifo_vs()).
// keepalived also writes the string's terminating NUL after the newline; Options.TrailingNUL
// restores it (docs/lvs.md).
func fifoVS(vs *config.VirtualServer, up bool) string {
	return fmt.Sprintf("VS %s %s\n", vs.Name(), upDown(up))
}

// fifoRS is the lvs_notify_fifo line of a real server change (notify_fifo_rs()).
func fifoRS(vs *config.VirtualServer, a netip.Addr, port uint16, up bool) string {
	return fmt.Sprintf("RS %s %s %s\n", rsName(vs, a, port), vs.Name(), upDown(up))
}

// upDown is the state word of a FIFO line.
func upDown(up bool) string {
	if up {
		return "UP"
	}
	return "DOWN"
}

// writeLine writes one FIFO line; a reader that is gone must not stop the manager, so the error
// is only returned for logging.
func writeLine(w io.Writer, line string) error {
	if w == nil {
		return nil
	}
	_, err := io.WriteString(w, line)
	if err != nil {
		return fmt.Errorf("lvs: notify fifo %q: %w", strings.TrimSpace(line), err)
	}
	return nil
}
