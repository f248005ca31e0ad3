package linuxnet

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/announce"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ifaddr"
	"github.com/gokeepalived/gokeepalived/internal/linkmon"
	"github.com/gokeepalived/gokeepalived/internal/vmac"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/transport"
)

// Pacing is keepalived's minimum gap between gratuitous ARPs (vrrp_garp_interval) and between
// unsolicited NAs (vrrp_gna_interval) on one interface, with per-interface values from garp_group.
type Pacing struct {
	GARP, GNA time.Duration
	// PerInterface overrides the global gaps for the named interfaces.
	PerInterface map[string][2]time.Duration
}

// Network implements engine.Network on the running kernel.
type Network struct {
	log    *slog.Logger
	pool   *transport.Pool
	nl     *ifaddr.Netlink
	sender *announce.Sender
	pacing Pacing
	paced  map[int]bool // interfaces whose pacing is set, guarded by mu

	mu       sync.Mutex
	mon      *linkmon.Monitor
	watchers []func(string)
	closed   bool
	vm       *vmac.Manager
	vmacs    map[string]*vmac.VMAC

	na noAccept // no_accept nftables filter (noaccept_linux.go)
}

var _ engine.Network = (*Network)(nil)

// Open connects to the kernel (rtnetlink) and prepares the socket pool and frame sender.
func Open(log *slog.Logger, pacing Pacing) (*Network, error) {
	nl, err := ifaddr.Dial()
	if err != nil {
		return nil, fmt.Errorf("rtnetlink: %w", err)
	}
	return &Network{
		log: log, pool: transport.NewPool(log), nl: nl, sender: announce.NewSender(0, log),
		pacing: pacing, paced: map[int]bool{},
	}, nil
}

// pace applies the GARP/NA gaps to an interface the first time frames are sent on it.
func (n *Network) pace(ifc *net.Interface) {
	n.mu.Lock()
	done := n.paced[ifc.Index]
	n.paced[ifc.Index] = true
	n.mu.Unlock()
	if done {
		return
	}
	garp, gna := n.pacing.GARP, n.pacing.GNA
	if g, ok := n.pacing.PerInterface[ifc.Name]; ok {
		garp, gna = g[0], g[1]
	}
	if garp == 0 && gna == 0 {
		return
	}
	if err := n.sender.SetIntervals(ifc.Index, garp, gna); err != nil {
		n.log.Warn("cannot pace gratuitous ARP/NA", "iface", ifc.Name, "err", err)
	}
}

// Close releases the kernel resources.
func (n *Network) Close() error {
	n.mu.Lock()
	n.closed = true
	mon := n.mon
	n.mu.Unlock()
	var errs []error
	if mon != nil {
		errs = append(errs, mon.Close())
	}
	n.mu.Lock()
	if n.vm != nil {
		errs = append(errs, n.vm.Close()) // VMACs were deleted (or kept, with -V) by the engine
	}
	n.mu.Unlock()
	errs = append(errs, n.closeFilter(), n.sender.Close(), n.nl.Close())
	return errors.Join(errs...)
}

// Interface reports the named interface: index, MAC, operational state (IFF_UP and
// IFF_RUNNING, keepalived's IF_ISUP), primary IPv4 address and first IPv6 link-local address.
func (n *Network) Interface(name string) (engine.Interface, error) {
	ifc, err := net.InterfaceByName(name)
	if err != nil {
		return engine.Interface{}, fmt.Errorf("interface %s: %w", name, err)
	}
	out := engine.Interface{
		Name: name, Index: ifc.Index, MAC: ifc.HardwareAddr,
		Up: ifc.Flags&net.FlagUp != 0 && ifc.Flags&net.FlagRunning != 0,
	}
	addrs, err := n.nl.ListAddrs(ifc.Index)
	if err != nil {
		return out, fmt.Errorf("interface %s: list addresses: %w", name, err)
	}
	// The kernel lists an interface's primary IPv4 address before its secondaries.
	for _, a := range addrs {
		ip := a.Prefix.Addr()
		switch {
		case ip.Is4() && !out.Addr4.IsValid():
			out.Addr4 = ip
		case ip.Is6() && ip.IsLinkLocalUnicast() && !out.LinkLocal6.IsValid():
			out.LinkLocal6 = ip.WithZone(name)
		}
	}
	return out, nil
}

// Open gives an instance its handle on the shared VRRP sockets.
func (n *Network) Open(ep engine.Endpoint, recv func(engine.Packet)) (engine.Conn, error) {
	cfg := transport.Config{
		Interface: ep.Iface, VRID: ep.VRID, IPv6: ep.Family == packet.IPv6, Group: ep.Group,
		Src: ep.Src.WithZone(""), Peers: ep.Peers,
	}
	if ep.AH {
		cfg.Proto = transport.ProtoAH
	}
	if ep.UnicastTTL > 0 {
		cfg.UnicastTTL = ep.UnicastTTL
	}
	c, err := n.pool.Open(cfg)
	if err != nil {
		return nil, err
	}
	go func() {
		for p := range c.Packets() {
			data := p.Payload
			if !cfg.IPv6 {
				// Validation reads the IPv4 header (TTL, length, AH covers parts of it).
				data = append(append(make([]byte, 0, len(p.IPHeader)+len(p.Payload)), p.IPHeader...), p.Payload...)
			}
			recv(engine.Packet{Src: p.Src, Dst: p.Dst, TTL: p.TTL, Data: data})
		}
	}()
	return &conn{c: c, ipv6: cfg.IPv6}, nil
}

// conn adapts a transport handle to engine.Conn.
type conn struct {
	c      *transport.Conn
	ipv6   bool
	copies []transport.Copy
}

// Send hands one advert's copies to the transport. The engine built each IPv4 copy with its
// header; the transport writes an identical header itself (TOS 0xC0, TTL, and an ID counter that
// starts at 1, skips 0 and advances once per Send, like the engine's), so only the VRRP part
// (or AH + VRRP) is passed on.
func (c *conn) Send(copies []engine.Datagram) error {
	c.copies = c.copies[:0]
	for _, d := range copies {
		payload := d.Data
		if !c.ipv6 {
			if len(payload) < 20 {
				return fmt.Errorf("advert to %s: %d bytes is shorter than an IPv4 header", d.Dst, len(payload))
			}
			payload = payload[int(payload[0]&0x0f)*4:]
		}
		c.copies = append(c.copies, transport.Copy{Dst: d.Dst, Payload: payload})
	}
	return c.c.Send(c.copies...)
}

func (c *conn) Close() error { return c.c.Close() }

// SetAddresses reconciles the kernel with set: all of it present when installed, none of it
// otherwise. Addresses that are not in set are never touched.
func (n *Network) SetAddresses(owner string, set engine.AddressSet, installed bool) error {
	var all []ifaddr.Address
	var errs []error
	for _, v := range set.Addrs {
		ifc, err := net.InterfaceByName(v.Dev)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", owner, v.Prefix, err))
			continue
		}
		all = append(all, toAddress(v, ifc.Index))
	}
	var desired []ifaddr.Address
	if installed {
		desired = all
		if set.NoAccept {
			n.filterAdd(owner, set.Addrs) // before the addresses: they never answer unfiltered
		}
	}
	res, err := ifaddr.Reconcile(n.nl, desired, all)
	if !installed || !set.NoAccept {
		// Whatever NoAccept said when they were added: a reload may have turned accept on.
		n.filterRemove(owner, set.Addrs)
	}
	if err != nil {
		errs = append(errs, err)
	}
	for _, a := range res.Added {
		n.log.Info("address added", "instance", owner, "addr", a.Prefix.String(), "ifindex", a.Ifindex)
	}
	for _, a := range res.Removed {
		n.log.Info("address removed", "instance", owner, "addr", a.Prefix.String(), "ifindex", a.Ifindex)
	}
	errs = append(errs, n.setRoutes(owner, set.Routes, installed)...)
	for _, r := range set.Rules {
		var err error
		if installed {
			err = n.nl.AddRule(toRule(r))
		} else {
			err = n.nl.DelRule(toRule(r))
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: rule: %w", owner, err))
		}
	}
	return errors.Join(errs...)
}

// Announce queues count gratuitous ARPs (IPv4) or unsolicited NAs (IPv6) per address, each from
// the interface that holds it. The sender paces and writes them off the caller's goroutine.
func (n *Network) Announce(set engine.AddressSet, count int) error {
	var errs []error
	for _, v := range set.Addrs {
		ifc, err := net.InterfaceByName(v.Dev)
		if err != nil || len(ifc.HardwareAddr) != 6 || ifc.Flags&net.FlagLoopback != 0 {
			continue // no Ethernet, nothing to announce (keepalived skips IFF_NOARP too)
		}
		n.pace(ifc)
		ip := v.Prefix.Addr()
		var frame []byte
		if ip.Is4() {
			frame, err = announce.AppendGARP(nil, ifc.HardwareAddr, ip)
		} else {
			frame, err = announce.AppendUnsolicitedNA(nil, ifc.HardwareAddr, ip, forwarding(v.Dev))
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for range count {
			if err := n.sender.Send(ifc.Index, frame); err != nil {
				errs = append(errs, fmt.Errorf("announce %s on %s: %w", ip, v.Dev, err))
				break
			}
		}
	}
	return errors.Join(errs...)
}

// forwarding reports whether IPv6 forwarding is on for the interface: keepalived sets the NA's
// Router flag then.
func forwarding(dev string) bool {
	b, err := os.ReadFile("/proc/sys/net/ipv6/conf/" + dev + "/forwarding")
	return err == nil && strings.TrimSpace(string(b)) == "1"
}

// WatchLinks starts the netlink monitor on first use and calls fn with the interface's name for
// every link or address change.
func (n *Network) WatchLinks(fn func(string)) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closed {
		return errors.New("network closed")
	}
	n.watchers = append(n.watchers, fn)
	if n.mon != nil {
		return nil
	}
	mon, err := linkmon.Start(linkmon.Options{})
	if err != nil {
		return fmt.Errorf("link monitor: %w", err)
	}
	n.mon = mon
	go func() {
		for ev := range mon.Events() {
			name := ev.Name
			if name == "" {
				if ifc, err := net.InterfaceByIndex(ev.Ifindex); err == nil {
					name = ifc.Name
				}
			}
			n.mu.Lock()
			ws := append([]func(string){}, n.watchers...)
			n.mu.Unlock()
			for _, w := range ws {
				w(name)
			}
		}
	}()
	return nil
}

// CreateVMAC creates or adopts the instance's VMAC (vrrp_vmac.c).
func (n *Network) CreateVMAC(c *config.Instance, g *config.GlobalDefs) (string, error) {
	spec, ok := vmac.SpecFor(c, g)
	if !ok {
		return "", fmt.Errorf("instance %s has no use_vmac", c.Name)
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.vm == nil {
		m, err := vmac.Open()
		if err != nil {
			return "", fmt.Errorf("vmac: %w", err)
		}
		n.vm, n.vmacs = m, map[string]*vmac.VMAC{}
	}
	v, err := n.vm.Create(spec)
	if err != nil {
		return "", err
	}
	n.vmacs[v.Name] = v
	return v.Name, nil
}

// DeleteVMAC removes a VMAC made by CreateVMAC.
func (n *Network) DeleteVMAC(name string) error {
	n.mu.Lock()
	defer n.mu.Unlock()
	v := n.vmacs[name]
	if v == nil || n.vm == nil {
		return fmt.Errorf("vmac %s: not created here", name)
	}
	delete(n.vmacs, name)
	return n.vm.Delete(v)
}
