package e2e

import (
	"fmt"
	"strings"
)

// Instance is one vrrp_instance as the scenarios need it; Render writes the
// same text for gokeepalived and keepalived, since they share the format.
type Instance struct {
	Name string
	// State is the initial state keyword; empty means BACKUP.
	State string
	// Iface defaults to eth0.
	Iface     string
	VRID      int
	Priority  int
	Version   int
	AdvertInt string
	VIPs      []string
	Nopreempt bool
	// PreemptDelay is in seconds, as written in the configuration.
	PreemptDelay string
	UnicastSrc   string
	UnicastPeers []string
	// AuthPass selects auth_type PASS with this password (VRRPv2 only).
	AuthPass    string
	TrackIfaces []string
	// Extra lines go into the instance block verbatim.
	Extra []string
}

// Conf is a whole keepalived.conf.
type Conf struct {
	RouterID string
	// Global lines go into global_defs verbatim.
	Global    []string
	Instances []Instance
}

// Render returns the configuration text.
func (c Conf) Render() string {
	var b strings.Builder
	b.WriteString("global_defs {\n")
	if c.RouterID != "" {
		fmt.Fprintf(&b, "    router_id %s\n", c.RouterID)
	}
	for _, l := range c.Global {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	b.WriteString("}\n")
	for _, in := range c.Instances {
		state, iface := in.State, in.Iface
		if state == "" {
			state = "BACKUP"
		}
		if iface == "" {
			iface = "eth0"
		}
		fmt.Fprintf(&b, "vrrp_instance %s {\n", in.Name)
		fmt.Fprintf(&b, "    state %s\n    interface %s\n    virtual_router_id %d\n    priority %d\n", state, iface, in.VRID, in.Priority)
		if in.Version != 0 {
			fmt.Fprintf(&b, "    version %d\n", in.Version)
		}
		if in.AdvertInt != "" {
			fmt.Fprintf(&b, "    advert_int %s\n", in.AdvertInt)
		}
		if in.Nopreempt {
			b.WriteString("    nopreempt\n")
		}
		if in.PreemptDelay != "" {
			fmt.Fprintf(&b, "    preempt_delay %s\n", in.PreemptDelay)
		}
		if in.AuthPass != "" {
			fmt.Fprintf(&b, "    authentication {\n        auth_type PASS\n        auth_pass %s\n    }\n", in.AuthPass)
		}
		if in.UnicastSrc != "" {
			fmt.Fprintf(&b, "    unicast_src_ip %s\n", in.UnicastSrc)
		}
		if len(in.UnicastPeers) > 0 {
			b.WriteString("    unicast_peer {\n")
			for _, p := range in.UnicastPeers {
				fmt.Fprintf(&b, "        %s\n", p)
			}
			b.WriteString("    }\n")
		}
		if len(in.TrackIfaces) > 0 {
			b.WriteString("    track_interface {\n")
			for _, p := range in.TrackIfaces {
				fmt.Fprintf(&b, "        %s\n", p)
			}
			b.WriteString("    }\n")
		}
		for _, l := range in.Extra {
			fmt.Fprintf(&b, "    %s\n", l)
		}
		b.WriteString("    virtual_ipaddress {\n")
		for _, v := range in.VIPs {
			fmt.Fprintf(&b, "        %s\n", v)
		}
		b.WriteString("    }\n}\n")
	}
	return b.String()
}
