package config

import (
	"encoding/hex"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// instanceDef parses a vrrp_instance block (vrrp_parser.c).
func (p *parser) instanceDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	if p.cfg.Instance(name) != nil {
		p.errorf(n, "vrrp_instance %s is defined more than once - ignoring this one", name)
		return
	}
	v := newInstance(n, name)
	kws := p.instanceKeywords(v)
	// Record each keyword that was accepted, so finishVRRP can tell "default" from "configured".
	for kw, h := range kws {
		kws[kw] = func(n *syntax.Node) {
			before := len(p.diags)
			h(n)
			for _, d := range p.diags[before:] {
				if d.Severity >= syntax.Error {
					return
				}
			}
			v.set[kw] = true
			v.at[kw] = n.Pos
		}
	}
	p.block(n, kws)
	p.cfg.Instances = append(p.cfg.Instances, v)
}

// instanceKeywords is the vrrp_instance block table.
func (p *parser) instanceKeywords(v *Instance) keywords {
	return keywords{
		"use_vmac":       func(n *syntax.Node) { p.useVMAC(n, v) },
		"use_vmac_addr":  p.hBool(&v.UseVMACAddr),
		"vmac_xmit_base": p.hBool(&v.VMACXmitBase),
		"use_ipvlan":     func(n *syntax.Node) { p.useIpvlan(n, v) },

		"unicast_peer":          func(n *syntax.Node) { p.unicastPeers(n, v) },
		"unicast_fault_no_peer": p.hBool(&v.UnicastFaultNoPeer),
		"check_unicast_src":     p.hBool(&v.CheckUnicastSrc),
		"old_unicast_checksum": func(n *syntax.Node) {
			v.OldUnicastChecksum = OldChecksumAlways
			if len(n.Args) > 1 {
				if n.Args[1] != "never" {
					p.errorf(n, "old_unicast_checksum expects nothing or 'never', found '%s'", n.Args[1])
					v.OldUnicastChecksum = OldChecksumAuto
					return
				}
				v.OldUnicastChecksum = OldChecksumNever
			}
		},

		"native_ipv6": func(n *syntax.Node) {
			p.warnf(n, "(%s) 'native_ipv6' is deprecated, IPv6 VIPs select IPv6 and VRRPv3", v.Name)
			if v.Family == FamilyIPv4 {
				p.errorf(n, "(%s) native_ipv6 after IPv4 addresses is ignored", v.Name)
				return
			}
			v.NativeIPv6, v.Family = true, FamilyIPv6
		},
		"state": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			switch s {
			case "MASTER":
				v.State = StateMaster
			case "BACKUP":
				if v.set["state"] && v.State == StateMaster {
					p.errorf(n, "(%s) state previously set as MASTER - ignoring BACKUP", v.Name)
					return
				}
				v.State = StateBackup
			default:
				// keepalived still counts the state as set, so the priority is not derived from it.
				p.warnf(n, "(%s) unknown state '%s', defaulting to BACKUP (expected MASTER or BACKUP)", v.Name, s)
				v.State = StateBackup
			}
		},
		"interface": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			if s == "lo" {
				p.errorf(n, "(%s) cannot use the loopback interface 'lo' for VRRP", v.Name)
				return
			}
			v.Interface = s
		},
		"vrf": p.hStr(&v.VRF),

		"dont_track_primary": p.hBool(&v.DontTrackPrimary),
		"track_interface":    func(n *syntax.Node) { v.TrackInterfaces = append(v.TrackInterfaces, p.trackIfBlock(n)...) },
		"track_script":       func(n *syntax.Node) { v.TrackScripts = append(v.TrackScripts, p.trackRefBlock(n, true)...) },
		"track_file":         func(n *syntax.Node) { v.TrackFiles = append(v.TrackFiles, p.trackRefBlock(n, true)...) },
		"track_process":      func(n *syntax.Node) { v.TrackProcesses = append(v.TrackProcesses, p.trackRefBlock(n, true)...) },
		"track_bfd":          func(n *syntax.Node) { v.TrackBFDs = append(v.TrackBFDs, p.trackRefBlock(n, true)...) },

		"mcast_src_ip":   func(n *syntax.Node) { p.srcAddr(n, v, &v.McastSrcIP) },
		"unicast_src_ip": func(n *syntax.Node) { p.srcAddr(n, v, &v.UnicastSrcIP) },
		"mcast_dst_ip": func(n *syntax.Node) {
			a, ok := p.addr(n, 1)
			if !ok {
				return
			}
			if !a.IsMulticast() || (a.Is6() && !a.IsLinkLocalMulticast()) {
				p.errorf(n, "(%s) mcast_dst_ip '%s' must be an IPv4 multicast or link-local IPv6 multicast (ffX2::) address", v.Name, a)
				return
			}
			v.McastDstIP = a
		},
		"track_src_ip":      p.hBool(&v.TrackSrcIP),
		"virtual_router_id": p.hInt(1, 255, &v.VRID),
		"unicast_ttl":       p.hInt(1, 255, &v.UnicastTTL),
		"version": func(n *syntax.Node) {
			var ver int
			if !p.integer(n, 1, 2, 3, &ver) {
				return
			}
			if ver == 2 && v.Family == FamilyIPv6 && !v.NativeIPv6 {
				// keepalived accepts "version 2" before IPv6 VIPs (non-RFC VRRPv2 over IPv6) but
				// not after them (reference §7.17).
				p.errorf(n, "(%s) cannot set VRRP version 2 after IPv6 addresses - using version 3", v.Name)
				return
			}
			v.Version = ver
		},
		"priority": func(n *syntax.Node) {
			if !p.integer(n, 1, 1, 255, &v.Priority) {
				v.Priority = 100
			}
		},
		"advert_int": func(n *syntax.Node) { p.seconds(n, 1, 10*time.Millisecond, 255*time.Second, &v.AdvertInt) },

		"virtual_ipaddress":          func(n *syntax.Node) { p.instanceVIPs(n, v, false) },
		"virtual_ipaddress_excluded": func(n *syntax.Node) { p.instanceVIPs(n, v, true) },
		"no_virtual_ipaddress":       p.hBool(&v.NoVirtualIPAddress),
		"promote_secondaries":        p.hBool(&v.PromoteSecondaries),
		"linkbeat_use_polling": p.deprecated("linkbeat_interfaces", func(n *syntax.Node) {
			v.LinkbeatUsePolling = true
		}),
		"v3_checksum_as_v2": p.hBool(&v.V3ChecksumAsV2),
		"virtual_routes":    func(n *syntax.Node) { v.Routes = append(v.Routes, p.routeBlock(n)...) },
		"virtual_rules":     func(n *syntax.Node) { v.Rules = append(v.Rules, p.ruleBlock(n)...) },

		"accept":              p.hBool(&v.Accept),
		"no_accept":           func(n *syntax.Node) { v.Accept = false },
		"skip_check_adv_addr": p.hBool(&v.SkipCheckAdvAddr),
		"strict_mode":         p.hBool(&v.Strict),
		"preempt": func(n *syntax.Node) {
			p.infof(n, "(%s) 'preempt' is the default and only kept for compatibility", v.Name)
			v.Nopreempt = false
		},
		"nopreempt":     func(n *syntax.Node) { v.Nopreempt = true },
		"preempt_delay": p.hSec(0, 1000*time.Second, &v.PreemptDelay),
		"debug":         p.hInt(0, 4, &v.Debug),

		"notify_backup":              p.hNotify(v.Name, &v.Notify.Backup),
		"notify_master":              p.hNotify(v.Name, &v.Notify.Master),
		"notify_fault":               p.hNotify(v.Name, &v.Notify.Fault),
		"notify_stop":                p.hNotify(v.Name, &v.Notify.Stop),
		"notify":                     p.hNotify(v.Name, &v.Notify.Generic),
		"notify_master_rx_lower_pri": p.hNotify(v.Name, &v.Notify.MasterRxLowerPri),
		"notify_deleted": func(n *syntax.Node) {
			v.NotifyDeleted = true
			if len(n.Args) > 1 {
				p.script(n, &v.Notify.Deleted)
			}
		},
		"smtp_alert":                p.hOptBool(&v.SMTPAlert),
		"notify_priority_changes":   p.hBool(&v.NotifyPriorityChanges),
		"lvs_sync_daemon_interface": p.deprecated("lvs_sync_daemon' in 'global_defs", p.hStr(&v.LVSSyncDaemonIface)),

		"garp_master_delay":          p.hSecInt(0, 255, &v.GARPMasterDelay),
		"garp_master_refresh":        p.hSecInt(0, 1<<31-1, &v.GARPMasterRefresh),
		"garp_master_repeat":         p.hInt(1, 255, &v.GARPMasterRepeat),
		"garp_master_refresh_repeat": p.hInt(1, 255, &v.GARPMasterRefreshRepeat),
		"garp_lower_prio_delay":      p.hSecInt(0, 255, &v.GARPLowerPrioDelay),
		"garp_lower_prio_repeat":     p.hInt(0, 255, &v.GARPLowerPrioRepeat),
		"down_timer_adverts":         p.hInt(1, 100, &v.DownTimerAdverts),
		"timer_expired_backup":       p.timerExpiredBackup(v),
		"thread_timer_expired":       p.timerExpiredBackup(v),
		"garp_extra_if":              p.garpExtraIf(&v.GARPExtraIf, &v.GARPExtraIfAll),
		"vmac_garp_intvl":            p.deprecated("garp_extra_if", p.garpExtraIf(&v.GARPExtraIf, &v.GARPExtraIfAll)),

		"lower_prio_no_advert":    p.hBool(&v.LowerPrioNoAdvert),
		"higher_prio_send_advert": p.hBool(&v.HigherPrioSendAdvert),
		"owner_ignore_adverts":    p.hBool(&v.OwnerIgnoreAdverts),
		"kernel_rx_buf_size":      p.hInt(1, 1<<31-1, &v.KernelRxBufSize),

		"authentication": func(n *syntax.Node) { p.authentication(n, v) },
		"auth_hmac":      func(n *syntax.Node) { p.authHMAC(n, v) },
	}
}

// timerExpiredBackup parses "timer_expired_backup [PRIO]".
func (p *parser) timerExpiredBackup(v *Instance) func(*syntax.Node) {
	return func(n *syntax.Node) {
		v.TimerExpiredBackup = true
		if len(n.Args) > 1 {
			p.integer(n, 1, 1, 254, &v.TimerExpiredPriority)
		}
	}
}

// srcAddr parses mcast_src_ip / unicast_src_ip.
func (p *parser) srcAddr(n *syntax.Node, v *Instance, dst *netip.Addr) {
	a, ok := p.addr(n, 1)
	if !ok {
		return
	}
	if a.IsMulticast() || a.IsUnspecified() {
		p.errorf(n, "(%s) %s '%s' must be a unicast address", v.Name, n.Keyword(), a)
		return
	}
	*dst = a
}

// instanceVIPs parses virtual_ipaddress or virtual_ipaddress_excluded. The first VIP decides the
// family; VIPs of the other family are rejected, eVIPs may be of either family
// (vrrp_data.c alloc_vrrp_vip()).
func (p *parser) instanceVIPs(n *syntax.Node, v *Instance, excluded bool) {
	for _, a := range p.vipBlock(n) {
		if a.TrackGroup != "" {
			p.report(a.Pos, syntax.Error, "(%s) track_group is only valid for static addresses - ignoring it on %s", v.Name, a)
			a.TrackGroup = ""
		}
		if excluded {
			v.EVIPs = append(v.EVIPs, a)
			continue
		}
		f := familyOf(a.Prefix.Addr())
		if v.Family == FamilyUnset {
			v.Family = f
		} else if f != v.Family {
			p.report(a.Pos, syntax.Error, "(%s): address family must match VRRP instance [%s] - ignoring", v.Name, a)
			continue
		}
		v.VIPs = append(v.VIPs, a)
	}
}

// unicastPeers parses "unicast_peer { ADDR [min_ttl N] [max_ttl N] … }".
func (p *parser) unicastPeers(n *syntax.Node, v *Instance) {
	if !n.HasBlock {
		p.errorf(n, "'unicast_peer' expects a block: 'unicast_peer {'")
		return
	}
	if len(n.Block) == 0 {
		p.warnf(n, "(%s) empty unicast_peer block - the instance will use multicast (deprecated behaviour)", v.Name)
	}
	for _, c := range valueLines(n) {
		a, err := netip.ParseAddr(c.Args[0])
		if err != nil {
			p.errorf(c, "(%s) invalid unicast_peer address '%s'", v.Name, c.Args[0])
			continue
		}
		peer := UnicastPeer{Pos: c.Pos, Addr: a}
		ok := true
		for i := 1; i < len(c.Args) && ok; i += 2 {
			switch c.Args[i] {
			case "min_ttl":
				ok = p.integer(c, i+1, 0, 255, &peer.MinTTL)
			case "max_ttl":
				ok = p.integer(c, i+1, 0, 255, &peer.MaxTTL)
			default:
				p.errorf(c, "(%s) unicast_peer %s: expected min_ttl or max_ttl, found '%s'", v.Name, a, c.Args[i])
				ok = false
			}
		}
		if !ok {
			continue
		}
		if peer.MaxTTL != 0 && peer.MinTTL > peer.MaxTTL {
			p.errorf(c, "(%s) unicast_peer %s: min_ttl %d is above max_ttl %d - ignoring the peer", v.Name, a, peer.MinTTL, peer.MaxTTL)
			continue
		}
		dup := false
		for _, q := range v.UnicastPeers {
			if q.Addr == a {
				dup = true
			}
		}
		if dup {
			p.errorf(c, "(%s) unicast_peer %s is specified more than once - ignoring", v.Name, a)
			continue
		}
		if peer.MinTTL != 0 || peer.MaxTTL != 0 {
			// TTL bounds only make sense against known peers.
			v.CheckUnicastSrc = true
		}
		v.UnicastPeers = append(v.UnicastPeers, peer)
	}
}

// authentication parses "authentication { auth_type PASS|AH; auth_pass X }".
func (p *parser) authentication(n *syntax.Node, v *Instance) {
	p.block(n, keywords{
		"auth_type": hOneOf(p, &v.AuthType, v.Name, "(%s) unknown auth_type '%s', expected PASS or AH",
			choice[AuthType]{"PASS", AuthPass}, choice[AuthType]{"AH", AuthAH}),
		"auth_pass": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			if len(s) > len(v.AuthPass) {
				p.warnf(n, "(%s) auth_pass '%s' is longer than 8 characters - truncating to '%s'", v.Name, s, s[:8])
			}
			v.AuthPass = [8]byte{}
			copy(v.AuthPass[:], s)
		},
	})
}

// authHMAC parses the auth_hmac block.
func (p *parser) authHMAC(n *syntax.Node, v *Instance) {
	h := &AuthHMAC{TimeWindow: 60 * time.Second, ActiveKey: -1}
	p.block(n, keywords{
		"key": func(n *syntax.Node) {
			var k HMACKey
			if !p.integer(n, 1, 0, 255, &k.ID) {
				return
			}
			s, ok := p.arg(n, 2)
			if !ok {
				return
			}
			switch {
			case strings.HasPrefix(s, "hex:"):
				k.Source, k.Value = "hex", s[4:]
				if _, err := hex.DecodeString(k.Value); err != nil || len(k.Value) < 32 {
					p.errorf(n, "(%s) auth_hmac key %d: expected at least 16 bytes of hex after 'hex:'", v.Name, k.ID)
					return
				}
			case strings.HasPrefix(s, "file:"):
				k.Source, k.Value = "file", s[5:]
			default:
				k.Source, k.Value = "ascii", s
			}
			for _, o := range h.Keys {
				if o.ID == k.ID {
					p.errorf(n, "(%s) auth_hmac key %d is defined more than once - ignoring", v.Name, k.ID)
					return
				}
			}
			h.Keys = append(h.Keys, k)
		},
		"active_key":  p.hInt(0, 255, &h.ActiveKey),
		"time_window": p.hSec(0, 86400*time.Second, &h.TimeWindow),
		"anti_replay": hOneOf(p, &h.AntiReplay, v.Name, "(%s) anti_replay expects 'time' or 'monotonic', found '%s'",
			choice[AntiReplay]{"time", AntiReplayTime}, choice[AntiReplay]{"monotonic", AntiReplayMonotonic}),
		"mode": hOneOf(p, &h.Mode, v.Name, "(%s) auth_hmac mode expects enforce, permissive or receive-only, found '%s'",
			choice[HMACMode]{"enforce", HMACEnforce}, choice[HMACMode]{"permissive", HMACPermissive},
			choice[HMACMode]{"receive-only", HMACReceiveOnly}),
	})
	if len(h.Keys) == 0 {
		p.errorf(n, "(%s) auth_hmac has no key - ignoring", v.Name)
		return
	}
	if h.ActiveKey < 0 {
		// Without active_key the first key signs.
		h.ActiveKey = h.Keys[0].ID
	}
	found := false
	for _, k := range h.Keys {
		if k.ID == h.ActiveKey {
			found = true
		}
	}
	if !found {
		p.errorf(n, "(%s) auth_hmac active_key %d is not a configured key - using key %d", v.Name, h.ActiveKey, h.Keys[0].ID)
		h.ActiveKey = h.Keys[0].ID
	}
	v.AuthHMAC = h
}

// useVMAC parses "use_vmac [[name] IFNAME] [MAC] [netlink_notify_msg] [group G]".
func (p *parser) useVMAC(n *syntax.Node, v *Instance) {
	m := &VMAC{Group: -1}
	for i := 1; i < len(n.Args); i++ {
		w := n.Args[i]
		switch {
		case w == "name" && i+1 < len(n.Args):
			m.Name = n.Args[i+1]
			i++
		case w == "netlink_notify_msg":
			m.NetlinkNotifyMsg = true
		case w == "group":
			if !p.integer(n, i+1, 0, 1<<31-1, &m.Group) {
				return
			}
			i++
		default:
			if mac, ok := parseMAC(w); ok {
				if len(mac) == 6 && (mac[0]&1) != 0 {
					p.errorf(n, "(%s) use_vmac MAC %s is a multicast address", v.Name, w)
					return
				}
				m.MAC = mac
				continue
			}
			if m.Name != "" {
				p.errorf(n, "(%s) use_vmac: unexpected '%s' after the name '%s'", v.Name, w, m.Name)
				return
			}
			if len(w) >= 16 {
				p.errorf(n, "(%s) use_vmac name '%s' is longer than 15 characters", v.Name, w)
				return
			}
			m.Name = w
		}
	}
	v.VMAC = m
}

// parseMAC reads 5 or 6 colon-separated hex octets.
func parseMAC(s string) ([]byte, bool) {
	parts := strings.Split(s, ":")
	if len(parts) != 5 && len(parts) != 6 {
		return nil, false
	}
	out := make([]byte, len(parts))
	for i, p := range parts {
		if len(p) == 0 || len(p) > 2 {
			return nil, false
		}
		b, err := strconv.ParseUint(p, 16, 8)
		if err != nil {
			return nil, false
		}
		out[i] = byte(b)
	}
	return out, true
}

// useIpvlan parses "use_ipvlan [[name] IF] [ADDR[/LEN]] [bridge|private|vepa] [group G]".
func (p *parser) useIpvlan(n *syntax.Node, v *Instance) {
	m := &Ipvlan{Mode: "bridge", Group: -1}
	for i := 1; i < len(n.Args); i++ {
		w := n.Args[i]
		switch {
		case w == "name" && i+1 < len(n.Args):
			m.Name = n.Args[i+1]
			i++
		case w == "bridge" || w == "private" || w == "vepa":
			m.Mode = w
		case w == "group":
			if !p.integer(n, i+1, 0, 1<<31-1, &m.Group) {
				return
			}
			i++
		default:
			if pf, ok := parsePrefix(w); ok {
				m.Addr = pf
				continue
			}
			if m.Name != "" {
				p.errorf(n, "(%s) use_ipvlan: unexpected '%s'", v.Name, w)
				return
			}
			m.Name = w
		}
	}
	v.Ipvlan = m
}
