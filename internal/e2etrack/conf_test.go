package e2etrack

import (
	"fmt"
	"strings"
)

// inst describes one vrrp_instance; the tests use VRRPv3 with a 100 ms
// advert interval so failovers take a few hundred milliseconds.
type inst struct {
	name     string
	iface    string
	vrid     int
	priority int
	vip      string
	// extra lines go into the instance block verbatim.
	extra []string
}

// render returns the instance block.
func (in inst) render() string {
	iface := in.iface
	if iface == "" {
		iface = "eth0"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "vrrp_instance %s {\n    state BACKUP\n    interface %s\n    virtual_router_id %d\n    priority %d\n    version 3\n    advert_int 0.1\n",
		in.name, iface, in.vrid, in.priority)
	for _, l := range in.extra {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	fmt.Fprintf(&b, "    virtual_ipaddress {\n        %s\n    }\n}\n", in.vip)
	return b.String()
}

// conf assembles global_defs (script security on, scripts as root), the
// top-level blocks and the instances.
func conf(routerID string, global []string, top string, insts ...inst) string {
	var b strings.Builder
	fmt.Fprintf(&b, "global_defs {\n    router_id %s\n    enable_script_security\n    script_user root\n", routerID)
	for _, l := range global {
		fmt.Fprintf(&b, "    %s\n", l)
	}
	b.WriteString("}\n")
	b.WriteString(top)
	for _, in := range insts {
		b.WriteString(in.render())
	}
	return b.String()
}
