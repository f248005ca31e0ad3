package vmac

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/jsimonetti/rtnetlink/v2/driver"
	"golang.org/x/sys/unix"
)

// sysctlRoot is where net.ipv4.conf lives; it shows the network namespace of the
// thread that opens the files.
const (
	sysctlRoot  = "/proc/sys/net/ipv4/conf"
	sysctl6Root = "/proc/sys/net/ipv6/conf"
)

// Manager creates and deletes VMACs and keeps the parents' sysctls to restore.
//
// Everything happens in the network namespace of the calling OS thread: the netlink
// socket is bound to the namespace at Open, and sysctls are written through /proc/sys
// on each call, so callers in another namespace must stay on one locked thread.
type Manager struct {
	conn *rtnetlink.Conn

	mu    sync.Mutex
	saved map[string][]sysctl // parent -> values to restore
	users map[string]int      // parent -> VMACs on it
}

// VMAC is one interface the Manager created (or adopted from an earlier run).
type VMAC struct {
	Name   string
	Index  uint32
	Parent string
	MAC    []byte

	ipv6        bool
	parentIndex uint32
}

// Open dials rtnetlink in the current network namespace.
func Open() (*Manager, error) {
	c, err := rtnetlink.Dial(nil)
	if err != nil {
		return nil, fmt.Errorf("vmac: rtnetlink: %w", err)
	}
	return &Manager{conn: c, saved: map[string][]sysctl{}, users: map[string]int{}}, nil
}

// Close releases the netlink socket; it does not delete VMACs.
func (m *Manager) Close() error { return m.conn.Close() }

// Create makes the VMAC of s, trying s.Names in order. A name already held by a
// private macvlan on the same parent with the same MAC (left by an earlier run) is
// adopted, as keepalived does; a name held by anything else moves on to the next
// candidate. The VMAC is brought up and the sysctls are set.
func (m *Manager) Create(s Spec) (*VMAC, error) {
	links, err := m.conn.Link.List()
	if err != nil {
		return nil, fmt.Errorf("vmac: list links: %w", err)
	}
	parent, ok := findLink(links, s.Parent)
	if !ok {
		return nil, fmt.Errorf("vmac %d: parent interface %s not found", s.VRID, s.Parent)
	}
	var name string
	adopted := false
	for _, n := range s.Names {
		l, exists := findLink(links, n)
		if !exists {
			name = n
			break
		}
		if isOurs(l, parent.Index, s.MAC) {
			name, adopted = n, true
			break
		}
	}
	if name == "" {
		return nil, fmt.Errorf("vmac %d on %s: names %s are all in use", s.VRID, s.Parent, strings.Join(s.Names, ", "))
	}
	if !adopted {
		mode := driver.MacvlanModePrivate
		attrs := &rtnetlink.LinkAttributes{
			Name:    name,
			Type:    parent.Index, // IFLA_LINK: the parent
			Address: s.MAC,
			Info:    &rtnetlink.LinkInfo{Kind: "macvlan", Data: &driver.Macvlan{Mode: &mode}},
		}
		err := m.conn.Link.New(&rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Attributes: attrs})
		if err != nil {
			return nil, fmt.Errorf("vmac %s on %s: create: %w", name, s.Parent, err)
		}
		if links, err = m.conn.Link.List(); err != nil {
			return nil, fmt.Errorf("vmac %s: list links: %w", name, err)
		}
	}
	l, ok := findLink(links, name)
	if !ok {
		return nil, fmt.Errorf("vmac %s: created but not found", name)
	}
	var group uint32
	switch {
	case s.Group > 0:
		group = uint32(s.Group)
	case s.Group < 0 && parent.Attributes.NetDevGroup != nil:
		group = *parent.Attributes.NetDevGroup
	}
	if group != 0 && !adopted {
		if err := m.setGroup(l.Index, group); err != nil {
			_ = m.conn.Link.Delete(l.Index)
			return nil, err
		}
	}
	v := &VMAC{Name: name, Index: l.Index, Parent: s.Parent, MAC: append([]byte(nil), s.MAC...), ipv6: s.IPv6, parentIndex: parent.Index}
	if err := m.setup(v); err != nil {
		_ = m.conn.Link.Delete(v.Index)
		return nil, err
	}
	return v, nil
}

// setup sets the sysctls and brings the VMAC up. An IPv6 VMAC gets no kernel-made
// link-local address (addr_gen_mode 1): every router's VMAC has the same MAC, so the
// EUI-64 addresses would collide in DAD. It gets the parent's link-local addresses
// instead, as keepalived does, so adverts can be sent from it.
func (m *Manager) setup(v *VMAC) error {
	if v.ipv6 {
		if err := writeSysctlAt(sysctl6Root, v.Name, "addr_gen_mode", "1"); err != nil {
			return err
		}
	}
	for _, s := range vmacSysctls {
		if err := writeSysctl(v.Name, s.key, s.value); err != nil {
			return err
		}
	}
	m.mu.Lock()
	if m.users[v.Parent] == 0 {
		var old []sysctl
		for _, s := range baseSysctls {
			val, err := readSysctl(v.Parent, s.key)
			if err != nil {
				m.mu.Unlock()
				return err
			}
			old = append(old, sysctl{s.key, val})
			if err := writeSysctl(v.Parent, s.key, s.value); err != nil {
				m.mu.Unlock()
				return err
			}
		}
		m.saved[v.Parent] = old
	}
	m.users[v.Parent]++
	m.mu.Unlock()
	err := m.conn.Link.Set(&rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Index: v.Index, Flags: unix.IFF_UP, Change: unix.IFF_UP})
	if err != nil {
		return fmt.Errorf("vmac %s: set up: %w", v.Name, err)
	}
	if v.ipv6 {
		return m.copyLinkLocal(v)
	}
	return nil
}

// copyLinkLocal puts the parent's IPv6 link-local addresses on the VMAC, without DAD
// (the parent already owns them on this link).
func (m *Manager) copyLinkLocal(v *VMAC) error {
	addrs, err := m.conn.Address.List()
	if err != nil {
		return fmt.Errorf("vmac %s: list addresses: %w", v.Name, err)
	}
	for _, a := range addrs {
		if a.Family != unix.AF_INET6 || a.Index != v.parentIndex || a.Attributes == nil || !a.Attributes.Address.IsLinkLocalUnicast() {
			continue
		}
		err := m.conn.Address.New(&rtnetlink.AddressMessage{
			Family: unix.AF_INET6, PrefixLength: a.PrefixLength, Scope: unix.RT_SCOPE_LINK, Index: v.Index,
			Attributes: &rtnetlink.AddressAttributes{Address: a.Attributes.Address, Local: a.Attributes.Address, Flags: unix.IFA_F_NODAD},
		})
		if err != nil && !errors.Is(err, os.ErrExist) {
			return fmt.Errorf("vmac %s: add %s: %w", v.Name, a.Attributes.Address, err)
		}
	}
	return nil
}

// Delete removes the VMAC and, when it was the parent's last one, restores the
// parent's sysctls.
func (m *Manager) Delete(v *VMAC) error {
	var errs []error
	if err := m.conn.Link.Delete(v.Index); err != nil && !errors.Is(err, os.ErrNotExist) {
		errs = append(errs, fmt.Errorf("vmac %s: delete: %w", v.Name, err))
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.users[v.Parent] > 0 {
		m.users[v.Parent]--
		if m.users[v.Parent] == 0 {
			for _, s := range m.saved[v.Parent] {
				if err := writeSysctl(v.Parent, s.key, s.value); err != nil {
					errs = append(errs, err)
				}
			}
			delete(m.saved, v.Parent)
		}
	}
	return errors.Join(errs...)
}

func findLink(links []rtnetlink.LinkMessage, name string) (rtnetlink.LinkMessage, bool) {
	for _, l := range links {
		if l.Attributes != nil && l.Attributes.Name == name {
			return l, true
		}
	}
	return rtnetlink.LinkMessage{}, false
}

// isOurs reports whether l is a private macvlan on parent with our MAC. rtnetlink
// does not always decode a macvlan's IFLA_LINK (it reads 0), so 0 is accepted.
func isOurs(l rtnetlink.LinkMessage, parent uint32, mac []byte) bool {
	a := l.Attributes
	if a == nil || a.Info == nil || a.Info.Kind != "macvlan" || (a.Type != 0 && a.Type != parent) || !bytes.Equal(a.Address, mac) {
		return false
	}
	mv, ok := a.Info.Data.(*driver.Macvlan)
	return ok && mv.Mode != nil && *mv.Mode == driver.MacvlanModePrivate
}

func readSysctl(ifname, key string) (string, error) {
	b, err := os.ReadFile(filepath.Join(sysctlRoot, ifname, key))
	if err != nil {
		return "", fmt.Errorf("vmac: sysctl net.ipv4.conf.%s.%s: %w", ifname, key, err)
	}
	return strings.TrimSpace(string(b)), nil
}

func writeSysctl(ifname, key, value string) error {
	return writeSysctlAt(sysctlRoot, ifname, key, value)
}

func writeSysctlAt(root, ifname, key, value string) error {
	if err := os.WriteFile(filepath.Join(root, ifname, key), []byte(value), 0o644); err != nil {
		fam := "ipv4"
		if root == sysctl6Root {
			fam = "ipv6"
		}
		return fmt.Errorf("vmac: sysctl net.%s.conf.%s.%s=%s: %w", fam, ifname, key, value, err)
	}
	return nil
}
