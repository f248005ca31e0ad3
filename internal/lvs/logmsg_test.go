package lvs

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
)

// TestKeepalivedLogLines walks TestHealthAndQuorum's scenario and checks the log messages are
// keepalived's (ipwrapper.c), in order.
func TestKeepalivedLogLines(t *testing.T) {
	h := newHarness(t, web)
	var buf bytes.Buffer
	h.m.log = slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
		if a.Key == slog.TimeKey || a.Key == slog.LevelKey {
			return slog.Attr{}
		}
		return a
	}}))
	h.start()
	buf.Reset()
	h.health(webVS, "203.0.113.2", 80, false)
	h.health(webVS, "203.0.113.2", 80, true)
	h.health(webVS, "203.0.113.1", 80, false)
	var msgs []string
	for _, l := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		_, rest, _ := strings.Cut(l, `msg="`)
		msg, _, _ := strings.Cut(rest, `"`)
		msgs = append(msgs, msg)
	}
	want := []string{
		"Disabling service [203.0.113.2]:tcp:80 from VS [198.51.100.1]:tcp:80", // inhibit_on_failure
		"Lost quorum 2-0=2 > 1 for VS [198.51.100.1]:tcp:80",
		"Adding sorry server [203.0.113.99]:tcp:80 to VS [198.51.100.1]:tcp:80",
		"Removing alive servers from the pool for VS [198.51.100.1]:tcp:80",
		"Enabling service [203.0.113.2]:tcp:80 to VS [198.51.100.1]:tcp:80",
		"Gained quorum 2+0=2 <= 3 for VS [198.51.100.1]:tcp:80",
		"Removing sorry server [203.0.113.99]:tcp:80 from VS [198.51.100.1]:tcp:80",
		"Adding alive servers to the pool for VS [198.51.100.1]:tcp:80",
		"Removing service [203.0.113.1]:tcp:80 from VS [198.51.100.1]:tcp:80",
	}
	if strings.Join(msgs, "\n") != strings.Join(want, "\n") {
		t.Errorf("log messages:\n%s\nwant:\n%s", strings.Join(msgs, "\n"), strings.Join(want, "\n"))
	}
}
