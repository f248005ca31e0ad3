// Package vmac creates and deletes keepalived's VMAC interfaces (use_vmac,
// reference §1a.5): a macvlan in private mode on the instance's interface,
// carrying the virtual router MAC 00:00:5e:00:01:VRID (IPv4) or
// 00:00:5e:00:02:VRID (IPv6) of RFC 9568 §7.3, with the sysctls keepalived sets
// (vrrp_if_config.c) and restores.
//
// The naming and MAC rules are pure functions; the kernel side is in
// vmac_linux.go and works in the network namespace of the calling OS thread.
package vmac

import (
	"fmt"
	"net"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

// DefaultPrefix is keepalived's VMAC name prefix when vmac_prefix is not set.
const DefaultPrefix = "vrrp"

// maxIfName is IFNAMSIZ minus the NUL.
const maxIfName = 15

// MAC returns the virtual router MAC for vrid (RFC 9568 §7.3): 00-00-5E-00-01-{VRID}
// for IPv4 and 00-00-5E-00-02-{VRID} for IPv6. A configured MAC of 6 octets is used
// as is; one of 5 octets gets the VRID appended, as keepalived does.
func MAC(vrid int, ipv6 bool, configured []byte) net.HardwareAddr {
	switch len(configured) {
	case 6:
		return append(net.HardwareAddr(nil), configured...)
	case 5:
		return append(append(net.HardwareAddr(nil), configured...), byte(vrid))
	}
	v := byte(1)
	if ipv6 {
		v = 2
	}
	return net.HardwareAddr{0x00, 0x00, 0x5e, 0x00, v, byte(vrid)}
}

// Names returns the interface names to try, in order (vrrp.c create_vmac_name()):
// the configured name alone, else PREFIX.VRID, and for IPv6 then PREFIX6.VRID (an IPv4
// instance with the same VRID usually holds PREFIX.VRID).
func Names(configured, prefix string, vrid int, ipv6 bool) []string {
	if configured != "" {
		return []string{configured}
	}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	names := []string{fmt.Sprintf("%s.%d", prefix, vrid)}
	if ipv6 {
		names = append(names, fmt.Sprintf("%s6.%d", prefix, vrid))
	}
	for i, n := range names {
		if len(n) > maxIfName {
			names[i] = n[:maxIfName]
		}
	}
	return names
}

// Spec is one VMAC to create.
type Spec struct {
	// Parent is the base interface.
	Parent string
	VRID   int
	IPv6   bool
	// Names are the candidate names (see Names); MAC the address (see MAC).
	Names []string
	MAC   net.HardwareAddr
	// Group is the interface group: -1 copies the parent's (keepalived 2.3.0+), 0 leaves
	// the default group.
	Group int
}

// SpecFor derives the Spec of an instance with use_vmac; ok is false without it.
func SpecFor(in *config.Instance, g *config.GlobalDefs) (Spec, bool) {
	if in.VMAC == nil {
		return Spec{}, false
	}
	v6 := in.Family == config.FamilyIPv6
	return Spec{
		Parent: in.Interface,
		VRID:   in.VRID,
		IPv6:   v6,
		Names:  Names(in.VMAC.Name, g.VMACPrefix, in.VRID, v6),
		MAC:    MAC(in.VRID, v6, in.VMAC.MAC),
		Group:  in.VMAC.Group,
	}, true
}

// sysctl is one net.ipv4.conf setting.
type sysctl struct{ key, value string }

// vmacSysctls are set on the VMAC itself: answer ARP only for its own addresses,
// accept packets from local addresses (the VIPs), no reverse-path filter, and keep
// secondary addresses when the primary goes.
var vmacSysctls = []sysctl{{"arp_ignore", "1"}, {"accept_local", "1"}, {"rp_filter", "0"}, {"promote_secondaries", "1"}}

// baseSysctls are set on the parent so it stops answering ARP for the VIPs with its
// own MAC; the old values are restored when the last VMAC on it is deleted.
var baseSysctls = []sysctl{{"arp_ignore", "1"}, {"arp_filter", "1"}}
