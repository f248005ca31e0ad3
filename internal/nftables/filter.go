package nftables

import (
	"errors"
	"fmt"
	"sync"

	nft "github.com/google/nftables"
)

// Options choose the table and its chains' priority (global_defs nftables, nftables_priority,
// nftables_counters).
type Options struct {
	// Table is the table name in the ip and ip6 families; DefaultTable when empty.
	Table string
	// Priority is the base chains' hook priority (keepalived's default is DefaultPriority).
	Priority int
	// Counters adds a counter to every rule.
	Counters bool
	// NetNS, when not zero, is an open network namespace file descriptor to program instead of
	// the caller's namespace (tests).
	NetNS int
}

// Filter is the no_accept filter. It connects to the kernel on first use, creates a family's
// table when the first address of that family is added (deleting any table of that name left
// by an earlier run) and deletes its tables on Close. It is safe for concurrent use.
type Filter struct {
	opts Options

	mu      sync.Mutex
	conn    *nft.Conn
	layouts map[nft.TableFamily]*layout // families whose table is in place
	present map[elem]bool               // elements added and not removed
	closed  bool
}

// New returns a Filter that has not touched the kernel yet.
func New(o Options) *Filter {
	if o.Table == "" {
		o.Table = DefaultTable
	}
	return &Filter{opts: o, layouts: map[nft.TableFamily]*layout{}, present: map[elem]bool{}}
}

// Add starts dropping traffic to and from addrs. Addresses already filtered are skipped. If the
// kernel rejects the elements of a family whose table was in place (someone deleted it), the
// table is rebuilt with every filtered address and the batch is tried once more.
func (f *Filter) Add(addrs []Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return errors.New("nftables filter closed")
	}
	var add []elem
	var bad []error // reported, but they do not keep the other addresses unfiltered
	for _, a := range addrs {
		e, err := elemOf(a)
		if err != nil {
			bad = append(bad, err)
			continue
		}
		if !f.present[e] && !contains(add, e) {
			add = append(add, e)
		}
	}
	if len(add) == 0 {
		return errors.Join(bad...)
	}
	err := f.install(add, false)
	if err != nil && f.anyUp(add) {
		err = f.install(add, true)
	}
	if err != nil {
		return errors.Join(append(bad, fmt.Errorf("nftables table %s: add %d address(es): %w", f.opts.Table, len(add), err))...)
	}
	for _, e := range add {
		f.present[e] = true
	}
	return errors.Join(bad...)
}

// install sends one batch: the layout of every family of add that is not in place (or of all of
// them with rebuild) with the elements already present in it, then add's elements.
func (f *Filter) install(add []elem, rebuild bool) error {
	if err := f.connect(); err != nil {
		return err
	}
	built, err := f.queueInstall(add, rebuild)
	if err != nil {
		f.drop() // a half-queued batch must not reach the kernel with the next Flush
		return err
	}
	if err := f.conn.Flush(); err != nil {
		return err // a batch is one transaction: the kernel kept nothing of it
	}
	f.layouts = built
	return nil
}

// queueInstall queues install's batch and returns the layouts in place once it is accepted.
func (f *Filter) queueInstall(add []elem, rebuild bool) (map[nft.TableFamily]*layout, error) {
	built := map[nft.TableFamily]*layout{}
	for _, e := range add {
		if _, ok := built[e.family]; ok || (f.layouts[e.family] != nil && !rebuild) {
			continue
		}
		l := newLayout(e.family, f.opts)
		if err := f.queueLayout(l); err != nil {
			return nil, err
		}
		var old []elem
		for p := range f.present {
			if p.family == e.family {
				old = append(old, p)
			}
		}
		if err := queueElems(f.conn.SetAddElements, l, old); err != nil {
			return nil, err
		}
		built[e.family] = l
	}
	for fam, l := range f.layouts {
		if built[fam] == nil {
			built[fam] = l
		}
	}
	for fam := range built {
		var mine []elem
		for _, e := range add {
			if e.family == fam {
				mine = append(mine, e)
			}
		}
		if err := queueElems(f.conn.SetAddElements, built[fam], mine); err != nil {
			return nil, err
		}
	}
	return built, nil
}

// queueLayout queues a family's table from scratch: "add table; delete table; add table" clears
// whatever an earlier run left without failing when there is nothing to delete.
func (f *Filter) queueLayout(l *layout) error {
	c := f.conn
	c.AddTable(l.table)
	c.DelTable(l.table)
	c.AddTable(l.table)
	for _, ch := range l.chains {
		c.AddChain(ch)
	}
	for _, s := range l.sets {
		if err := c.AddSet(s.set, s.elems); err != nil {
			return fmt.Errorf("set %s: %w", s.set.Name, err)
		}
	}
	for _, r := range l.rules {
		c.AddRule(r)
	}
	return nil
}

// Remove stops filtering addrs. Addresses that are not filtered are skipped, so removing twice,
// or removing addresses that were never added, is a no-op. An address is forgotten even when the
// kernel refuses its removal: a later Add re-adds it, which the kernel accepts if it is there.
func (f *Filter) Remove(addrs []Addr) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	var del []elem
	for _, a := range addrs {
		e, err := elemOf(a)
		if err != nil {
			continue // never added either
		}
		if f.present[e] {
			delete(f.present, e)
			if f.layouts[e.family] != nil && !f.closed {
				del = append(del, e)
			}
		}
	}
	if len(del) == 0 {
		return nil
	}
	for fam, l := range f.layouts {
		var mine []elem
		for _, e := range del {
			if e.family == fam {
				mine = append(mine, e)
			}
		}
		if err := queueElems(f.conn.SetDeleteElements, l, mine); err != nil {
			f.drop()
			return err
		}
	}
	if err := f.conn.Flush(); err != nil {
		return fmt.Errorf("nftables table %s: remove %d address(es): %w", f.opts.Table, len(del), err)
	}
	return nil
}

// Close deletes the tables this Filter created and releases the netlink socket. Later calls to
// Add fail and later calls to Remove do nothing.
func (f *Filter) Close() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.closed {
		return nil
	}
	f.closed = true
	if f.conn == nil {
		return nil
	}
	var err error
	if len(f.layouts) > 0 {
		for _, l := range f.layouts {
			f.conn.DelTable(l.table)
		}
		if err = f.conn.Flush(); err != nil {
			err = fmt.Errorf("nftables: delete table %s: %w", f.opts.Table, err)
		}
	}
	f.layouts = map[nft.TableFamily]*layout{}
	return errors.Join(err, f.conn.CloseLasting())
}

// connect opens the netlink socket on first use.
func (f *Filter) connect() error {
	if f.conn != nil {
		return nil
	}
	opts := []nft.ConnOption{nft.AsLasting()}
	if f.opts.NetNS != 0 {
		opts = append(opts, nft.WithNetNSFd(f.opts.NetNS))
	}
	c, err := nft.New(opts...)
	if err != nil {
		return fmt.Errorf("nftables: open netlink: %w", err)
	}
	f.conn = c
	return nil
}

// drop discards the connection and whatever it has queued; the next use reconnects.
func (f *Filter) drop() {
	_ = f.conn.CloseLasting()
	f.conn = nil
}

// anyUp reports whether the table of any family in es was in place.
func (f *Filter) anyUp(es []elem) bool {
	for _, e := range es {
		if f.layouts[e.family] != nil {
			return true
		}
	}
	return false
}

// queueElems queues adding or deleting es, grouped by set, in l's table.
func queueElems(op func(*nft.Set, []nft.SetElement) error, l *layout, es []elem) error {
	by := map[string][]nft.SetElement{}
	for _, e := range es {
		by[e.set] = append(by[e.set], nft.SetElement{Key: []byte(e.key)})
	}
	for name, vals := range by {
		s := l.set(name)
		if s == nil {
			return fmt.Errorf("no set %s in the %v table", name, l.table.Family)
		}
		if err := op(s, vals); err != nil {
			return fmt.Errorf("set %s: %w", name, err)
		}
	}
	return nil
}

func contains(es []elem, e elem) bool {
	for _, x := range es {
		if x == e {
			return true
		}
	}
	return false
}
