package daemon

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/netip"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// quietNet is an engine.Network with one interface that is always up, sends nowhere and
// receives nothing: the instances keep the states they start in.
type quietNet struct{}

func (quietNet) Interface(name string) (engine.Interface, error) {
	if name != "eth0" {
		return engine.Interface{}, fmt.Errorf("no interface %s", name)
	}
	return engine.Interface{Name: "eth0", Index: 2, MAC: net.HardwareAddr{2, 0, 0, 0, 0, 1}, Up: true,
		Addr4: netip.MustParseAddr("198.51.100.1")}, nil
}
func (quietNet) Open(engine.Endpoint, func(engine.Packet)) (engine.Conn, error) {
	return quietConn{}, nil
}
func (quietNet) SetAddresses(string, engine.AddressSet, bool) error { return nil }
func (quietNet) Announce(engine.AddressSet, int) error              { return nil }
func (quietNet) WatchLinks(func(string)) error                      { return nil }
func (quietNet) CreateVMAC(*config.Instance, *config.GlobalDefs) (string, error) {
	return "", fmt.Errorf("no vmac")
}
func (quietNet) DeleteVMAC(string) error { return nil }

type quietConn struct{}

func (quietConn) Send([]engine.Datagram) error { return nil }
func (quietConn) Close() error                 { return nil }

// reloadConf has an owner that is MASTER at once and two instances that stay BACKUP for the
// whole test (advert_int 40: Master_Down_Interval 120 s), one of them in a sync group.
func reloadConf(fifo string, writeStates bool) string {
	opt := ""
	if writeStates {
		opt = "fifo_write_vrrp_states_on_reload"
	}
	inst := func(name string, vrid, prio int, extra string) string {
		return fmt.Sprintf(`vrrp_instance %s {
    interface eth0
    virtual_router_id %d
    priority %d
    advert_int 40
    %s
    virtual_ipaddress {
        198.51.100.%d/32
    }
}
`, name, vrid, prio, extra, 100+vrid)
	}
	return fmt.Sprintf(`global_defs {
    vrrp_notify_fifo %s
    %s
}
vrrp_sync_group SG {
    group {
        VI_3
    }
}
`, fifo, opt) + inst("VI_1", 1, 255, "state MASTER") + inst("VI_2", 2, 100, "") + inst("VI_3", 3, 90, "")
}

// startQuietVRRP is startVRRP on quietNet, with the real notifier and trackers.
func startQuietVRRP(t *testing.T, ctx context.Context, cfg *config.Config) *vrrpRuntime {
	t.Helper()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	r := &vrrpRuntime{log: log, closeNet: func() {}, sw: &notify.Switch{}, done: make(chan error, 1)}
	n, err := notify.New(cfg, notify.Options{Logger: log})
	if err != nil {
		t.Fatal(err)
	}
	r.sw.Set(n)
	r.eng, err = engine.New(cfg, quietNet{}, engine.Options{Logger: log, OnTransition: r.sw.OnTransition})
	if err != nil {
		t.Fatal(err)
	}
	if r.tracks, err = track.New(cfg, r.eng, track.Options{Logger: log}); err != nil {
		t.Fatal(err)
	}
	r.tracks.Start(ctx)
	go func() { r.done <- r.eng.Run(ctx) }()
	return r
}

// readFIFO returns what the FIFO fd holds now, without blocking (the fd is O_NONBLOCK and read
// with syscall.Read, as os.File would park on the poller).
func readFIFO(t *testing.T, fd int) []byte {
	t.Helper()
	var got []byte
	buf := make([]byte, 4096)
	for {
		k, err := syscall.Read(fd, buf)
		if err == syscall.EINTR {
			continue
		}
		if k <= 0 {
			return got
		}
		got = append(got, buf[:k]...)
	}
}

// readLines reads the FIFO until it has given n lines, or fails after a bound that only a broken
// test reaches.
func readLines(t *testing.T, fd, n int) []byte {
	t.Helper()
	var got []byte
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		got = append(got, readFIFO(t, fd)...)
		if bytes.Count(got, []byte("\n")) >= n {
			return got
		}
	}
	t.Fatalf("fifo: got %q, waiting for %d lines", got, n)
	return nil
}

// TestReloadWritesStatesToFIFO runs a reload with and without fifo_write_vrrp_states_on_reload
// and checks the FIFO: with it, every group's and instance's current state line follows the
// reload, in keepalived's format; without it, nothing.
func TestReloadWritesStatesToFIFO(t *testing.T) {
	for _, on := range []bool{true, false} {
		t.Run(fmt.Sprintf("option %v", on), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "vrrp.fifo")
			cfg := loadCfg(t, reloadConf(path, on))
			ctx, cancel := context.WithCancel(context.Background())
			r := startQuietVRRP(t, ctx, cfg)
			fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_NONBLOCK, 0)
			if err != nil {
				cancel()
				t.Fatal(err)
			}
			defer syscall.Close(fd)
			// The start's own transitions first: the group and the three instances.
			readLines(t, fd, 4)

			if err := r.reload(ctx, loadCfg(t, reloadConf(path, on))); err != nil {
				t.Fatalf("reload: %v", err)
			}
			r.closeNotify() // drains the FIFO writer, so everything the reload wrote is readable
			got := readFIFO(t, fd)
			want := ""
			if on {
				want = "GROUP \"SG\" BACKUP 0\n" +
					"INSTANCE \"VI_1\" MASTER 255\n" +
					"INSTANCE \"VI_2\" BACKUP 100\n" +
					"INSTANCE \"VI_3\" BACKUP 90\n"
			}
			if string(got) != want {
				t.Errorf("after the reload the fifo got:\n%s\nwant:\n%s", got, want)
			}
			cancel()
			if err := r.wait(); err != nil {
				t.Errorf("engine: %v", err)
			}
		})
	}
}
