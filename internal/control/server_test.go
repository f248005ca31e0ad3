package control

import (
	"context"
	"errors"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/status"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

func testReport() status.Report {
	return status.Report{
		Version: status.FormatVersion,
		Daemon:  status.Daemon{PID: 42, Version: "2.2.7", ConfigFile: "/etc/keepalived/keepalived.conf", VRRP: true},
		VRRP:    []engine.InstanceStatus{{Name: "VI_1", VRID: 51, Interface: "eth0", State: "MASTER", Priority: 150, BasePriority: 150}},
	}
}

func metricsHandler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "keepalived_up 1\n")
	})
}

func TestSocketServesStatusAndMetrics(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "run", "gokeepalived.sock")
	s, err := Start(Options{Socket: sock, Report: func(context.Context) (status.Report, error) { return testReport(), nil }, Metrics: metricsHandler()})
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(sock)
	if err != nil || fi.Mode().Perm() != 0o600 || fi.Mode()&os.ModeSocket == 0 {
		t.Fatalf("socket %v mode %v", err, fi.Mode())
	}
	ctx := context.Background()
	r, body, err := FetchReport(ctx, sock)
	if err != nil {
		t.Fatal(err)
	}
	if r.Daemon.PID != 42 || len(r.VRRP) != 1 || r.VRRP[0].State != "MASTER" || !strings.Contains(string(body), `"vrid": 51`) {
		t.Errorf("report %+v body %s", r, body)
	}
	m, err := Fetch(ctx, sock, "/metrics")
	if err != nil || string(m) != "keepalived_up 1\n" {
		t.Errorf("metrics %q %v", m, err)
	}
	if _, err := Fetch(ctx, sock, "/nope"); err == nil || !strings.Contains(err.Error(), "404") {
		t.Errorf("unknown path: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left behind after Close: %v", err)
	}
	if _, _, err := FetchReport(ctx, sock); err == nil || !strings.Contains(err.Error(), sock) {
		t.Errorf("fetch from a stopped daemon: %v", err)
	}
}

func TestStatusErrorIs503(t *testing.T) {
	sock := filepath.Join(t.TempDir(), "s.sock")
	s, err := Start(Options{Socket: sock, Report: func(context.Context) (status.Report, error) { return status.Report{}, errors.New("engine stopped") }})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	_, _, err = FetchReport(context.Background(), sock)
	if err == nil || !strings.Contains(err.Error(), "503") || !strings.Contains(err.Error(), "engine stopped") {
		t.Errorf("got %v", err)
	}
}

func TestStaleSocketReplacedLiveOneRefused(t *testing.T) {
	dir := t.TempDir()
	sock := filepath.Join(dir, "s.sock")
	// A socket file nobody listens on, as a crashed daemon leaves it.
	l, err := net.Listen("unix", sock)
	if err != nil {
		t.Fatal(err)
	}
	l.(*net.UnixListener).SetUnlinkOnClose(false)
	l.Close()
	rep := func(context.Context) (status.Report, error) { return testReport(), nil }
	s, err := Start(Options{Socket: sock, Report: rep})
	if err != nil {
		t.Fatalf("stale socket not replaced: %v", err)
	}
	defer s.Close()
	if _, err := Start(Options{Socket: sock, Report: rep}); err == nil || !strings.Contains(err.Error(), "another daemon") {
		t.Errorf("second daemon on a live socket: %v", err)
	}
	if _, _, err := FetchReport(context.Background(), sock); err != nil {
		t.Errorf("the first daemon lost its socket: %v", err)
	}
	plain := filepath.Join(dir, "file")
	if err := os.WriteFile(plain, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := Start(Options{Socket: plain, Report: rep}); err == nil || !strings.Contains(err.Error(), "not a socket") {
		t.Errorf("regular file as socket: %v", err)
	}
}

func TestMetricsListenerServesMetricsOnly(t *testing.T) {
	s, err := Start(Options{MetricsListen: "127.0.0.1:0", Report: func(context.Context) (status.Report, error) { return testReport(), nil }, Metrics: metricsHandler()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	base := "http://" + s.MetricsAddr()
	get := func(path string) (int, string) {
		t.Helper()
		c := &http.Client{Timeout: 5 * time.Second}
		resp, err := c.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if code, body := get("/metrics"); code != 200 || body != "keepalived_up 1\n" {
		t.Errorf("/metrics: %d %q", code, body)
	}
	if code, _ := get("/status"); code != http.StatusNotFound {
		t.Errorf("/status over TCP: %d, want 404", code)
	}
}

func TestMetricsListenFailureLeavesNothingOpen(t *testing.T) {
	busy, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer busy.Close()
	sock := filepath.Join(t.TempDir(), "s.sock")
	_, err = Start(Options{Socket: sock, MetricsListen: busy.Addr().String(), Report: func(context.Context) (status.Report, error) { return testReport(), nil }})
	if err == nil || !strings.Contains(err.Error(), "metrics listener") {
		t.Fatalf("busy port: %v", err)
	}
	if _, err := os.Stat(sock); !os.IsNotExist(err) {
		t.Errorf("socket left after a failed start: %v", err)
	}
}
