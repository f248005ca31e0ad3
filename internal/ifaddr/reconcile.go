package ifaddr

import (
	"errors"
	"fmt"
)

// AddrManager is the part of Manager the reconciler needs.
type AddrManager interface {
	ListAddrs(ifindex int) ([]Address, error)
	AddAddr(a Address) error
	DelAddr(a Address) error
}

// Plan computes the minimal change that makes current agree with desired
// for the addresses in owned: add every desired address that is missing,
// delete every owned, undesired address that is present. Addresses neither
// desired nor owned are never touched. Desired addresses count as owned.
// The order of desired and owned is kept in the result.
func Plan(current, desired, owned []Address) (add, del []Address) {
	have := make(map[Key]bool, len(current))
	for _, a := range current {
		have[a.Key()] = true
	}
	want := make(map[Key]bool, len(desired))
	for _, a := range desired {
		k := a.Key()
		if want[k] {
			continue
		}
		want[k] = true
		if !have[k] {
			add = append(add, a)
		}
	}
	seen := make(map[Key]bool, len(owned))
	for _, a := range owned {
		k := a.Key()
		if want[k] || seen[k] || !have[k] {
			continue
		}
		seen[k] = true
		del = append(del, a)
	}
	return add, del
}

// Result tells what a reconcile did.
type Result struct {
	Added, Removed []Address
}

// Ops is the number of kernel operations performed.
func (r Result) Ops() int { return len(r.Added) + len(r.Removed) }

// Reconcile lists the kernel's addresses once, computes Plan and applies it:
// deletions first (so a VIP moving between prefix lengths does not collide),
// then additions. It tries every operation and returns the ones that
// succeeded with the joined errors of those that failed. A second call with
// the same sets performs no operation.
func Reconcile(m AddrManager, desired, owned []Address) (Result, error) {
	current, err := m.ListAddrs(0)
	if err != nil {
		return Result{}, fmt.Errorf("reconcile addresses: %w", err)
	}
	add, del := Plan(current, desired, owned)
	var res Result
	var errs []error
	for _, a := range del {
		if err := m.DelAddr(a); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Removed = append(res.Removed, a)
	}
	for _, a := range add {
		if err := m.AddAddr(a); err != nil {
			errs = append(errs, err)
			continue
		}
		res.Added = append(res.Added, a)
	}
	return res, errors.Join(errs...)
}

// RemoveConfigured removes every address of configured found on the
// system: keepalived's start-up cleanup of VIPs and eVIPs left behind by a
// previous run.
func RemoveConfigured(m AddrManager, configured []Address) (Result, error) {
	return Reconcile(m, nil, configured)
}
