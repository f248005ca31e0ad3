package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"slices"
	"strconv"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/bpf"
	"golang.org/x/net/ipv4"
	"golang.org/x/net/ipv6"
	"golang.org/x/sys/unix"
)

// tosInternetControl is IPTOS_PREC_INTERNETCONTROL (CS6), the TOS/traffic
// class keepalived puts on every advert (vrrp_build_ip4, if_setsockopt_priority).
const tosInternetControl = 0xc0

// sendTimeout bounds a send so a full socket buffer cannot stall the VRRP
// timing path.
const sendTimeout = 50 * time.Millisecond

// Pool owns the shared sockets. One receive/send pair exists per
// (interface, family, protocol, group or unicast source), opened on first
// use and closed with its last instance. A Pool is safe for concurrent use.
type Pool struct {
	log   *slog.Logger
	mu    sync.Mutex
	socks map[sockKey]*sock
}

// NewPool returns an empty pool logging to log (slog.Default when nil).
func NewPool(log *slog.Logger) *Pool {
	if log == nil {
		log = slog.Default()
	}
	return &Pool{log: log, socks: make(map[sockKey]*sock)}
}

type sockKey struct {
	ifindex int
	ipv6    bool
	proto   int
	unicast bool
	local   netip.Addr // group, or unicast source
}

// sock is one shared receive/send socket pair.
type sock struct {
	key    sockKey
	ifname string
	rcvbuf int
	log    *slog.Logger
	stats  counters

	rx4 *ipv4.RawConn
	tx4 *ipv4.RawConn
	rx6 *ipv6.PacketConn
	tx6 *ipv6.PacketConn
	rxc net.PacketConn
	txc net.PacketConn

	mu      sync.RWMutex
	members map[uint8][]*Conn
	refs    int
	done    chan struct{}
}

// Conn is one instance's handle on a shared socket pair.
type Conn struct {
	s     *sock
	pool  *Pool
	cfg   Config
	peers map[netip.Addr]bool
	ch    chan Packet
	once  sync.Once

	idMu sync.Mutex
	id   uint16
}

// Open registers an instance and returns its handle, opening the shared
// sockets if this is the first instance using them. Sockets are created in
// the calling thread's network namespace.
func (p *Pool) Open(cfg Config) (*Conn, error) {
	if cfg.proto() == ProtoAH && cfg.IPv6 {
		return nil, fmt.Errorf("transport vrid %d: AH is IPv4 only", cfg.VRID)
	}
	if cfg.Unicast() && !cfg.Src.IsValid() && cfg.Interface == "" {
		return nil, fmt.Errorf("transport vrid %d: unicast without interface needs a source address", cfg.VRID)
	}
	if !cfg.Unicast() && cfg.Interface == "" {
		return nil, fmt.Errorf("transport vrid %d: multicast needs an interface", cfg.VRID)
	}
	for _, a := range append([]netip.Addr{cfg.Src, cfg.Group}, cfg.Peers...) {
		if a.IsValid() && a.Unmap().Is6() != cfg.IPv6 {
			return nil, fmt.Errorf("transport vrid %d: address %s is not of the instance's family", cfg.VRID, a)
		}
	}
	var ifi *net.Interface
	if cfg.Interface != "" {
		var err error
		if ifi, err = net.InterfaceByName(cfg.Interface); err != nil {
			return nil, fmt.Errorf("transport vrid %d: interface %s: %w", cfg.VRID, cfg.Interface, err)
		}
	}
	key := sockKey{ipv6: cfg.IPv6, proto: cfg.proto(), unicast: cfg.Unicast()}
	if ifi != nil {
		key.ifindex = ifi.Index
	}
	if cfg.Unicast() {
		key.local = cfg.Src
	} else {
		key.local = cfg.group()
	}
	qlen := cfg.QueueLen
	if qlen <= 0 {
		qlen = 64
	}
	c := &Conn{pool: p, cfg: cfg, ch: make(chan Packet, qlen), peers: make(map[netip.Addr]bool)}
	c.cfg.Peers = slices.Clone(cfg.Peers)
	for _, a := range cfg.Peers {
		c.peers[a.Unmap()] = true
	}

	p.mu.Lock()
	defer p.mu.Unlock()
	s := p.socks[key]
	if s == nil {
		var err error
		if s, err = openSock(key, ifi, cfg.RecvBuffer, p.log); err != nil {
			return nil, fmt.Errorf("transport vrid %d iface %s: %w", cfg.VRID, cfg.Interface, err)
		}
		p.socks[key] = s
		go s.readLoop()
	}
	s.refs++
	c.s = s
	s.mu.Lock()
	s.members[cfg.VRID] = append(s.members[cfg.VRID], c)
	s.mu.Unlock()
	return c, nil
}

// Packets returns the instance's receive queue. It is closed by Close.
func (c *Conn) Packets() <-chan Packet { return c.ch }

// Destinations returns the group, or the unicast peers, in order.
func (c *Conn) Destinations() []netip.Addr { return c.cfg.Destinations() }

// Stats returns the counters of the shared socket pair this instance uses.
func (c *Conn) Stats() Stats { return c.s.stats.snapshot() }

// Close unregisters the instance, closes its queue, and closes the shared
// sockets when it was their last user. It is idempotent.
func (c *Conn) Close() error {
	var err error
	c.once.Do(func() {
		s := c.s
		s.mu.Lock()
		list := s.members[c.cfg.VRID]
		if i := slices.Index(list, c); i >= 0 {
			list = slices.Delete(list, i, i+1)
		}
		if len(list) == 0 {
			delete(s.members, c.cfg.VRID)
		} else {
			s.members[c.cfg.VRID] = list
		}
		close(c.ch)
		s.mu.Unlock()

		c.pool.mu.Lock()
		s.refs--
		last := s.refs == 0
		if last {
			delete(c.pool.socks, s.key)
		}
		c.pool.mu.Unlock()
		if last {
			err = s.close()
		}
	})
	return err
}

func (c *Conn) hasPeer(a netip.Addr) bool { return c.peers[a.Unmap()] }

// Send transmits one advertisement: every copy, in order, sharing one IPv4
// ID (keepalived: unicast copies of one advert share the ID). Multicast
// copies go out with TTL/hop limit 255; unicast copies with unicast_ttl.
// Each write is bounded by a short deadline; the first error is returned
// after all copies were tried.
func (c *Conn) Send(copies ...Copy) error {
	c.idMu.Lock()
	c.id = nextID(c.id)
	id := c.id
	c.idMu.Unlock()
	var first error
	for _, cp := range copies {
		var err error
		if c.cfg.IPv6 {
			err = c.send6(cp)
		} else {
			err = c.send4(cp, id)
		}
		if err != nil {
			c.s.stats.sendErrors.Add(1)
			if first == nil {
				first = fmt.Errorf("transport vrid %d: send to %s: %w", c.cfg.VRID, cp.Dst, err)
			}
			continue
		}
		c.s.stats.sent.Add(1)
	}
	return first
}

func (c *Conn) ttlFor(dst netip.Addr) int {
	if dst.IsMulticast() {
		return 255
	}
	if c.cfg.UnicastTTL > 0 {
		return c.cfg.UnicastTTL
	}
	if c.cfg.IPv6 {
		return 0 // kernel default hop limit, as keepalived does
	}
	return 255
}

func (c *Conn) send4(cp Copy, id uint16) error {
	h := &ipv4.Header{
		Version:  ipv4.Version,
		Len:      ipv4.HeaderLen,
		TOS:      tosInternetControl,
		TotalLen: ipv4.HeaderLen + len(cp.Payload),
		ID:       int(id),
		TTL:      c.ttlFor(cp.Dst),
		Protocol: c.s.key.proto,
		Dst:      net.IP(cp.Dst.Unmap().AsSlice()),
	}
	if c.cfg.Src.IsValid() {
		h.Src = net.IP(c.cfg.Src.Unmap().AsSlice())
	} else {
		h.Src = net.IPv4zero // the kernel fills in the interface's address
	}
	if err := c.s.txc.SetWriteDeadline(time.Now().Add(sendTimeout)); err != nil {
		return err
	}
	return c.s.tx4.WriteTo(h, cp.Payload, nil)
}

func (c *Conn) send6(cp Copy) error {
	cm := &ipv6.ControlMessage{IfIndex: c.s.key.ifindex}
	if c.cfg.Src.IsValid() {
		cm.Src = net.IP(c.cfg.Src.AsSlice())
	}
	if !cp.Dst.IsMulticast() {
		// An IPV6_HOPLIMIT cmsg only when unicast_ttl is set: otherwise the
		// kernel default applies (keepalived's behaviour).
		cm.HopLimit = c.ttlFor(cp.Dst)
	}
	dst := &net.IPAddr{IP: net.IP(cp.Dst.AsSlice())}
	if (cp.Dst.IsLinkLocalUnicast() || cp.Dst.IsLinkLocalMulticast()) && c.s.key.ifindex != 0 {
		// A numeric zone: Go resolves zone names in the process's
		// namespace view, which need not be the socket's.
		dst.Zone = strconv.Itoa(c.s.key.ifindex)
	}
	if err := c.s.txc.SetWriteDeadline(time.Now().Add(sendTimeout)); err != nil {
		return err
	}
	_, err := c.s.tx6.WriteTo(cp.Payload, cm, dst)
	return err
}

// openSock opens and configures the receive and send sockets for key.
func openSock(key sockKey, ifi *net.Interface, rcvbuf int, log *slog.Logger) (_ *sock, err error) {
	s := &sock{key: key, log: log, rcvbuf: rcvbuf, members: make(map[uint8][]*Conn), done: make(chan struct{})}
	if ifi != nil {
		s.ifname = ifi.Name
	}
	defer func() {
		if err != nil {
			if s.rxc != nil {
				s.rxc.Close()
			}
			if s.txc != nil {
				s.txc.Close()
			}
		}
	}()
	network := fmt.Sprintf("ip4:%d", key.proto)
	if key.ipv6 {
		network = fmt.Sprintf("ip6:%d", key.proto)
	}
	// Receive socket: bound to the group (multicast) or to the unicast
	// source, with FREEBIND for the latter (keepalived ≥ 2.3.3).
	bindAddr := key.local.String()
	if !key.local.IsValid() {
		// Unicast without unicast_src_ip: any local address on the interface.
		bindAddr = "0.0.0.0"
		if key.ipv6 {
			bindAddr = "::"
		}
	}
	if key.local.Is6() && (key.local.IsLinkLocalUnicast() || key.local.IsLinkLocalMulticast()) && key.ifindex != 0 {
		bindAddr += "%" + strconv.Itoa(key.ifindex) // numeric: see send6
	}
	lc := net.ListenConfig{Control: s.control(true)}
	if s.rxc, err = lc.ListenPacket(context.Background(), network, bindAddr); err != nil {
		return nil, fmt.Errorf("open receive socket %s %s: %w", network, bindAddr, err)
	}
	lc = net.ListenConfig{Control: s.control(false)}
	anyAddr := "0.0.0.0"
	if key.ipv6 {
		anyAddr = "::"
	}
	if s.txc, err = lc.ListenPacket(context.Background(), network, anyAddr); err != nil {
		return nil, fmt.Errorf("open send socket %s: %w", network, err)
	}
	dropAll, err := bpf.Assemble([]bpf.Instruction{bpf.RetConstant{Val: 0}})
	if err != nil {
		return nil, fmt.Errorf("assemble drop-all filter: %w", err)
	}
	if key.ipv6 {
		err = s.setup6(ifi, dropAll)
	} else {
		err = s.setup4(ifi, dropAll)
	}
	if err != nil {
		return nil, err
	}
	return s, nil
}

// control returns the pre-bind socket options for the receive (rx) or the
// send socket.
func (s *sock) control(rx bool) func(network, address string, rc syscall.RawConn) error {
	return func(network, address string, rc syscall.RawConn) error {
		var serr error
		set := func(fd int, level, opt, v int, what string) {
			if serr == nil {
				if err := unix.SetsockoptInt(fd, level, opt, v); err != nil {
					serr = fmt.Errorf("setsockopt %s: %w", what, err)
				}
			}
		}
		err := rc.Control(func(fd uintptr) {
			f := int(fd)
			if s.ifname != "" {
				if err := unix.SetsockoptString(f, unix.SOL_SOCKET, unix.SO_BINDTODEVICE, s.ifname); err != nil {
					serr = fmt.Errorf("setsockopt SO_BINDTODEVICE %s: %w", s.ifname, err)
				}
			}
			if s.key.ipv6 {
				// Receive only groups joined on this socket.
				set(f, unix.IPPROTO_IPV6, unix.IPV6_MULTICAST_ALL, 0, "IPV6_MULTICAST_ALL")
				if s.key.unicast {
					set(f, unix.IPPROTO_IPV6, unix.IPV6_FREEBIND, 1, "IPV6_FREEBIND")
				}
			} else {
				set(f, unix.IPPROTO_IP, unix.IP_MULTICAST_ALL, 0, "IP_MULTICAST_ALL")
				if s.key.unicast && rx {
					set(f, unix.IPPROTO_IP, unix.IP_FREEBIND, 1, "IP_FREEBIND")
				}
			}
			if rx && s.rcvbuf > 0 {
				set(f, unix.SOL_SOCKET, unix.SO_RCVBUF, s.rcvbuf, "SO_RCVBUF")
			}
			if !rx {
				// A send socket never reads (keepalived sets SO_RCVBUF=0;
				// the kernel rounds up to its minimum). A drop-all BPF
				// filter is attached after open as well.
				set(f, unix.SOL_SOCKET, unix.SO_RCVBUF, 0, "SO_RCVBUF")
			}
		})
		if err != nil {
			return err
		}
		return serr
	}
}

func (s *sock) setup4(ifi *net.Interface, dropAll []bpf.RawInstruction) error {
	var err error
	if s.rx4, err = ipv4.NewRawConn(s.rxc); err != nil {
		return fmt.Errorf("receive socket: %w", err)
	}
	if err = s.rx4.SetControlMessage(ipv4.FlagTTL|ipv4.FlagDst|ipv4.FlagInterface, true); err != nil {
		return fmt.Errorf("receive socket control messages: %w", err)
	}
	if !s.key.unicast {
		if err = s.rx4.JoinGroup(ifi, &net.IPAddr{IP: net.IP(s.key.local.AsSlice())}); err != nil {
			return fmt.Errorf("join %s on %s: %w", s.key.local, ifi.Name, err)
		}
	}
	if s.tx4, err = ipv4.NewRawConn(s.txc); err != nil { // sets IP_HDRINCL
		return fmt.Errorf("send socket: %w", err)
	}
	if err = s.tx4.SetBPF(dropAll); err != nil {
		return fmt.Errorf("send socket filter: %w", err)
	}
	if err = s.tx4.SetMulticastLoopback(false); err != nil {
		return fmt.Errorf("send socket IP_MULTICAST_LOOP: %w", err)
	}
	if ifi != nil {
		if err = s.tx4.SetMulticastInterface(ifi); err != nil {
			return fmt.Errorf("send socket IP_MULTICAST_IF: %w", err)
		}
	}
	return nil
}

func (s *sock) setup6(ifi *net.Interface, dropAll []bpf.RawInstruction) error {
	s.rx6 = ipv6.NewPacketConn(s.rxc)
	s.tx6 = ipv6.NewPacketConn(s.txc)
	var err error
	if s.key.proto == ProtoVRRP {
		// RFC 5798 §5.2.8: the kernel checks (rx) and fills (tx) the checksum at offset 6.
		if err = s.rx6.SetChecksum(true, 6); err != nil {
			return fmt.Errorf("receive socket IPV6_CHECKSUM: %w", err)
		}
		if err = s.tx6.SetChecksum(true, 6); err != nil {
			return fmt.Errorf("send socket IPV6_CHECKSUM: %w", err)
		}
	}
	if err = s.rx6.SetControlMessage(ipv6.FlagHopLimit|ipv6.FlagDst|ipv6.FlagInterface, true); err != nil {
		return fmt.Errorf("receive socket control messages: %w", err)
	}
	if !s.key.unicast {
		if err = s.rx6.JoinGroup(ifi, &net.IPAddr{IP: net.IP(s.key.local.AsSlice())}); err != nil {
			return fmt.Errorf("join %s on %s: %w", s.key.local, ifi.Name, err)
		}
	}
	if err = s.tx6.SetBPF(dropAll); err != nil {
		return fmt.Errorf("send socket filter: %w", err)
	}
	if err = s.tx6.SetMulticastHopLimit(255); err != nil {
		return fmt.Errorf("send socket IPV6_MULTICAST_HOPS: %w", err)
	}
	if err = s.tx6.SetMulticastLoopback(false); err != nil {
		return fmt.Errorf("send socket IPV6_MULTICAST_LOOP: %w", err)
	}
	if err = s.tx6.SetTrafficClass(tosInternetControl); err != nil {
		return fmt.Errorf("send socket IPV6_TCLASS: %w", err)
	}
	if ifi != nil {
		if err = s.tx6.SetMulticastInterface(ifi); err != nil {
			return fmt.Errorf("send socket IPV6_MULTICAST_IF: %w", err)
		}
	}
	return nil
}

func (s *sock) close() error {
	err := errors.Join(s.rxc.Close(), s.txc.Close())
	<-s.done
	return err
}

// readLoop reads until the receive socket is closed and hands each packet
// to its instance without ever blocking on a slow instance.
func (s *sock) readLoop() {
	defer close(s.done)
	buf := make([]byte, 65536)
	for {
		pkt, err := s.read(buf)
		if err != nil {
			if errors.Is(err, net.ErrClosed) {
				return
			}
			s.stats.recvErrors.Add(1)
			s.log.Debug("vrrp receive error", "iface", s.ifname, "reason", err.Error())
			continue
		}
		s.stats.received.Add(1)
		s.deliver(pkt)
	}
}

func (s *sock) read(buf []byte) (Packet, error) {
	pkt := Packet{Proto: s.key.proto}
	if s.key.ipv6 {
		n, cm, src, err := s.rx6.ReadFrom(buf)
		if err != nil {
			return pkt, err
		}
		if ia, ok := src.(*net.IPAddr); ok {
			pkt.Src, _ = netip.AddrFromSlice(ia.IP)
		}
		if cm != nil {
			pkt.TTL = cm.HopLimit
			pkt.Ifindex = cm.IfIndex
			pkt.Dst, _ = netip.AddrFromSlice(cm.Dst)
		}
		pkt.Payload = append([]byte(nil), buf[:n]...)
	} else {
		h, p, cm, err := s.rx4.ReadFrom(buf)
		if err != nil {
			return pkt, err
		}
		pkt.Src, _ = netip.AddrFromSlice(h.Src.To4())
		pkt.Dst, _ = netip.AddrFromSlice(h.Dst.To4())
		pkt.TTL = h.TTL
		if cm != nil {
			pkt.Ifindex = cm.IfIndex
		}
		pkt.IPHeader = append([]byte(nil), buf[:h.Len]...)
		pkt.Payload = append([]byte(nil), p...)
	}
	pkt.IsMulticastDst = pkt.Dst.IsMulticast()
	return pkt, nil
}

func (s *sock) deliver(pkt Packet) {
	vrid, ok := VRIDOf(pkt.Proto, pkt.Payload)
	if !ok {
		s.stats.short.Add(1)
		return
	}
	s.mu.RLock()
	defer s.mu.RUnlock()
	c, ok := pick(s.members[vrid], pkt.Src)
	if !ok {
		s.stats.noInstance.Add(1)
		return
	}
	select {
	case c.ch <- pkt:
	default:
		s.stats.queueFull.Add(1)
	}
}
