package check

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

// FormatTrio formats an address and service as keepalived's
// inet_sockaddrtotrio: "[ip]:proto:port" (IPv6 too), proto in lower case.
func FormatTrio(ap netip.AddrPort, proto string) string {
	return "[" + ap.Addr().Unmap().String() + "]:" + strings.ToLower(proto) + ":" + strconv.Itoa(int(ap.Port()))
}

// FormatVS formats a virtual server as check_data.c:format_vs(): a fwmark
// service is "FWM n", a group "[name]:port", otherwise the trio.
func FormatVS(ap netip.AddrPort, proto string, fwmark uint32, group string) string {
	switch {
	case group != "":
		return "[" + group + "]:" + strconv.Itoa(int(ap.Port()))
	case fwmark != 0:
		return "FWM " + strconv.FormatUint(uint64(fwmark), 10)
	}
	return FormatTrio(ap, proto)
}

// FormatRS formats a real server as format_rs(): the trio with the virtual
// server's protocol.
func FormatRS(ap netip.AddrPort, proto string) string { return FormatTrio(ap, proto) }

// FIFOLineRS is the LVS FIFO line for a real-server transition (§1a.8.1):
// "RS <rs> <vs> UP|DOWN\n".
func FIFOLineRS(rs, vs string, up bool) string {
	return "RS " + rs + " " + vs + " " + upDown(up) + "\n"
}

// FIFOLineVS is the LVS FIFO line for a virtual-server quorum transition:
// "VS <vs> UP|DOWN\n".
func FIFOLineVS(vs string, up bool) string { return "VS " + vs + " " + upDown(up) + "\n" }

// OpenFIFO opens (creating with mode 0644 when missing) a notify FIFO the way
// keepalived's fifo_open() does: O_RDWR|O_NONBLOCK, so a missing reader
// never blocks the daemon.
func OpenFIFO(path string) (*os.File, error) {
	if err := syscall.Mkfifo(path, 0o644); err != nil && !errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("lvs_notify_fifo %s: %w", path, err)
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("lvs_notify_fifo %s: %w", path, err)
	}
	if fi.Mode()&os.ModeNamedPipe == 0 {
		return nil, fmt.Errorf("lvs_notify_fifo %s: not a FIFO", path)
	}
	f, err := os.OpenFile(path, os.O_RDWR|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, fmt.Errorf("lvs_notify_fifo %s: %w", path, err)
	}
	return f, nil
}

// NotifyScripts are a real server's notify_up/notify_down commands.
type NotifyScripts struct {
	Up, Down []string // tokenised by the caller; nil = none
	Cred     *script.Credential
}

// Notifier turns real-server transitions into LVS FIFO lines and
// notify_up/notify_down script runs.
type Notifier struct {
	// FIFO receives the lines; nil = no FIFO.
	FIFO io.Writer
	// TrailingNUL reproduces keepalived's byte-exact lines ending "\n\0"
	// (ipwrapper.c writes the terminating NUL). Off by default: see docs/checkers.md.
	TrailingNUL bool
	// Scripts maps "vs rs" (see ScriptKey) to the notify commands.
	Scripts map[string]NotifyScripts
	// Run runs a script; defaults to script.Run. Scripts run in the
	// background so a slow script never delays health checking, and in order
	// per real server: notify_up never overtakes the notify_down before it.
	Run    func(context.Context, script.Command) (script.Result, error)
	Logger *slog.Logger

	mu sync.Mutex
	wg sync.WaitGroup
	// last holds, per real server, a channel closed when its latest script has finished
	// (guarded by mu); the next script for that server waits on it.
	last map[string]chan struct{}
}

// ScriptKey is the Scripts key for a real server of a virtual server.
func ScriptKey(vs, rs string) string { return vs + " " + rs }

// Handle processes one event; only real-server transitions do anything.
func (n *Notifier) Handle(ctx context.Context, ev Event) error {
	if !ev.RSChanged {
		return nil
	}
	var err error
	if n.FIFO != nil {
		line := FIFOLineRS(ev.RealServer, ev.VirtualServer, ev.RSUp)
		if n.TrailingNUL {
			line += "\x00"
		}
		n.mu.Lock()
		_, err = io.WriteString(n.FIFO, line)
		n.mu.Unlock()
		if err != nil {
			err = fmt.Errorf("lvs_notify_fifo: %w", err)
		}
	}
	sc, ok := n.Scripts[ScriptKey(ev.VirtualServer, ev.RealServer)]
	argv := sc.Down
	if ev.RSUp {
		argv = sc.Up
	}
	if ok && len(argv) > 0 {
		run := n.Run
		if run == nil {
			run = script.Run
		}
		log := n.Logger
		if log == nil {
			log = slog.Default()
		}
		key := ScriptKey(ev.VirtualServer, ev.RealServer)
		done := make(chan struct{})
		n.mu.Lock()
		if n.last == nil {
			n.last = map[string]chan struct{}{}
		}
		prev := n.last[key]
		n.last[key] = done
		n.mu.Unlock()
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			defer close(done)
			if prev != nil {
				<-prev // the previous transition's script of this real server first
			}
			res, rerr := run(ctx, script.Command{Argv: argv, Cred: sc.Cred})
			if rerr != nil || !res.OK() {
				log.Warn("notify script failed", "instance", ev.VirtualServer, "from", ev.RealServer, "reason", fmt.Sprint(res, rerr))
			}
		}()
	}
	return err
}

// Wait blocks until all started scripts have finished.
func (n *Notifier) Wait() { n.wg.Wait() }
