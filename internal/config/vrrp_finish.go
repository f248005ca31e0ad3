package config

import (
	"net/netip"
	"slices"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// finishVRRP derives values and runs the cross-checks of the VRRP section (vrrp_complete_instance(),
// vrrp_complete_init()). Every fix-up is reported; nothing here is fatal.
func (p *parser) finishVRRP() {
	p.finishSyncGroups()
	// keepalived checks virtual routes while parsing, so an instance dropped below still gets its
	// route warnings; checkRoutes goes over all of them.
	all := slices.Clone(p.cfg.Instances)
	kept := p.cfg.Instances[:0]
	for _, v := range p.cfg.Instances {
		if p.finishInstance(v) {
			kept = append(kept, v)
		} else if v.SyncGroup != "" {
			if g := p.syncGroup(v.SyncGroup); g != nil {
				g.Members = removeString(g.Members, v.Name)
			}
		}
	}
	p.cfg.Instances = kept
	p.finishGroupTrackers()
	p.checkSyncGroupStartStates()
	p.checkVRIDConflicts()
	p.checkDebounceDelays()
	p.checkRoutes(all)
	p.assignRulePreferences()
	for _, name := range p.cfg.scriptOrder {
		if s := p.cfg.Scripts[name]; !s.Used {
			// keepalived only logs this; the script is never run.
			p.report(s.Pos, syntax.Info, "Warning - script %s is not used", name)
		}
	}
	for _, tg := range p.cfg.TrackGroups {
		for _, m := range tg.Instances {
			if p.cfg.Instance(m) == nil {
				p.report(tg.Pos, syntax.Error, "track_group %s: vrrp_instance %s doesn't exist - ignoring", tg.Name, m)
			}
		}
	}
	p.checkStaticTrackGroups()
}

func removeString(s []string, x string) []string {
	out := s[:0]
	for _, e := range s {
		if e != x {
			out = append(out, e)
		}
	}
	return out
}

// finishInstance completes one instance; false means the instance cannot run and is dropped.
func (p *parser) finishInstance(v *Instance) bool {
	g := &p.cfg.Global
	// rep reports at the line of keyword kw when it was written, else at the instance.
	rep := func(kw string, sev syntax.Severity, format string, args ...any) {
		pos, ok := v.at[kw]
		if !ok {
			pos = v.Pos
		}
		p.report(pos, sev, "(%s) "+format, append([]any{v.Name}, args...)...)
	}
	if !v.set["strict_mode"] {
		v.Strict = g.Strict
	}
	if v.VRID == 0 {
		rep("", syntax.Error, "the virtual router id must be set - removing instance")
		return false
	}
	if v.Family == FamilyUnset {
		v.Family = FamilyIPv4
	}

	// Version: explicit, else IPv6 gives 3, else the global vrrp_version.
	switch {
	case v.NativeIPv6:
		v.Version = 3
	case v.Version != 0:
	case v.Family == FamilyIPv6:
		v.Version = 3
	default:
		v.Version = g.VRRPVersion
	}
	if v.Strict && v.Family == FamilyIPv6 && v.Version == 2 {
		rep("version", syntax.Error, "cannot use IPv6 with VRRP version 2; setting version 3")
		v.Version = 3
	}

	// Priority and state (vrrp_complete_instance() ~L3300).
	if !v.set["priority"] {
		if v.State == StateMaster {
			v.Priority = 255
		} else {
			v.Priority = 100
		}
	}
	if !v.set["state"] {
		v.State = StateBackup
		if v.IsOwner() {
			v.State = StateMaster
		}
	}
	if v.Strict {
		if v.State == StateMaster && !v.IsOwner() {
			rep("state", syntax.Error, "State MASTER must match being address owner")
			v.State = StateBackup
		} else if v.State == StateBackup && v.IsOwner() {
			rep("state", syntax.Error, "State MASTER must match being address owner")
			v.State = StateMaster
		}
	}

	p.finishAdvertInt(v, rep)
	if !p.finishAddresses(v, rep) {
		return false
	}
	p.finishAuth(v, rep)

	// Preemption (keepalived's order and wording).
	if v.Nopreempt && v.IsOwner() {
		rep("nopreempt", syntax.Warning, "nopreempt is incompatible with priority 255. resetting nopreempt")
		v.Nopreempt = false
	}
	if v.State == StateMaster {
		if v.Nopreempt {
			rep("nopreempt", syntax.Warning, "Warning - nopreempt will not work with initial state MASTER - clearing")
			v.Nopreempt = false
		}
		if v.PreemptDelay != 0 {
			rep("preempt_delay", syntax.Warning, "Warning - preempt delay will not work with initial state MASTER - clearing")
			v.PreemptDelay = 0
		}
	}
	if v.PreemptDelay != 0 && v.Strict {
		rep("preempt_delay", syntax.Error, "preempt_delay is incompatible with strict mode - resetting")
		v.PreemptDelay = 0
	}
	if v.PreemptDelay != 0 && v.Nopreempt {
		rep("preempt_delay", syntax.Error, "preempt_delay is incompatible with nopreempt mode - resetting")
		v.PreemptDelay = 0
	}
	if v.TimerExpiredBackup && !v.Nopreempt {
		rep("timer_expired_backup", syntax.Error, "timer_expired_backup requires nopreempt - ignoring")
		v.TimerExpiredBackup = false
	}

	// Accept mode: on by default (not RFC 5798), owner-only in strict mode.
	if !v.set["accept"] && !v.set["no_accept"] {
		v.Accept = !v.Strict || v.IsOwner()
	} else if v.Strict && v.Accept && v.Version == 2 && !v.IsOwner() {
		rep("accept", syntax.Error, "warning - accept mode for VRRP version 2 does not comply with RFC3768 - resetting")
		v.Accept = false
	}

	p.finishGARP(v, rep)
	p.finishBehaviour(v, rep)
	p.finishTrackers(v)
	return true
}

// finishAdvertInt applies the per-version rounding (vrrp_complete_instance() ~L3716-3762).
func (p *parser) finishAdvertInt(v *Instance, rep func(string, syntax.Severity, string, ...any)) {
	if v.Version == 2 {
		if r := v.AdvertInt.Round(time.Second); r != v.AdvertInt {
			if r == 0 {
				r = time.Second
			}
			rep("advert_int", syntax.Error, "VRRPv2 advertisement interval %fs must be an integer. rounding (to %ss)",
				v.AdvertInt.Seconds(), fmtSeconds(r))
			v.AdvertInt = r
		}
		return
	}
	const maxV3 = 4095 * 10 * time.Millisecond
	if v.AdvertInt > maxV3 {
		rep("advert_int", syntax.Error, "VRRPv3 advertisement interval %.2fs is out of range. Must be less than 40.96s. Setting to 40.95s", v.AdvertInt.Seconds())
		v.AdvertInt = maxV3
	}
	if r := v.AdvertInt.Round(10 * time.Millisecond); r != v.AdvertInt {
		if r == 0 {
			r = 10 * time.Millisecond
		}
		rep("advert_int", syntax.Error, "VRRPv3 advertisement interval %fs must be in units of 10ms - rounding (to %ss)", v.AdvertInt.Seconds(), fmtSeconds(r))
		v.AdvertInt = r
	}
}

// finishAddresses checks VIPs, the interface, unicast and multicast settings.
func (p *parser) finishAddresses(v *Instance, rep func(string, syntax.Severity, string, ...any)) bool {
	g := &p.cfg.Global
	if len(v.VIPs) == 0 {
		switch {
		case v.Version == 3 || v.Family == FamilyIPv6 || v.Strict:
			// no_virtual_ipaddress does not help here: VRRPv3 and strict mode need a VIP.
			rep("", syntax.Error, "No VIP specified; at least one is required - removing instance")
			return false
		case !v.NoVirtualIPAddress:
			rep("", syntax.Warning, "No VIP specified; at least one is sensible")
		}
	}

	// Unicast.
	peers := v.UnicastPeers[:0]
	for _, pe := range v.UnicastPeers {
		if familyOf(pe.Addr) != v.Family {
			p.report(pe.Pos, syntax.Error, "(%s) unicast_peer %s is not %s like the instance - ignoring", v.Name, pe.Addr, v.Family)
			continue
		}
		peers = append(peers, pe)
	}
	v.UnicastPeers = peers
	if v.Family == FamilyIPv6 && len(v.UnicastPeers) == 0 && !v.VIPs[0].Prefix.Addr().IsLinkLocalUnicast() {
		if v.Strict {
			p.report(v.VIPs[0].Pos, syntax.Error, "(%s) the first IPv6 VIP address must be link local", v.Name)
		} else {
			p.report(v.VIPs[0].Pos, syntax.Info, "(%s) the first IPv6 VIP address should be link local", v.Name)
		}
	}
	if v.Strict && len(v.UnicastPeers) > 0 {
		rep("unicast_peer", syntax.Error, "Unicast peers are not supported in strict mode - removing instance")
		return false
	}
	if v.UnicastSrcIP.IsValid() && familyOf(v.UnicastSrcIP) != v.Family {
		rep("unicast_src_ip", syntax.Error, "unicast_src_ip %s is not %s like the instance - ignoring", v.UnicastSrcIP, v.Family)
		v.UnicastSrcIP = zeroAddr
	}
	if v.McastSrcIP.IsValid() && familyOf(v.McastSrcIP) != v.Family {
		rep("mcast_src_ip", syntax.Error, "mcast_src_ip %s is not %s like the instance - ignoring", v.McastSrcIP, v.Family)
		v.McastSrcIP = zeroAddr
	}
	if v.Interface == "" {
		switch {
		case len(v.UnicastPeers) == 0:
			rep("", syntax.Error, "no interface specified; only unicast instances may omit it - removing instance")
			return false
		case !v.UnicastSrcIP.IsValid():
			rep("", syntax.Error, "Unicast instances must have unicast_src_ip or interface - removing instance")
			return false
		case v.UnicastSrcIP.IsLinkLocalUnicast():
			rep("unicast_src_ip", syntax.Error, "Non link-local address required if interface omitted - removing instance")
			return false
		}
	} else if v.VRF != "" {
		rep("vrf", syntax.Error, "vrf is only valid for unicast instances without an interface - ignoring")
		v.VRF = ""
	}

	// Multicast group.
	if v.McastDstIP.IsValid() {
		if familyOf(v.McastDstIP) != v.Family {
			rep("mcast_dst_ip", syntax.Error, "mcast_dst_ip %s is not %s like the instance - using the default group", v.McastDstIP, v.Family)
			v.McastDstIP = zeroAddr
		}
	}
	if !v.McastDstIP.IsValid() {
		v.McastDstIP = g.VRRPMcastGroup4
		if v.Family == FamilyIPv6 {
			v.McastDstIP = g.VRRPMcastGroup6
		}
	}
	return true
}

// finishAuth applies the authentication rules (reference §1a.3, §1a.9).
func (p *parser) finishAuth(v *Instance, rep func(string, syntax.Severity, string, ...any)) {
	if v.AuthType != AuthNone {
		switch {
		case v.Strict:
			rep("authentication", syntax.Error, "Strict mode does not support authentication. Ignoring.")
			v.AuthType, v.AuthPass = AuthNone, [8]byte{}
		case v.Version == 3:
			rep("authentication", syntax.Error, "VRRP version 3 does not support authentication. Ignoring.")
			v.AuthType, v.AuthPass = AuthNone, [8]byte{}
		case v.AuthPass == [8]byte{}:
			rep("authentication", syntax.Error, "Authentication specified but no password given. Ignoring")
			v.AuthType = AuthNone
		case v.Family == FamilyIPv6 && v.AuthType == AuthAH:
			rep("authentication", syntax.Error, "Cannot use AH authentication with IPv6. ignoring")
			v.AuthType, v.AuthPass = AuthNone, [8]byte{}
		case v.Family == FamilyIPv6:
			// keepalived keeps PASS here, but VRRPv2-over-IPv6 packets have no authentication
			// data field, so nothing would be sent or checked; say so instead.
			rep("authentication", syntax.Error, "PASS authentication cannot be carried by VRRPv2 over IPv6 (no authentication data field). Ignoring")
			v.AuthType, v.AuthPass = AuthNone, [8]byte{}
		case v.AuthType == AuthAH && v.State == StateMaster && !v.IsOwner():
			rep("authentication", syntax.Error, "Initial state master is incompatible with AH authentication - clearing")
			v.State = StateBackup
		}
	}
	if v.AuthHMAC != nil && v.Strict && v.AuthHMAC.Mode != HMACEnforce {
		rep("auth_hmac", syntax.Error, "auth_hmac mode %s is not allowed in strict mode - using enforce", v.AuthHMAC.Mode)
		v.AuthHMAC.Mode = HMACEnforce
	}
}

// finishGARP resolves the GARP settings against the globals.
func (p *parser) finishGARP(v *Instance, rep func(string, syntax.Severity, string, ...any)) {
	g := &p.cfg.Global
	delay, repeat, refresh := g.GARPMasterDelay, g.GARPMasterRepeat, g.GARPMasterRefresh
	if g.MinGARP {
		// vrrp_min_garp: one GARP, no second burst, no refresh, unless set explicitly.
		if !p.globalSet("vrrp_garp_master_repeat") {
			repeat = 1
		}
		if !p.globalSet("vrrp_garp_master_delay") {
			delay = 0
		}
	}
	if !v.set["garp_master_delay"] {
		v.GARPMasterDelay = delay
	}
	if !v.set["garp_master_repeat"] {
		v.GARPMasterRepeat = repeat
	}
	if !v.set["garp_master_refresh"] {
		v.GARPMasterRefresh = refresh
	}
	if !v.set["garp_master_refresh_repeat"] {
		v.GARPMasterRefreshRepeat = g.GARPMasterRefreshRepeat
	}
	if !v.set["garp_lower_prio_delay"] {
		v.GARPLowerPrioDelay = g.GARPLowerPrioDelay
		if v.GARPLowerPrioDelay < 0 {
			v.GARPLowerPrioDelay = v.GARPMasterDelay
		}
	}
	if !v.set["garp_lower_prio_repeat"] {
		v.GARPLowerPrioRepeat = g.GARPLowerPrioRepeat
		if v.GARPLowerPrioRepeat < 0 {
			v.GARPLowerPrioRepeat = v.GARPMasterRepeat
		}
	}
	if !v.set["garp_extra_if"] && !v.set["vmac_garp_intvl"] {
		v.GARPExtraIf, v.GARPExtraIfAll = g.GARPExtraIf, g.GARPExtraIfAll
	}
	if v.Strict {
		if v.set["garp_lower_prio_repeat"] && v.GARPLowerPrioRepeat != 0 {
			rep("garp_lower_prio_repeat", syntax.Error, "Strict mode requires no repeat garps. resetting")
		}
		if v.set["garp_lower_prio_delay"] && v.GARPLowerPrioDelay != 0 {
			rep("garp_lower_prio_delay", syntax.Error, "Strict mode requires no repeat garp delay. resetting")
		}
		v.GARPLowerPrioRepeat, v.GARPLowerPrioDelay = 0, 0
	}
}

// globalSet reports whether a global_defs keyword was written and accepted.
func (p *parser) globalSet(kw string) bool { return p.cfg.Global.set[kw] }

// finishBehaviour resolves the advert-behaviour flags and the strict-mode overrides.
func (p *parser) finishBehaviour(v *Instance, rep func(string, syntax.Severity, string, ...any)) {
	g := &p.cfg.Global
	if !v.set["down_timer_adverts"] {
		v.DownTimerAdverts = g.DownTimerAdverts
	}
	if !v.set["lower_prio_no_advert"] {
		v.LowerPrioNoAdvert = g.LowerPrioNoAdvert
	}
	if !v.set["higher_prio_send_advert"] {
		v.HigherPrioSendAdvert = g.HigherPrioSendAdvert
	}
	if !v.set["owner_ignore_adverts"] {
		v.OwnerIgnoreAdverts = g.VRRPOwnerIgnoreAdverts
	}
	if !v.set["skip_check_adv_addr"] {
		v.SkipCheckAdvAddr = g.SkipCheckAdvAddr
	}
	if !v.set["check_unicast_src"] && g.CheckUnicastSrc {
		v.CheckUnicastSrc = true
	}
	if !v.set["v3_checksum_as_v2"] {
		v.V3ChecksumAsV2 = g.V3ChecksumAsV2
	}
	if !v.set["notify_priority_changes"] {
		v.NotifyPriorityChanges = g.VRRPNotifyPriorityChanges
		if sg := p.syncGroup(v.SyncGroup); sg != nil && sg.notifyPrioSet {
			v.NotifyPriorityChanges = sg.NotifyPriorityChanges
		}
	}
	if v.SMTPAlert == nil {
		if g.SMTPAlertVRRP != nil {
			v.SMTPAlert = g.SMTPAlertVRRP
		} else if g.SMTPAlert != nil {
			v.SMTPAlert = g.SMTPAlert
		}
	}
	if v.VMACXmitBase && v.VMAC == nil {
		rep("vmac_xmit_base", syntax.Error, "vmac_xmit_base is only valid with a vmac")
		v.VMACXmitBase = false
	}
	if v.PromoteSecondaries && (v.VMAC != nil || v.Ipvlan != nil) {
		rep("promote_secondaries", syntax.Error, "promote_secondaries is automatically set for vmacs - ignoring")
		v.PromoteSecondaries = false
	}
	if !v.Strict {
		return
	}
	if v.DownTimerAdverts != 3 {
		rep("down_timer_adverts", syntax.Error, "down_timer_adverts is not supported in strict mode - using 3")
		v.DownTimerAdverts = 3
	}
	if v.set["lower_prio_no_advert"] && !v.LowerPrioNoAdvert {
		rep("lower_prio_no_advert", syntax.Error, "Strict mode requires no lower priority advert. resetting")
	}
	v.LowerPrioNoAdvert = true
	if v.HigherPrioSendAdvert && v.set["higher_prio_send_advert"] {
		rep("higher_prio_send_advert", syntax.Error, "strict mode requires higher_prio_send_advert to be clear. resetting")
	}
	v.HigherPrioSendAdvert = false
	if v.VMACXmitBase && v.VMAC != nil {
		rep("vmac_xmit_base", syntax.Error, "xmit_base is incompatible with strict mode - resetting")
		v.VMACXmitBase = false
	}
	if v.VMAC != nil && v.VMAC.MAC != nil {
		rep("use_vmac", syntax.Error, "a use_vmac MAC address is not supported in strict mode - using the VRRP virtual MAC")
		v.VMAC.MAC = nil
	}
	v.OwnerIgnoreAdverts = true
}

var zeroAddr netip.Addr
