package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"syscall"
	"time"

	"github.com/spf13/pflag"

	"github.com/gokeepalived/gokeepalived/internal/control"
	"github.com/gokeepalived/gokeepalived/internal/status"
)

// Exit codes of `gokeepalived status` beyond ExitOK and ExitUsage, after the LSB init-script
// status codes that systemctl status also follows.
const (
	// ExitNotRunning: the daemon cannot be reached on its control socket ("program is not
	// running").
	ExitNotRunning = 3
	// ExitStatusUnknown: something answered on the socket but not with a report this program can
	// read ("program or service status is unknown").
	ExitStatusUnknown = 4
)

// statusTimeout bounds a status request, so that a wedged daemon does not hang the operator's
// shell; a healthy daemon answers in milliseconds.
const statusTimeout = 10 * time.Second

// statusRunDir is where the default control socket lives (control.DefaultSocket).
const statusRunDir = "/run"

// isStatusCommand tells whether args select the status subcommand. Only an exact first word
// does, so that every keepalived command line keeps its meaning (keepalived ignores stray words).
func isStatusCommand(args []string) bool {
	return len(args) > 0 && args[0] == "status"
}

// statusOptions is the status subcommand's command line.
type statusOptions struct {
	socket   string
	json     bool
	instance string
	help     bool
}

func newStatusFlagSet(o *statusOptions) *pflag.FlagSet {
	fs := pflag.NewFlagSet("gokeepalived status", pflag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors and usage are printed by Status, in its words
	fs.SortFlags = false
	fs.StringVar(&o.socket, "socket", "", "the daemon's control socket `PATH`\n(default "+control.DefaultSocket(statusRunDir, "")+",\nor "+control.DefaultSocket(statusRunDir, "NAME")+" with --instance)")
	fs.BoolVar(&o.json, "json", false, "print the daemon's JSON report instead of the text view")
	fs.StringVar(&o.instance, "instance", "", "the daemon's instance `NAME` (global_defs instance), to find its socket")
	fs.BoolVarP(&o.help, "help", "h", false, "print this help")
	return fs
}

// statusUsage prints the subcommand's help.
func statusUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: gokeepalived status [--socket PATH] [--instance NAME] [--json]")
	fmt.Fprintln(w, "Show the state of a running gokeepalived: VRRP instances, scripts, virtual and real servers.")
	fmt.Fprintln(w)
	fs := newStatusFlagSet(&statusOptions{})
	fmt.Fprint(w, fs.FlagUsagesWrapped(100))
	fmt.Fprintln(w)
	fmt.Fprintln(w, "Exit status: 0 the daemon answered; 1 bad command line; 3 the daemon cannot be reached;")
	fmt.Fprintln(w, "4 the answer is not a status report this program reads.")
}

// Status runs `gokeepalived status`; args are the words after "status".
func Status(args []string, env Env) int {
	var o statusOptions
	fs := newStatusFlagSet(&o)
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: %v\n", err)
		statusUsage(env.Stderr)
		return ExitUsage
	}
	if o.help {
		statusUsage(env.Stdout)
		return ExitOK
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "gokeepalived status: unexpected argument(s): %q\n", fs.Args())
		statusUsage(env.Stderr)
		return ExitUsage
	}
	socket := o.socket
	if socket == "" {
		socket = control.DefaultSocket(statusRunDir, o.instance)
	}
	ctx, cancel := context.WithTimeout(context.Background(), statusTimeout)
	defer cancel()
	report, body, err := control.FetchReport(ctx, socket)
	if err != nil && body == nil {
		fmt.Fprintln(env.Stderr, unreachable(socket, o, err))
		if isTransportError(err) {
			return ExitNotRunning
		}
		return ExitStatusUnknown // it answered, with an HTTP error
	}
	if o.json {
		return printStatusJSON(env, socket, body, err)
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: %v\n", err)
		return ExitStatusUnknown
	}
	if err := status.Render(env.Stdout, report, time.Now()); err != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// printStatusJSON prints the body as received, indented. A body that is JSON but not a report
// this program can decode (a newer format version) is still printed, since a JSON consumer reads
// "version" itself; the mismatch is noted on stderr.
func printStatusJSON(env Env, socket string, body []byte, fetchErr error) int {
	var b bytes.Buffer
	if err := json.Indent(&b, body, "", "  "); err != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: control socket %s: the answer is not JSON: %v\n", socket, err)
		return ExitStatusUnknown
	}
	if fetchErr != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: warning: %v\n", fetchErr)
	}
	b.WriteByte('\n')
	if _, err := env.Stdout.Write(b.Bytes()); err != nil {
		fmt.Fprintf(env.Stderr, "gokeepalived status: %v\n", err)
		return ExitUsage
	}
	return ExitOK
}

// isTransportError tells a failure to talk to the daemon (nothing there, refused, timed out)
// from an answer that was an HTTP error: only the former means "not running".
func isTransportError(err error) bool {
	var ue *url.Error
	return errors.As(err, &ue)
}

// unreachable words the message for a failed request, with the likely cause and what to try.
func unreachable(socket string, o statusOptions, err error) string {
	if !isTransportError(err) {
		return fmt.Sprintf("gokeepalived status: the daemon at %s answered with an error: %v", socket, err)
	}
	var hint string
	switch {
	case errors.Is(err, syscall.ENOENT):
		hint = "no such socket: is gokeepalived running?"
	case errors.Is(err, syscall.ECONNREFUSED):
		hint = "connection refused: the socket is left over from a daemon that is no longer running"
	case errors.Is(err, syscall.EACCES), errors.Is(err, syscall.EPERM):
		hint = "permission denied: run as root"
	case errors.Is(err, context.DeadlineExceeded):
		hint = fmt.Sprintf("no answer within %s: the daemon is running but not responding", statusTimeout)
	default:
		hint = err.Error()
	}
	msg := fmt.Sprintf("gokeepalived status: cannot reach the daemon at %s: %s", socket, hint)
	if o.socket == "" && o.instance == "" {
		msg += "\n(a daemon with an instance name listens elsewhere: use --instance NAME, or --socket PATH)"
	}
	return msg
}
