package linuxnet

import (
	"net"
	"sync"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/nftables"
)

// noAccept is the Network's no_accept filter: nftables DROP rules for the VIPs of instances
// whose accept mode is off while they are MASTER (keepalived's vrrp_nftables.c).
type noAccept struct {
	mu     sync.Mutex
	opts   nftables.Options
	set    bool             // opts came from SetNFTables
	filter *nftables.Filter // created on first use
	failed map[string]bool  // instances whose last filter update failed (and was logged)
}

// SetNFTables takes the filter's table name, chain priority and counters from global_defs
// (nftables, nftables_priority, nftables_counters). Without it the filter uses keepalived's
// defaults: table "keepalived", priority -1, no counters. Like keepalived, nftables_priority
// counts only with the nftables keyword; without it the table gets its defaults. It has no
// effect once the filter has been used: the table is not renamed under running instances.
func (n *Network) SetNFTables(g *config.GlobalDefs) {
	n.na.mu.Lock()
	defer n.na.mu.Unlock()
	if n.na.filter != nil {
		return
	}
	o := nftables.Options{Table: nftables.DefaultTable, Priority: nftables.DefaultPriority, Counters: g.NFTablesCounters}
	if g.NFTables != "" {
		o.Table, o.Priority = g.NFTables, g.NFTablesPriority
	}
	n.na.opts, n.na.set = o, true
}

// filterAdd starts dropping traffic for addrs. It runs before the addresses are added, so a
// VIP never answers in between. A failure (no nf_tables in the kernel, no permission) is logged
// once per instance and otherwise ignored: the VIPs are still added, since failover matters more
// than the filter.
func (n *Network) filterAdd(owner string, addrs []config.VirtualAddr) {
	n.na.mu.Lock()
	defer n.na.mu.Unlock()
	if n.na.filter == nil {
		o := n.na.opts
		if !n.na.set {
			o = nftables.Options{Table: nftables.DefaultTable, Priority: nftables.DefaultPriority}
		}
		n.na.filter = nftables.New(o)
	}
	n.na.report(n, owner, "add", n.na.filter.Add(filterAddrs(addrs)))
}

// filterRemove stops dropping traffic for addrs, whatever the instance's accept mode is now (a
// reload may have changed it); addresses that were not filtered are skipped.
func (n *Network) filterRemove(owner string, addrs []config.VirtualAddr) {
	n.na.mu.Lock()
	defer n.na.mu.Unlock()
	if n.na.filter == nil {
		return
	}
	n.na.report(n, owner, "remove", n.na.filter.Remove(filterAddrs(addrs)))
}

// report logs err the first time an instance's filter update fails, and again only after an
// update has succeeded, so a kernel without nf_tables gives one error per instance.
func (na *noAccept) report(n *Network, owner, op string, err error) {
	if err == nil {
		delete(na.failed, owner)
		return
	}
	if na.failed[owner] {
		n.log.Debug("no_accept filter update failed again", "instance", owner, "op", op, "reason", err)
		return
	}
	if na.failed == nil {
		na.failed = map[string]bool{}
	}
	na.failed[owner] = true
	n.log.Error("no_accept: cannot update the nftables filter; the VIPs are handled without it",
		"instance", owner, "op", op, "reason", err)
}

// closeFilter deletes the filter's tables.
func (n *Network) closeFilter() error {
	n.na.mu.Lock()
	defer n.na.mu.Unlock()
	if n.na.filter == nil {
		return nil
	}
	return n.na.filter.Close()
}

// filterAddrs gives each VIP its interface index, which identifies an IPv6 link-local VIP.
// An interface that cannot be found leaves the index 0: global addresses do not need it.
func filterAddrs(addrs []config.VirtualAddr) []nftables.Addr {
	out := make([]nftables.Addr, 0, len(addrs))
	for _, v := range addrs {
		a := nftables.Addr{IP: v.Prefix.Addr()}
		if ifc, err := net.InterfaceByName(v.Dev); err == nil {
			a.Ifindex = ifc.Index
		}
		out = append(out, a)
	}
	return out
}
