package lvs

import (
	"fmt"
	"net/netip"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// maxRange bounds the expansion of one virtual_server_group range; keepalived's ranges vary one
// octet or one 16-bit group, so a legitimate range never exceeds 65536 addresses.
const maxRange = 1 << 16

// family converts a configured family, defaulting to IPv4 (keepalived's default for a fwmark
// service with nothing to decide it).
func family(f config.AddrFamily) ipvs.Family {
	if f == config.AFInet6 {
		return ipvs.INET6
	}
	return ipvs.INET
}

// baseService is the service settings shared by every expansion of vs.
func baseService(vs *config.VirtualServer) ipvs.Service {
	return ipvs.Service{
		Scheduler:         string(vs.Scheduler),
		Flags:             ipvs.ServiceFlags(vs.SchedFlags) &^ ipvs.FlagHashed,
		Timeout:           vs.PersistenceTimeout,
		Granularity:       vs.PersistenceGranularity,
		PersistenceEngine: vs.PersistenceEngine,
	}
}

// expandServices returns the IPVS services of vs: one for an address or fwmark service, one per
// address and fwmark of its virtual_server_group otherwise.
func expandServices(vs *config.VirtualServer, groups *config.LVSSection) ([]ipvs.Service, error) {
	base := baseService(vs)
	switch vs.Kind {
	case config.VSByAddr:
		s := base
		s.ServiceKey = ipvs.ServiceKey{Family: ipvs.FamilyOf(vs.Addr), Protocol: ipvs.Protocol(vs.Protocol), Addr: vs.Addr, Port: vs.Port}
		return []ipvs.Service{s}, nil
	case config.VSByFwmark:
		s := base
		s.ServiceKey = ipvs.ServiceKey{Family: family(vs.Family), Fwmark: vs.Fwmark}
		return []ipvs.Service{s}, nil
	}
	g := groups.VirtualServerGroup(vs.Group)
	if g == nil {
		return nil, fmt.Errorf("lvs: %s: no virtual_server_group %q", vs.Name(), vs.Group)
	}
	var out []ipvs.Service
	for _, e := range g.Entries {
		if e.IsFwmark {
			f := e.Family
			if f == config.AFUnspec {
				f = vs.Family
			}
			s := base
			s.ServiceKey = ipvs.ServiceKey{Family: family(f), Fwmark: e.Fwmark}
			out = append(out, s)
			continue
		}
		port := e.Port
		if port == 0 {
			port = vs.Port
		}
		n := 0
		for a := e.First; a.IsValid() && a.Compare(e.Last) <= 0; a = a.Next() {
			if n++; n > maxRange {
				return nil, fmt.Errorf("lvs: %s: group %q range %s has more than %d addresses", vs.Name(), g.Name, e, maxRange)
			}
			s := base
			s.ServiceKey = ipvs.ServiceKey{Family: ipvs.FamilyOf(a), Protocol: ipvs.Protocol(vs.Protocol), Addr: a, Port: port}
			out = append(out, s)
		}
	}
	return out, nil
}

// forwarding converts a configured forwarding method to the destination's fields.
func forwarding(d *ipvs.Destination, f config.Forwarding) {
	switch f.Method {
	case config.FwdDR:
		d.Forward = ipvs.DirectRoute
	case config.FwdTUN:
		d.Forward = ipvs.Tunnel
		d.TunnelType = ipvs.TunnelType(f.TunnelType)
		if f.TunnelType == config.TunnelGUE {
			d.TunnelPort = f.TunnelPort
		}
		switch f.TunnelChecksum {
		case config.TunnelCsum:
			d.TunnelFlags = ipvs.TunnelCsum
		case config.TunnelRemCsum:
			d.TunnelFlags = ipvs.TunnelRemCsum
		}
	default:
		d.Forward = ipvs.Masquerade
	}
}

// destPort is a server's port in service s: its own, else the service's (a fwmark service has
// none, so the server's port stays 0 as keepalived leaves it).
func destPort(port uint16, s ipvs.Service) uint16 {
	if port != 0 {
		return port
	}
	return s.Port
}

// realDest is the destination of real server rs in service s with weight w.
func realDest(rs *config.RealServer, s ipvs.Service, w int) ipvs.Destination {
	d := ipvs.Destination{
		DestinationKey: ipvs.DestinationKey{Addr: rs.Addr, Port: destPort(rs.Port, s)},
		Family:         ipvs.FamilyOf(rs.Addr),
		Weight:         w,
		UpperThreshold: rs.UThreshold,
		LowerThreshold: rs.LThreshold,
	}
	forwarding(&d, rs.Resolved.Forwarding)
	return d
}

// sorryDest is the sorry server's destination in service s with weight w.
func sorryDest(ss *config.SorryServer, s ipvs.Service, w int) ipvs.Destination {
	d := ipvs.Destination{
		DestinationKey: ipvs.DestinationKey{Addr: ss.Addr, Port: destPort(ss.Port, s)},
		Family:         ipvs.FamilyOf(ss.Addr),
		Weight:         w,
	}
	forwarding(&d, ss.Forwarding)
	return d
}

// desiredDests computes the destinations of service s of v, keyed by identity, from the real
// servers' state (keepalived ipwrapper.c perform_svr_state(), update_quorum_state()):
//   - normally: alive servers with their (dynamic) weight; dead ones absent, or weight 0 with
//     inhibit_on_failure; the sorry server absent, or weight 0 with sorry_server_inhibit;
//   - quorum lost with a sorry server: the sorry server (weight 1) replaces all real servers;
//     those with inhibit_on_failure stay with weight 0. Without a sorry server, losing the quorum
//     only runs quorum_down: the pool keeps following the checkers.
func desiredDests(v *vsState, s ipvs.Service) map[ipvs.DestinationKey]ipvs.Destination {
	out := make(map[ipvs.DestinationKey]ipvs.Destination, len(v.rs)+1)
	ss := v.cfg.SorryServer
	sorry := ss != nil && !v.quorumUp
	for _, r := range v.rs {
		switch {
		case r.alive && !sorry:
			d := realDest(r.cfg, s, r.weight())
			out[d.DestinationKey] = d
		case r.cfg.Resolved.InhibitOnFailure:
			d := realDest(r.cfg, s, 0)
			out[d.DestinationKey] = d
		}
	}
	switch {
	case sorry:
		d := sorryDest(ss, s, 1)
		out[d.DestinationKey] = d
	case ss != nil && ss.Inhibit:
		d := sorryDest(ss, s, 0)
		out[d.DestinationKey] = d
	}
	return out
}

// ownedDests are the destination keys the manager owns in service s of v whatever their state:
// every configured real server and the sorry server. Other destinations are someone else's.
func ownedDests(v *vsState, s ipvs.Service, into map[ipvs.DestinationKey]bool) {
	for _, r := range v.rs {
		into[ipvs.DestinationKey{Addr: r.cfg.Addr, Port: destPort(r.cfg.Port, s)}] = true
	}
	if ss := v.cfg.SorryServer; ss != nil {
		into[ipvs.DestinationKey{Addr: ss.Addr, Port: destPort(ss.Port, s)}] = true
	}
}

// vsAddrs are the addresses whose local presence ha_suspend watches.
func vsAddrs(svcs []ipvs.Service) []netip.Addr {
	var out []netip.Addr
	for _, s := range svcs {
		if s.Fwmark == 0 {
			out = append(out, s.Addr)
		}
	}
	return out
}
