package engine

import (
	"fmt"

	"errors"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"net"
	"net/netip"
	"sync"
	"time"
)

// fakeLAN connects fake networks: every advert sent by one node reaches the endpoints of the
// same family on every other node that is not cut off.
type fakeLAN struct {
	mu    sync.Mutex
	nodes []*fakeNet
}

func (l *fakeLAN) node(name, addr string) *fakeNet {
	n := &fakeNet{
		lan: l, name: name,
		ifc:       Interface{Name: "eth0", Index: 2, MAC: net.HardwareAddr{2, 0, 0, 0, 0, byte(len(l.nodes) + 1)}, Up: true, Addr4: netip.MustParseAddr(addr)},
		installed: map[string]bool{},
	}
	l.mu.Lock()
	l.nodes = append(l.nodes, n)
	l.mu.Unlock()
	return n
}

// fakeNet is one node's view of the fake LAN; it records what the engine asked of the kernel.
type fakeNet struct {
	lan  *fakeLAN
	name string
	ifc  Interface

	mu        sync.Mutex
	recvs     []*fakeConn
	installed map[string]bool
	changes   []addrChange
	garps     int
	cut       bool // a crashed node: sends and receives nothing
	sent      []sentAdvert
	linkFn    func(string)
	vmacs     []string // "+name" created, "-name" deleted
	lastSet   AddressSet
	eps       []Endpoint
	// addrs is the per-address view: owner -> prefix -> installed; addrLog lists "+owner prefix"
	// and "-owner prefix" for every address that was added or removed.
	addrs   map[string]map[string]bool
	addrLog []string
}

type addrChange struct {
	owner     string
	installed bool
	at        time.Time
}

type sentAdvert struct {
	at   time.Time
	prio uint8
}

func (n *fakeNet) Interface(name string) (Interface, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if name != n.ifc.Name {
		return Interface{}, errors.New("no such interface")
	}
	return n.ifc, nil
}

func (n *fakeNet) Open(ep Endpoint, recv func(Packet)) (Conn, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	c := &fakeConn{n: n, ep: ep, recv: recv}
	n.eps = append(n.eps, ep)
	n.recvs = append(n.recvs, c)
	return c, nil
}

func (n *fakeNet) SetAddresses(owner string, set AddressSet, installed bool) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.lastSet = set
	now := installed
	if len(set.Addrs) > 0 {
		if n.addrs == nil {
			n.addrs = map[string]map[string]bool{}
		}
		if n.addrs[owner] == nil {
			n.addrs[owner] = map[string]bool{}
		}
		for _, a := range set.Addrs {
			p := a.Prefix.String()
			if n.addrs[owner][p] != installed {
				sign := "-"
				if installed {
					sign = "+"
				}
				n.addrLog = append(n.addrLog, sign+owner+" "+p)
			}
			n.addrs[owner][p] = installed
		}
		// The owner counts as installed while any of its addresses is.
		now = false
		for _, in := range n.addrs[owner] {
			now = now || in
		}
	}
	if n.installed[owner] != now {
		n.changes = append(n.changes, addrChange{owner, now, time.Now()})
	}
	n.installed[owner] = now
	return nil
}

// addressLog returns the per-address changes so far.
func (n *fakeNet) addressLog() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.addrLog...)
}

func (n *fakeNet) Announce(set AddressSet, count int) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.garps += count * len(set.Addrs)
	return nil
}

func (n *fakeNet) WatchLinks(fn func(string)) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.linkFn = fn
	return nil
}

func (n *fakeNet) CreateVMAC(c *config.Instance, g *config.GlobalDefs) (string, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	name := fmt.Sprintf("vrrp.%d", c.VRID)
	n.vmacs = append(n.vmacs, "+"+name)
	return name, nil
}

func (n *fakeNet) DeleteVMAC(name string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.vmacs = append(n.vmacs, "-"+name)
	return nil
}

func (n *fakeNet) isInstalled(owner string) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.installed[owner]
}

func (n *fakeNet) setCut(cut bool) {
	n.mu.Lock()
	n.cut = cut
	n.mu.Unlock()
}

// setLink flips the interface and tells the engine, as the netlink monitor would.
func (n *fakeNet) setLink(up bool) {
	n.mu.Lock()
	n.ifc.Up = up
	fn := n.linkFn
	n.mu.Unlock()
	if fn != nil {
		fn(n.ifc.Name)
	}
}

type fakeConn struct {
	n    *fakeNet
	ep   Endpoint
	recv func(Packet)
	// closed is guarded by n.mu.
	closed bool
}

// Send delivers every copy to the instances of the same family and VRID on the other nodes, as
// the real transport's demultiplexing would.
func (c *fakeConn) Send(copies []Datagram) error {
	c.n.mu.Lock()
	cut := c.n.cut
	if !cut && len(copies) > 0 && len(copies[0].Data) > 22 {
		c.n.sent = append(c.n.sent, sentAdvert{at: time.Now(), prio: copies[0].Data[22]})
	}
	src := c.n.ifc.Addr4
	c.n.mu.Unlock()
	if cut {
		return nil
	}
	c.n.lan.mu.Lock()
	nodes := append([]*fakeNet(nil), c.n.lan.nodes...)
	c.n.lan.mu.Unlock()
	for _, cp := range copies {
		for _, o := range nodes {
			if o == c.n {
				continue
			}
			o.mu.Lock()
			var recvs []func(Packet)
			if !o.cut {
				for _, r := range o.recvs {
					if r.ep.Family == c.ep.Family && r.ep.VRID == c.ep.VRID && !r.closed {
						recvs = append(recvs, r.recv)
					}
				}
			}
			o.mu.Unlock()
			for _, r := range recvs {
				r(Packet{Src: src, Dst: cp.Dst, TTL: 255, Data: append([]byte(nil), cp.Data...)})
			}
		}
	}
	return nil
}

func (c *fakeConn) Close() error {
	c.n.mu.Lock()
	c.closed = true
	c.n.mu.Unlock()
	return nil
}
