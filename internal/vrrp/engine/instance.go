package engine

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"sync/atomic"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/fsm"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

// instance is the runtime of one vrrp_instance: its codec parameters, its socket and its
// address worker. Its state machine lives in its unit (alone or in a sync group).
type instance struct {
	cfg    *config.Instance
	unit   *unit
	member int

	ep     Endpoint
	conn   Conn
	params packet.Params
	advert packet.Advert
	send   packet.IPv4Send
	ipid   packet.IPID
	src    netip.Addr
	dsts   []netip.Addr
	buf    []byte
	copies []Datagram
	rx     packet.Advert
	rxMeta packet.Meta

	addrs      AddressSet
	vmac       string // the VMAC interface, when use_vmac created one
	worker     *addrWorker
	stopWorker context.CancelFunc
	timers     map[fsm.Timer]*time.Timer
	track      trackState
	// deleting is set while a reload removes the instance.
	deleting bool

	// Counters, read by Snapshot from other goroutines.
	stats Stats
}

// Stats are an instance's counters (keepalived's vrrp stats and the exporters' metric names).
type Stats struct {
	AdvertsSent     atomic.Uint64
	AdvertsReceived atomic.Uint64
	PriorityZeroTx  atomic.Uint64
	PriorityZeroRx  atomic.Uint64
	BecomeMaster    atomic.Uint64
	ReleaseMaster   atomic.Uint64
	SendErrors      atomic.Uint64
	// Drops counts rejected packets by packet.DropReason.
	Drops [64]atomic.Uint64
}

// fsmConfig translates a parsed instance into the state machine's configuration.
func fsmConfig(c *config.Instance, g *config.GlobalDefs, local netip.Addr) fsm.Config {
	return fsm.Config{
		VRID:                 uint8(c.VRID),
		Version:              c.Version,
		Priority:             uint8(c.Priority),
		AdvertInterval:       c.AdvertInt,
		Nopreempt:            c.Nopreempt,
		PreemptDelay:         c.PreemptDelay,
		DownTimerAdverts:     c.DownTimerAdverts,
		LowerPrioNoAdvert:    c.LowerPrioNoAdvert,
		HigherPrioSendAdvert: c.HigherPrioSendAdvert,
		OwnerIgnoreAdverts:   c.OwnerIgnoreAdverts,
		TimerExpiredBackup:   c.TimerExpiredBackup,
		TimerExpiredPriority: uint8(c.TimerExpiredPriority),
		WantMaster:           c.State == config.StateMaster,
		LocalAddr:            local,
		StartupDelay:         g.VRRPStartupDelay,
		GARP: fsm.GARPConfig{
			MasterRepeat:    c.GARPMasterRepeat,
			MasterDelay:     c.GARPMasterDelay,
			MasterRefresh:   c.GARPMasterRefresh,
			RefreshRepeat:   c.GARPMasterRefreshRepeat,
			LowerPrioRepeat: c.GARPLowerPrioRepeat,
			LowerPrioDelay:  c.GARPLowerPrioDelay,
		},
	}
}

// family maps the config's address family to the codec's.
func family(f config.Family) packet.Family {
	if f == config.FamilyIPv6 {
		return packet.IPv6
	}
	return packet.IPv4
}

// newInstance prepares everything of c that does not need the kernel.
func newInstance(c *config.Instance, g *config.GlobalDefs) (*instance, error) {
	in := &instance{cfg: c, timers: map[fsm.Timer]*time.Timer{}}
	fam := family(c.Family)
	unicast := len(c.UnicastPeers) > 0
	in.ep = Endpoint{Iface: c.Interface, Family: fam, VRID: uint8(c.VRID), UnicastTTL: c.UnicastTTL, AH: c.AuthType == config.AuthAH}
	if unicast {
		for _, p := range c.UnicastPeers {
			in.dsts = append(in.dsts, p.Addr)
		}
		in.ep.Peers = in.dsts
	} else {
		in.ep.Group = c.McastDstIP
		in.dsts = []netip.Addr{c.McastDstIP}
	}

	vips := advertisedAddrs(c)
	auth := packet.AuthType(c.AuthType)
	in.advert = packet.Advert{
		Version: uint8(c.Version), Type: 1, VRID: uint8(c.VRID), AuthType: auth, Addrs: vips,
	}
	if auth == packet.AuthPass {
		in.advert.AuthData = c.AuthPass
	}
	if err := in.advert.SetAdvertInterval(c.AdvertInt); err != nil {
		return nil, fmt.Errorf("instance %s: advert_int %s: %w", c.Name, c.AdvertInt, err)
	}

	checksum := packet.ChecksumPseudoHeader
	if c.V3ChecksumAsV2 {
		checksum = packet.ChecksumAsV2
	}
	uc := packet.UnicastChecksumAuto
	switch c.OldUnicastChecksum {
	case config.OldChecksumNever:
		uc = packet.UnicastChecksumNever
	case config.OldChecksumAlways:
		uc = packet.UnicastChecksumOld
	}
	group4 := g.VRRPMcastGroup4
	if fam == packet.IPv4 && c.McastDstIP.IsValid() {
		group4 = c.McastDstIP
	}
	in.params = packet.Params{
		Version: uint8(c.Version), Family: fam, VRID: uint8(c.VRID), Priority: uint8(c.Priority),
		AuthType: auth, AuthData: c.AuthPass, AdverInt: c.AdvertInt, VIPs: vips,
		CheckUnicastSrc: c.CheckUnicastSrc, Checksum: checksum, UnicastChecksum: uc, Group4: group4,
		OwnerIgnoreAdverts: c.OwnerIgnoreAdverts, CheckVIPs: !c.SkipCheckAdvAddr,
	}
	if auth == packet.AuthAH {
		in.params.Replay = &packet.Replay{}
	}
	for _, p := range c.UnicastPeers {
		in.params.Peers = append(in.params.Peers, packet.Peer{Addr: p.Addr, MinTTL: uint8(p.MinTTL), MaxTTL: uint8(p.MaxTTL)})
	}
	ttl := uint8(255)
	if unicast && c.UnicastTTL >= 0 {
		ttl = uint8(c.UnicastTTL)
	}
	in.send = packet.IPv4Send{
		TTL: ttl, Unicast: unicast, Checksum: checksum, UnicastChecksum: uc, Group: group4,
		AHKey: c.AuthPass,
	}
	in.rx.Addrs = make([]netip.Addr, 0, 16)

	in.addrs = addressSet(c, c.Interface)
	return in, nil
}

// advertisedAddrs is the address list of c's adverts: its VIPs (eVIPs are not advertised).
func advertisedAddrs(c *config.Instance) []netip.Addr {
	vips := make([]netip.Addr, 0, len(c.VIPs))
	for _, v := range c.VIPs {
		vips = append(vips, v.Prefix.Addr())
	}
	return vips
}

// addressSet is what c installs as MASTER, with each address's device resolved: addresses
// without a dev go on defaultDev (the instance's interface, or its VMAC).
func addressSet(c *config.Instance, defaultDev string) AddressSet {
	var s AddressSet
	for _, list := range [][]config.VirtualAddr{c.VIPs, c.EVIPs} {
		for _, v := range list {
			if v.Dev == "" {
				v.Dev = defaultDev
			}
			s.Addrs = append(s.Addrs, v)
		}
	}
	s.Routes = append(s.Routes, c.Routes...)
	s.Rules = append(s.Rules, c.Rules...)
	s.NoAccept = !c.Accept
	return s
}

// errNoSource means the instance has no address to send adverts from, which keepalived treats
// as a fault ("no IPv4 address for interface").
var errNoSource = errors.New("no usable source address on the interface")

// sourceAddress picks the advert source: unicast_src_ip or mcast_src_ip if set, else the
// interface's primary IPv4 address or first IPv6 link-local address.
func sourceAddress(c *config.Instance, ifc Interface) (netip.Addr, error) {
	switch {
	case c.UnicastSrcIP.IsValid():
		return c.UnicastSrcIP, nil
	case c.McastSrcIP.IsValid():
		return c.McastSrcIP, nil
	case c.Family == config.FamilyIPv6 && ifc.LinkLocal6.IsValid():
		return ifc.LinkLocal6, nil
	case c.Family != config.FamilyIPv6 && ifc.Addr4.IsValid():
		return ifc.Addr4, nil
	}
	return netip.Addr{}, errNoSource
}

// sendAdvert builds and sends one advert with prio to every destination. It is called on the
// loop and does no more than encode and hand the copies to a raw socket.
func (in *instance) sendAdvert(prio uint8) error {
	if in.conn == nil {
		return errors.New("no socket")
	}
	in.advert.Priority = prio
	in.copies = in.copies[:0]
	b := in.buf[:0]
	if in.ep.Family == packet.IPv4 {
		in.send.Src = in.src
		in.send.ID = in.ipid.Next() // unicast copies of one advert share the ID, as keepalived's do
		if in.advert.AuthType == packet.AuthAH {
			in.send.AHSeq++
		}
		for _, dst := range in.dsts {
			in.send.Dst = dst
			start := len(b)
			var err error
			if b, err = packet.AppendIPv4Advert(b, &in.advert, &in.send); err != nil {
				return err
			}
			in.copies = append(in.copies, Datagram{Dst: dst, Data: b[start:]})
		}
	} else {
		// The kernel computes the IPv6 checksum (IPV6_CHECKSUM offset 6), as for keepalived.
		var err error
		if b, err = packet.AppendIPv6Advert(b, &in.advert, packet.PseudoHeader{}); err != nil {
			return err
		}
		for _, dst := range in.dsts {
			in.copies = append(in.copies, Datagram{Dst: dst, Data: b})
		}
	}
	in.buf = b
	if err := in.conn.Send(in.copies); err != nil {
		in.stats.SendErrors.Add(1)
		return err
	}
	in.stats.AdvertsSent.Add(1)
	if prio == 0 {
		in.stats.PriorityZeroTx.Add(1)
	}
	return nil
}
