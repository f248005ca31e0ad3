package lvs

import (
	"io"
	"log/slog"
	"net/netip"
	"slices"
	"sync"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/ipvs/ipvstest"
)

// quorumLog records OnQuorum calls.
type quorumLog struct {
	mu  sync.Mutex
	got []QuorumChange
}

func (q *quorumLog) add(c QuorumChange) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.got = append(q.got, c)
}

func (q *quorumLog) take() []QuorumChange {
	q.mu.Lock()
	defer q.mu.Unlock()
	out := q.got
	q.got = nil
	return out
}

// TestOnQuorum checks the figures handed to the quorum hook: threshold quorum+hysteresis while
// the quorum is down and quorum-hysteresis while it is up (ipwrapper.c update_quorum_state()),
// the start state, the shutdown announcement and the virtual server's smtp_alert.
func TestOnQuorum(t *testing.T) {
	cfg := load(t, `
virtual_server 198.51.100.2 443 {
  protocol TCP
  quorum 4
  hysteresis 1
  omega
  smtp_alert
  sorry_server 203.0.113.99 443
  real_server 203.0.113.1 443 {
    weight 3
    TCP_CHECK { }
  }
  real_server 203.0.113.2 443 {
    weight 3
    TCP_CHECK { }
  }
  real_server 203.0.113.3 443 {
    weight 3
    TCP_CHECK { }
  }
}`)
	var log quorumLog
	m, err := New(cfg, Options{Client: ipvstest.NewMemory(), OnQuorum: log.add, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(); err != nil {
		t.Fatal(err)
	}
	vs := "[198.51.100.2]:tcp:443"
	set := func(addr string, up bool) {
		t.Helper()
		if _, err := m.SetHealth(RSKey{VS: vs, Addr: netip.MustParseAddr(addr), Port: 443}, Health{Up: up}); err != nil {
			t.Fatal(err)
		}
	}
	base := QuorumChange{VirtualServer: vs, Quorum: 4, Hysteresis: 1, SMTPAlert: true}
	with := func(up bool, th, sum int, f func(*QuorumChange)) QuorumChange {
		c := base
		c.Up, c.Threshold, c.WeightSum = up, th, sum
		if f != nil {
			f(&c)
		}
		return c
	}
	steps := []struct {
		name string
		do   func()
		want []QuorumChange
	}{
		{"start with 9 alive", func() {}, nil},
		{"one down, 6 >= 3", func() { set("203.0.113.1", false) }, nil},
		{"two down, 3 is not below 3", func() { set("203.0.113.2", false) }, nil},
		{"three down, 0", func() { set("203.0.113.3", false) }, []QuorumChange{with(false, 3, 0, nil)}},
		{"one up, 3 < 5", func() { set("203.0.113.1", true) }, nil},
		{"two up, 6 >= 5", func() { set("203.0.113.2", true) }, []QuorumChange{with(true, 5, 6, nil)}},
		{"stop with omega", func() {
			if _, err := m.Stop(false); err != nil {
				t.Fatal(err)
			}
		}, []QuorumChange{with(false, 3, 6, func(c *QuorumChange) { c.Stopping = true })}},
	}
	for _, s := range steps {
		s.do()
		if got := log.take(); !slices.Equal(got, s.want) {
			t.Errorf("%s: OnQuorum got %+v, want %+v", s.name, got, s.want)
		}
	}
}

// TestOnQuorumStartDown: a virtual server that starts without quorum and has a sorry server
// announces "Starting with quorum down", compared with quorum+hysteresis; smtp_alert is off by
// default for virtual servers.
func TestOnQuorumStartDown(t *testing.T) {
	cfg := load(t, `
virtual_server 198.51.100.3 80 {
  protocol TCP
  alpha
  quorum 2
  hysteresis 1
  sorry_server 203.0.113.99 80
  real_server 203.0.113.1 80 {
    weight 2
    TCP_CHECK { }
  }
}`)
	var log quorumLog
	m, err := New(cfg, Options{Client: ipvstest.NewMemory(), OnQuorum: log.add, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := m.Start(); err != nil {
		t.Fatal(err)
	}
	want := []QuorumChange{{VirtualServer: "[198.51.100.3]:tcp:80", Init: true, Quorum: 2, Hysteresis: 1, Threshold: 3}}
	if got := log.take(); !slices.Equal(got, want) {
		t.Errorf("OnQuorum got %+v, want %+v", got, want)
	}
}
