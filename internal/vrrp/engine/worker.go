package engine

import (
	"context"
	"log/slog"
	"net/netip"
	"reflect"
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
	retired   AddressSet // entries a reload dropped from set, removed on the next drain
	installed bool       // wanted state
	bursts    []int      // pending GARP/NA bursts (frame counts), sent after the addresses are in
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

// replace switches the worker to set, for a reload that changed the instance's addresses in
// place. What the old set had and set lacks is removed on the next drain whatever the wanted
// state; the rest follows the wanted state as before. It reports whether set has addresses the
// old set lacked (a master announces them).
func (w *addrWorker) replace(set AddressSet) (added bool) {
	w.mu.Lock()
	old := w.set
	w.set = set
	w.retired.Addrs = append(w.retired.Addrs, missing(old.Addrs, set.Addrs)...)
	w.retired.Routes = append(w.retired.Routes, missing(old.Routes, set.Routes)...)
	w.retired.Rules = append(w.retired.Rules, missing(old.Rules, set.Rules)...)
	w.retired.NoAccept = w.retired.NoAccept || old.NoAccept
	added = len(missing(set.Addrs, old.Addrs)) > 0
	w.dirty = true
	w.mu.Unlock()
	w.kick()
	return added
}

// missing returns the entries of from that are not in in (file positions aside).
func missing[T any](from, in []T) []T {
	var out []T
	for _, a := range from {
		found := false
		for _, b := range in {
			if equalIgnoringPos(reflect.ValueOf(a), reflect.ValueOf(b)) {
				found = true
				break
			}
		}
		if !found {
			out = append(out, a)
		}
	}
	return out
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
		dirty, installed, set, retired := w.dirty, w.installed, w.set, w.retired
		w.retired = AddressSet{}
		var bursts []int
		if installed {
			bursts = append(bursts, w.bursts...)
		}
		w.bursts = w.bursts[:0]
		w.dirty = false
		w.mu.Unlock()

		if !retired.Empty() {
			w.apply(retired, false)
		}
		if dirty {
			w.apply(set, installed)
		}
		for _, n := range bursts {
			if err := w.net.Announce(set, n); err != nil {
				w.log.Warn("cannot send gratuitous ARP/NA", "instance", w.owner, "err", err)
			}
		}
	}
}

// apply installs or removes set and reports it.
func (w *addrWorker) apply(set AddressSet, installed bool) {
	if err := w.net.SetAddresses(w.owner, set, installed); err != nil {
		w.log.Error("cannot apply addresses", "instance", w.owner, "installed", installed, "err", err)
		return
	}
	if w.onApplied != nil {
		addrs := make([]netip.Addr, 0, len(set.Addrs))
		for _, a := range set.Addrs {
			addrs = append(addrs, a.Prefix.Addr())
		}
		w.onApplied(w.owner, addrs, installed)
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
