package control

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/status"
)

// DefaultSocket is the control socket path of a daemon: runDir/gokeepalived.sock, or
// runDir/keepalived/gokeepalived_INSTANCE.sock when the configuration names an instance (next to
// keepalived's pid files for that instance).
func DefaultSocket(runDir, instance string) string {
	if instance != "" {
		return filepath.Join(runDir, "keepalived", "gokeepalived_"+instance+".sock")
	}
	return filepath.Join(runDir, "gokeepalived.sock")
}

// SocketForPIDFile is the control socket of a daemon whose main pid file is pidFile: the same
// directory and name with ".sock" for ".pid" and "keepalived" made "gokeepalived", so that the
// defaults match DefaultSocket (/run/keepalived.pid → /run/gokeepalived.sock) and daemons
// started with their own -p never share a socket.
func SocketForPIDFile(pidFile string) string {
	dir, base := filepath.Split(pidFile)
	base = strings.TrimSuffix(base, ".pid")
	if strings.HasPrefix(base, "keepalived") {
		base = "go" + base
	}
	return filepath.Join(dir, base+".sock")
}

// Fetch returns the raw body of path (e.g. "/status") from the daemon listening on socket.
func Fetch(ctx context.Context, socket, path string) ([]byte, error) {
	c := &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, _, _ string) (net.Conn, error) {
			var d net.Dialer
			return d.DialContext(ctx, "unix", socket)
		},
	}}
	defer c.CloseIdleConnections()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://gokeepalived"+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", socket, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, fmt.Errorf("control socket %s: %w", socket, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("control socket %s: %s: %s", socket, resp.Status, body)
	}
	return body, nil
}

// FetchReport returns the daemon's status report.
func FetchReport(ctx context.Context, socket string) (status.Report, []byte, error) {
	var r status.Report
	body, err := Fetch(ctx, socket, "/status")
	if err != nil {
		return r, nil, err
	}
	if err := json.Unmarshal(body, &r); err != nil {
		return r, body, fmt.Errorf("control socket %s: bad status report: %w", socket, err)
	}
	if r.Version != status.FormatVersion {
		return r, body, fmt.Errorf("control socket %s: status format version %d, this program reads %d", socket, r.Version, status.FormatVersion)
	}
	return r, body, nil
}
