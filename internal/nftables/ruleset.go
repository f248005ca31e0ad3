package nftables

import (
	"encoding/binary"
	"fmt"
	"net/netip"

	nft "github.com/google/nftables"
	"github.com/google/nftables/expr"
	"golang.org/x/sys/unix"
)

// DefaultTable is keepalived's table name when `nftables` has no argument or is not configured.
const DefaultTable = "keepalived"

// DefaultPriority is keepalived's base chain priority (vrrp_nf_chain_priority), just before the
// usual filter chains at 0.
const DefaultPriority = -1

// Names of the sets and chains, as keepalived names them.
const (
	setVIPs      = "vips"
	setLinkLocal = "vips_link_local"
	setND        = "neighbor-discovery"
	chainIn      = "in"
	chainOut     = "out"
	chainInLL    = "in_link_local"
	chainOutLL   = "out_link_local"
)

// Offsets in the IPv4 and IPv6 headers.
const (
	ip4Src, ip4Dst = 12, 16
	ip6NextHdr     = 6
	ip6Src, ip6Dst = 8, 24
)

// ICMPv6 neighbour discovery message types (RFC 4861).
const (
	ndNeighborSolicit = 135
	ndNeighborAdvert  = 136
)

// Addr is one filtered address. Ifindex is the interface holding it; it matters only for an
// IPv6 link-local address, which is filtered on that interface alone (the same fe80:: address
// may be in use on other links).
type Addr struct {
	IP      netip.Addr
	Ifindex int
}

// elem is a set element: the set it belongs to and its key bytes.
type elem struct {
	family nft.TableFamily
	set    string
	key    string // bytes, as a string so that elem is comparable
}

// elemOf maps an address to its set element: IPv4 and global IPv6 addresses by address alone,
// link-local IPv6 by address and interface index (host byte order, as the meta iif/oif
// expressions load it).
func elemOf(a Addr) (elem, error) {
	ip := a.IP.Unmap().WithZone("")
	switch {
	case !ip.IsValid():
		return elem{}, fmt.Errorf("invalid address %v", a.IP)
	case ip.Is4():
		b := ip.As4()
		return elem{family: nft.TableFamilyIPv4, set: setVIPs, key: string(b[:])}, nil
	case ip.IsLinkLocalUnicast():
		if a.Ifindex <= 0 {
			return elem{}, fmt.Errorf("link-local %s: no interface index", ip)
		}
		b := ip.As16()
		key := binary.NativeEndian.AppendUint32(b[:], uint32(a.Ifindex))
		return elem{family: nft.TableFamilyIPv6, set: setLinkLocal, key: string(key)}, nil
	default:
		b := ip.As16()
		return elem{family: nft.TableFamilyIPv6, set: setVIPs, key: string(b[:])}, nil
	}
}

// layout is everything one family's table holds before any address is added.
type layout struct {
	table  *nft.Table
	chains []*nft.Chain
	sets   []setDef
	rules  []*nft.Rule
}

// setDef is a named set with its fixed elements (only the constant ND set has any).
type setDef struct {
	set   *nft.Set
	elems []nft.SetElement
}

// sets returns the family's set by name, for adding and deleting elements.
func (l *layout) set(name string) *nft.Set {
	for _, s := range l.sets {
		if s.set.Name == name {
			return s.set
		}
	}
	return nil
}

// newLayout builds the table, chains, sets and rules of one family, as vrrp_nftables.c does:
//
//	table ip keepalived {
//		set vips { type ipv4_addr }
//		chain in  { type filter hook input  priority P; policy accept; ip daddr @vips drop }
//		chain out { type filter hook output priority P; policy accept; ip saddr @vips drop }
//	}
//	table ip6 keepalived {
//		set vips { type ipv6_addr }
//		set vips_link_local { type ipv6_addr . iface_index }
//		set neighbor-discovery { type icmpv6_type; flags constant; elements = { nd-neighbor-solicit, nd-neighbor-advert } }
//		chain in  { ...; icmpv6 type @neighbor-discovery accept; ip6 daddr fe80::/10 goto in_link_local; ip6 daddr @vips drop }
//		chain out { ...; icmpv6 type @neighbor-discovery accept; ip6 saddr fe80::/10 goto out_link_local; ip6 saddr @vips drop }
//		chain in_link_local  { ip6 daddr . iif @vips_link_local drop }
//		chain out_link_local { ip6 saddr . oif @vips_link_local drop }
//	}
//
// Set IDs are given here (not left to the library's global counter) so that rules in the same
// batch can refer to the sets they are created with.
func newLayout(family nft.TableFamily, o Options) *layout {
	t := &nft.Table{Name: o.Table, Family: family}
	prio := nft.ChainPriorityRef(nft.ChainPriority(o.Priority))
	accept := nft.ChainPolicyAccept
	in := &nft.Chain{Name: chainIn, Table: t, Hooknum: nft.ChainHookInput, Priority: prio, Type: nft.ChainTypeFilter, Policy: &accept}
	out := &nft.Chain{Name: chainOut, Table: t, Hooknum: nft.ChainHookOutput, Priority: prio, Type: nft.ChainTypeFilter, Policy: &accept}
	l := &layout{table: t, chains: []*nft.Chain{in, out}}
	drop := func(c *nft.Chain, e ...expr.Any) {
		l.rules = append(l.rules, &nft.Rule{Table: t, Chain: c, Exprs: verdict(o, e, expr.VerdictDrop, "")})
	}
	if family == nft.TableFamilyIPv4 {
		vips := &nft.Set{Table: t, ID: 1, Name: setVIPs, KeyType: nft.TypeIPAddr}
		l.sets = []setDef{{set: vips}}
		drop(in, lookup(ip4Dst, 4, vips)...)
		drop(out, lookup(ip4Src, 4, vips)...)
		return l
	}
	vips := &nft.Set{Table: t, ID: 1, Name: setVIPs, KeyType: nft.TypeIP6Addr}
	ll := &nft.Set{Table: t, ID: 2, Name: setLinkLocal, KeyType: nft.MustConcatSetType(nft.TypeIP6Addr, nft.TypeIFIndex)}
	nd := &nft.Set{Table: t, ID: 3, Name: setND, KeyType: nft.TypeICMP6Type, Constant: true}
	l.sets = []setDef{{set: vips}, {set: ll}, {set: nd, elems: []nft.SetElement{
		{Key: []byte{ndNeighborSolicit}}, {Key: []byte{ndNeighborAdvert}},
	}}}
	inLL := &nft.Chain{Name: chainInLL, Table: t}
	outLL := &nft.Chain{Name: chainOutLL, Table: t}
	l.chains = append(l.chains, inLL, outLL)
	for _, c := range []struct {
		base, ll *nft.Chain
		addr     uint32
		iface    expr.MetaKey
	}{{in, inLL, ip6Dst, expr.MetaKeyIIF}, {out, outLL, ip6Src, expr.MetaKeyOIF}} {
		l.rules = append(l.rules,
			&nft.Rule{Table: t, Chain: c.base, Exprs: verdict(o, ndMatch(nd), expr.VerdictAccept, "")},
			&nft.Rule{Table: t, Chain: c.base, Exprs: verdict(o, linkLocalRange(c.addr), expr.VerdictGoto, c.ll.Name)},
		)
		drop(c.base, lookup(c.addr, 16, vips)...)
		drop(c.ll,
			&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: c.addr, Len: 16},
			&expr.Meta{Key: c.iface, Register: 2}, // 16 bytes of address fill register 1; the index follows
			&expr.Lookup{SourceRegister: 1, SetName: ll.Name, SetID: ll.ID},
		)
	}
	return l
}

// lookup loads the address at off in the network header and matches it against s.
func lookup(off, n uint32, s *nft.Set) []expr.Any {
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: n},
		&expr.Lookup{SourceRegister: 1, SetName: s.Name, SetID: s.ID},
	}
}

// ndMatch matches ICMPv6 neighbour solicitations and advertisements (next header 58 directly
// after the fixed header, as keepalived's rule checks).
func ndMatch(nd *nft.Set) []expr.Any {
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: ip6NextHdr, Len: 1},
		&expr.Cmp{Op: expr.CmpOpEq, Register: 1, Data: []byte{unix.IPPROTO_ICMPV6}},
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseTransportHeader, Offset: 0, Len: 1},
		&expr.Lookup{SourceRegister: 1, SetName: nd.Name, SetID: nd.ID},
	}
}

// linkLocalRange matches an IPv6 address at off in fe80::/10.
func linkLocalRange(off uint32) []expr.Any {
	lo := netip.MustParseAddr("fe80::").As16()
	hi := netip.MustParseAddr("febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff").As16()
	return []expr.Any{
		&expr.Payload{DestRegister: 1, Base: expr.PayloadBaseNetworkHeader, Offset: off, Len: 16},
		&expr.Cmp{Op: expr.CmpOpGte, Register: 1, Data: lo[:]},
		&expr.Cmp{Op: expr.CmpOpLte, Register: 1, Data: hi[:]},
	}
}

// verdict ends a rule: a counter first with nftables_counters, then the verdict.
func verdict(o Options, match []expr.Any, kind expr.VerdictKind, chain string) []expr.Any {
	out := append([]expr.Any(nil), match...)
	if o.Counters {
		out = append(out, &expr.Counter{})
	}
	return append(out, &expr.Verdict{Kind: kind, Chain: chain})
}
