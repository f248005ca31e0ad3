package ifaddr

import (
	"encoding/binary"
	"errors"
	"fmt"
	"net/netip"

	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// ifaddrmsgLen is sizeof(struct ifaddrmsg) (rtnetlink(7)).
const ifaddrmsgLen = 8

// errShortAddrMsg is returned for an address message shorter than ifaddrmsg.
var errShortAddrMsg = errors.New("ifaddr: address message shorter than ifaddrmsg")

// addrFlags returns the IFA_F_* flags for a.
func addrFlags(a Address) uint32 {
	var f uint32
	if a.NoDAD {
		f |= unix.IFA_F_NODAD
	}
	if a.NoPrefixRoute {
		f |= unix.IFA_F_NOPREFIXROUTE
	}
	if a.Home {
		f |= unix.IFA_F_HOMEADDRESS
	}
	if a.ManageTempAddr {
		f |= unix.IFA_F_MANAGETEMPADDR
	}
	return f
}

// marshalAddr encodes a as the body of RTM_NEWADDR/RTM_DELADDR: struct
// ifaddrmsg then IFA_LOCAL, IFA_ADDRESS (the peer, or the address itself),
// IFA_BROADCAST, IFA_LABEL, IFA_FLAGS and IFA_CACHEINFO, as ip(8) sends them.
func marshalAddr(a Address, withOptions bool) ([]byte, error) {
	addr := a.Prefix.Addr().Unmap()
	if !a.Prefix.IsValid() {
		return nil, fmt.Errorf("ifaddr: invalid prefix in %v", a)
	}
	fam := uint8(unix.AF_INET)
	if addr.Is6() {
		fam = unix.AF_INET6
	}
	b := make([]byte, ifaddrmsgLen)
	b[0] = fam
	b[1] = uint8(a.Prefix.Bits())
	b[2] = uint8(addrFlags(a)) // the low 8 bits; IFA_FLAGS carries all
	b[3] = uint8(a.Scope)
	binary.NativeEndian.PutUint32(b[4:], uint32(a.Ifindex))

	ae := netlink.NewAttributeEncoder()
	ae.Bytes(unix.IFA_LOCAL, addr.AsSlice())
	peer := addr
	if a.Peer.IsValid() {
		peer = a.Peer.Unmap()
	}
	ae.Bytes(unix.IFA_ADDRESS, peer.AsSlice())
	if withOptions {
		if a.Broadcast.IsValid() {
			ae.Bytes(unix.IFA_BROADCAST, a.Broadcast.Unmap().AsSlice())
		}
		if a.Label != "" {
			ae.String(unix.IFA_LABEL, a.Label)
		}
		ae.Uint32(unix.IFA_FLAGS, addrFlags(a))
		if a.SetPreferredLft {
			// struct ifa_cacheinfo: prefered, valid, cstamp, tstamp.
			ci := make([]byte, 16)
			binary.NativeEndian.PutUint32(ci[0:], a.PreferredLft)
			binary.NativeEndian.PutUint32(ci[4:], LifetimeForever)
			ae.Bytes(unix.IFA_CACHEINFO, ci)
		}
	}
	attrs, err := ae.Encode()
	if err != nil {
		return nil, fmt.Errorf("ifaddr: encode %v: %w", a, err)
	}
	return append(b, attrs...), nil
}

// unmarshalAddr decodes the body of an RTM_NEWADDR message from the kernel.
func ParseAddressMessage(b []byte) (Address, error) {
	var a Address
	if len(b) < ifaddrmsgLen {
		return a, errShortAddrMsg
	}
	fam, bits := b[0], int(b[1])
	flags := uint32(b[2])
	a.Scope = Scope(b[3])
	a.Ifindex = int(binary.NativeEndian.Uint32(b[4:]))
	ad, err := netlink.NewAttributeDecoder(b[ifaddrmsgLen:])
	if err != nil {
		return a, fmt.Errorf("ifaddr: decode attributes: %w", err)
	}
	var local, address netip.Addr
	ip := func(dst *netip.Addr) func([]byte) error {
		return func(v []byte) error {
			x, ok := netip.AddrFromSlice(v)
			if !ok {
				return fmt.Errorf("address of %d bytes", len(v))
			}
			*dst = x.Unmap()
			return nil
		}
	}
	for ad.Next() {
		switch ad.Type() {
		case unix.IFA_LOCAL:
			ad.Do(ip(&local))
		case unix.IFA_ADDRESS:
			ad.Do(ip(&address))
		case unix.IFA_BROADCAST:
			ad.Do(ip(&a.Broadcast))
		case unix.IFA_LABEL:
			a.Label = ad.String()
		case unix.IFA_FLAGS:
			flags = ad.Uint32()
		case unix.IFA_CACHEINFO:
			ad.Do(func(v []byte) error {
				if len(v) != 16 {
					return fmt.Errorf("cacheinfo of %d bytes", len(v))
				}
				a.SetPreferredLft = true
				a.PreferredLft = binary.NativeEndian.Uint32(v)
				return nil
			})
		}
	}
	if err := ad.Err(); err != nil {
		return a, fmt.Errorf("ifaddr: decode attributes: %w", err)
	}
	addr := local
	if !addr.IsValid() {
		addr = address
	} else if address.IsValid() && address != local {
		a.Peer = address
	}
	if !addr.IsValid() {
		return a, errors.New("ifaddr: address message without an address")
	}
	if (fam == unix.AF_INET) != addr.Is4() {
		return a, fmt.Errorf("ifaddr: family %d with address %s", fam, addr)
	}
	if bits > addr.BitLen() {
		return a, fmt.Errorf("ifaddr: prefix length %d for %s", bits, addr)
	}
	a.Prefix = netip.PrefixFrom(addr, bits)
	a.NoDAD = flags&unix.IFA_F_NODAD != 0
	a.NoPrefixRoute = flags&unix.IFA_F_NOPREFIXROUTE != 0
	a.Home = flags&unix.IFA_F_HOMEADDRESS != 0
	a.ManageTempAddr = flags&unix.IFA_F_MANAGETEMPADDR != 0
	return a, nil
}
