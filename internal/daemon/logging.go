package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"log/syslog"
	"strings"
)

// logSetup describes where logs go, from keepalived's -l, -D, -G and -S.
type logSetup struct {
	Console  bool   // -l: log to the console (stderr)
	Detail   int    // -D: detailed logs (debug level)
	NoSyslog bool   // -G
	Facility string // -S: 0-7, local0-7, user, daemon
	Ident    string
}

// newLogger builds the daemon's logger: a text handler on stderr with -l, and syslog (facility
// daemon unless -S says otherwise) unless -G. With neither, stderr is used so nothing is lost.
func newLogger(s logSetup, stderr io.Writer) (*slog.Logger, io.Closer, error) {
	level := slog.LevelInfo
	if s.Detail > 0 {
		level = slog.LevelDebug
	}
	var handlers []slog.Handler
	var closer io.Closer = io.NopCloser(nil)
	if s.Console {
		handlers = append(handlers, slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	}
	if !s.NoSyslog {
		fac, err := facility(s.Facility)
		if err != nil {
			return nil, nil, err
		}
		w, err := syslog.New(fac|syslog.LOG_INFO, s.Ident)
		if err == nil {
			closer = w
			handlers = append(handlers, slog.NewTextHandler(syslogWriter{w}, &slog.HandlerOptions{Level: level,
				ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
					if len(groups) == 0 && a.Key == slog.TimeKey {
						return slog.Attr{} // syslog stamps its own time
					}
					return a
				}}))
		} else if !s.Console {
			fmt.Fprintf(stderr, "gokeepalived: syslog unavailable (%v); logging to stderr\n", err)
		}
	}
	if len(handlers) == 0 {
		handlers = append(handlers, slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	}
	if len(handlers) == 1 {
		return slog.New(handlers[0]), closer, nil
	}
	return slog.New(fanout(handlers)), closer, nil
}

// facility parses -S: a number 0-7 meaning local0-7, or a facility name.
func facility(s string) (syslog.Priority, error) {
	switch strings.ToLower(s) {
	case "", "daemon":
		return syslog.LOG_DAEMON, nil
	case "user":
		return syslog.LOG_USER, nil
	}
	s = strings.TrimPrefix(strings.ToLower(s), "local")
	if len(s) == 1 && s[0] >= '0' && s[0] <= '7' {
		return syslog.LOG_LOCAL0 + syslog.Priority(s[0]-'0')<<3, nil
	}
	return 0, fmt.Errorf("invalid log facility %q: want 0-7, local0-7, user or daemon", s)
}

// syslogWriter sends each formatted record as one syslog message.
type syslogWriter struct{ w *syslog.Writer }

func (s syslogWriter) Write(p []byte) (int, error) {
	return len(p), s.w.Info(strings.TrimRight(string(p), "\n"))
}

// fanout sends every record to several handlers.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	var first error
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil && first == nil {
				first = err
			}
		}
	}
	return first
}

func (f fanout) WithAttrs(as []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(as)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}
