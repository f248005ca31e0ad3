// Package linkmon turns rtnetlink notifications (RTNLGRP_LINK,
// RTNLGRP_IPV4_IFADDR, RTNLGRP_IPV6_IFADDR) into typed events: links going
// up or down or away, and addresses appearing or disappearing. It is what
// keepalived's netlink monitor (vrrp_netlink.c) feeds interface tracking
// and track_src_ip / VIP-deleted handling with.
//
// When the kernel drops notifications (ENOBUFS) the monitor re-dumps links
// and addresses, emits the differences as ordinary events and then a
// Resync event, so consumers never miss a state change.
package linkmon

import (
	"fmt"
	"net/netip"
	"sort"

	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
)

// Kind is the type of an Event.
type Kind int

// Event kinds.
const (
	// LinkUp: the link is administratively up and has carrier
	// (IFF_UP and IFF_RUNNING, keepalived's IF_ISUP).
	LinkUp Kind = iota + 1
	// LinkDown: the link lost IFF_UP or IFF_RUNNING.
	LinkDown
	// LinkDeleted: the link is gone.
	LinkDeleted
	// AddrAdded: an address appeared.
	AddrAdded
	// AddrRemoved: an address disappeared.
	AddrRemoved
	// Resync: notifications were lost and state was re-read from a dump;
	// the events before it in the same batch were the differences.
	Resync
)

func (k Kind) String() string {
	switch k {
	case LinkUp:
		return "link-up"
	case LinkDown:
		return "link-down"
	case LinkDeleted:
		return "link-deleted"
	case AddrAdded:
		return "addr-added"
	case AddrRemoved:
		return "addr-removed"
	case Resync:
		return "resync"
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// Event is one change.
type Event struct {
	Kind Kind
	// Ifindex and Name identify the link (for address events, the link
	// holding the address; Name may be empty if the link is unknown).
	Ifindex int
	Name    string
	// Addr is the address for AddrAdded and AddrRemoved.
	Addr ifaddr.Address
}

func (e Event) String() string {
	switch e.Kind {
	case AddrAdded, AddrRemoved:
		return fmt.Sprintf("%s %s on %s(%d)", e.Kind, e.Addr.Prefix, e.Name, e.Ifindex)
	case Resync:
		return e.Kind.String()
	}
	return fmt.Sprintf("%s %s(%d)", e.Kind, e.Name, e.Ifindex)
}

// Link is the monitor's view of one link.
type Link struct {
	Ifindex int
	Name    string
	Up      bool
}

// state is the pure core: the last known links and addresses, and the
// events each observation implies. Repeated RTM_NEWLINK messages that do
// not change up/down produce no event.
type state struct {
	links map[int]Link
	addrs map[ifaddr.Key]ifaddr.Address
}

func newState() *state {
	return &state{links: make(map[int]Link), addrs: make(map[ifaddr.Key]ifaddr.Address)}
}

func (s *state) name(ifindex int) string { return s.links[ifindex].Name }

func (s *state) link(l Link) []Event {
	old, known := s.links[l.Ifindex]
	s.links[l.Ifindex] = l
	if known && old.Up == l.Up {
		return nil
	}
	if !known && !l.Up {
		// A new link that is down: report it so consumers learn its index.
		return []Event{{Kind: LinkDown, Ifindex: l.Ifindex, Name: l.Name}}
	}
	k := LinkDown
	if l.Up {
		k = LinkUp
	}
	return []Event{{Kind: k, Ifindex: l.Ifindex, Name: l.Name}}
}

func (s *state) delLink(ifindex int, name string) []Event {
	if old, ok := s.links[ifindex]; ok && name == "" {
		name = old.Name
	}
	delete(s.links, ifindex)
	ev := []Event{{Kind: LinkDeleted, Ifindex: ifindex, Name: name}}
	// The kernel drops the addresses silently with the link for some
	// families; forget them and say so.
	for _, k := range s.sortedAddrKeys() {
		if a := s.addrs[k]; a.Ifindex == ifindex {
			delete(s.addrs, k)
			ev = append(ev, Event{Kind: AddrRemoved, Ifindex: ifindex, Name: name, Addr: a})
		}
	}
	return ev
}

func (s *state) addr(a ifaddr.Address) []Event {
	k := a.Key()
	_, known := s.addrs[k]
	s.addrs[k] = a
	if known {
		return nil
	}
	return []Event{{Kind: AddrAdded, Ifindex: a.Ifindex, Name: s.name(a.Ifindex), Addr: a}}
}

func (s *state) delAddr(a ifaddr.Address) []Event {
	k := a.Key()
	if _, known := s.addrs[k]; !known {
		return nil
	}
	delete(s.addrs, k)
	return []Event{{Kind: AddrRemoved, Ifindex: a.Ifindex, Name: s.name(a.Ifindex), Addr: a}}
}

func (s *state) sortedAddrKeys() []ifaddr.Key {
	keys := make([]ifaddr.Key, 0, len(s.addrs))
	for k := range s.addrs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].Ifindex != keys[j].Ifindex {
			return keys[i].Ifindex < keys[j].Ifindex
		}
		if c := keys[i].Addr.Compare(keys[j].Addr); c != 0 {
			return c < 0
		}
		return keys[i].Bits < keys[j].Bits
	})
	return keys
}

// resync replaces the state with a full dump and returns the differences
// followed by a Resync event.
func (s *state) resync(links []Link, addrs []ifaddr.Address) []Event {
	var ev []Event
	seenLink := make(map[int]bool, len(links))
	for _, l := range links {
		seenLink[l.Ifindex] = true
		ev = append(ev, s.link(l)...)
	}
	var gone []int
	for idx := range s.links {
		if !seenLink[idx] {
			gone = append(gone, idx)
		}
	}
	sort.Ints(gone)
	for _, idx := range gone {
		ev = append(ev, s.delLink(idx, "")...)
	}
	seenAddr := make(map[ifaddr.Key]bool, len(addrs))
	for _, a := range addrs {
		seenAddr[a.Key()] = true
		ev = append(ev, s.addr(a)...)
	}
	for _, k := range s.sortedAddrKeys() {
		if !seenAddr[k] {
			ev = append(ev, s.delAddr(s.addrs[k])...)
		}
	}
	return append(ev, Event{Kind: Resync})
}

// snapshot copies the links and addresses, sorted.
func (s *state) snapshot() ([]Link, []ifaddr.Address) {
	links := make([]Link, 0, len(s.links))
	for _, l := range s.links {
		links = append(links, l)
	}
	sort.Slice(links, func(i, j int) bool { return links[i].Ifindex < links[j].Ifindex })
	addrs := make([]ifaddr.Address, 0, len(s.addrs))
	for _, k := range s.sortedAddrKeys() {
		addrs = append(addrs, s.addrs[k])
	}
	return links, addrs
}

// HasAddr reports whether addrs holds a on ifindex (0 = any interface).
func HasAddr(addrs []ifaddr.Address, ifindex int, a netip.Addr) bool {
	for _, x := range addrs {
		if x.Prefix.Addr() == a && (ifindex == 0 || x.Ifindex == ifindex) {
			return true
		}
	}
	return false
}
