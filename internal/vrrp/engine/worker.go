package engine

import (
	"context"
	"log/slog"
	"net/netip"
	"sync"
)

// addrWorker applies an instance's addresses and sends its GARP/NA bursts off the loop. It
// reconciles towards the latest wanted state, so a burst of transitions collapses into one
// netlink round and the loop never waits on netlink.
type addrWorker struct {
	net   Network
	owner string
	set   AddressSet
	log   *slog.Logger

	// onApplied, when set, is told after each successful SetAddresses.
	onApplied func(owner string, addrs []netip.Addr, installed bool)

	mu        sync.Mutex
	installed bool  // wanted state
	bursts    []int // pending GARP/NA bursts (frame counts), sent after the addresses are in
	dirty     bool
	wake      chan struct{}
	idle      *sync.Cond // signalled when the worker has caught up
	busy      bool
}

func newAddrWorker(net Network, owner string, set AddressSet, log *slog.Logger) *addrWorker {
	w := &addrWorker{net: net, owner: owner, set: set, log: log, wake: make(chan struct{}, 1)}
	w.idle = sync.NewCond(&w.mu)
	return w
}

// want records whether the addresses should be installed and wakes the worker. Removing the
// addresses also drops pending bursts: GARPs must stop the moment mastership is lost.
func (w *addrWorker) want(installed bool) {
	w.mu.Lock()
	w.installed = installed
	if !installed {
		w.bursts = w.bursts[:0]
	}
	w.dirty = true
	w.mu.Unlock()
	w.kick()
}

// announce queues a GARP/NA burst of count frames per address.
func (w *addrWorker) announce(count int) {
	if count <= 0 {
		return
	}
	w.mu.Lock()
	w.bursts = append(w.bursts, count)
	w.mu.Unlock()
	w.kick()
}

// resync re-applies the wanted state, for when the kernel changed behind our back.
func (w *addrWorker) resync() {
	w.mu.Lock()
	w.dirty = true
	w.mu.Unlock()
	w.kick()
}

func (w *addrWorker) kick() {
	select {
	case w.wake <- struct{}{}:
	default:
	}
}

// run serves the worker until ctx ends.
func (w *addrWorker) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-w.wake:
		}
		w.drain()
	}
}

// drain applies everything pending, then reports idle.
func (w *addrWorker) drain() {
	for {
		w.mu.Lock()
		if !w.dirty && len(w.bursts) == 0 {
			w.busy = false
			w.idle.Broadcast()
			w.mu.Unlock()
			return
		}
		w.busy = true
		dirty, installed := w.dirty, w.installed
		var bursts []int
		if installed {
			bursts = append(bursts, w.bursts...)
		}
		w.bursts = w.bursts[:0]
		w.dirty = false
		w.mu.Unlock()

		if dirty {
			if err := w.net.SetAddresses(w.owner, w.set, installed); err != nil {
				w.log.Error("cannot apply addresses", "instance", w.owner, "installed", installed, "err", err)
			} else if w.onApplied != nil {
				addrs := make([]netip.Addr, 0, len(w.set.Addrs))
				for _, a := range w.set.Addrs {
					addrs = append(addrs, a.Prefix.Addr())
				}
				w.onApplied(w.owner, addrs, installed)
			}
		}
		for _, n := range bursts {
			if err := w.net.Announce(w.set, n); err != nil {
				w.log.Warn("cannot send gratuitous ARP/NA", "instance", w.owner, "err", err)
			}
		}
	}
}

// wait blocks until the worker has applied everything queued so far.
func (w *addrWorker) wait() {
	w.mu.Lock()
	for w.dirty || len(w.bursts) > 0 || w.busy {
		w.idle.Wait()
	}
	w.mu.Unlock()
}
