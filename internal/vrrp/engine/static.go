package engine

import "github.com/gokeepalived/gokeepalived/internal/config"

// staticOwner names the static addresses, routes and rules in logs and to the network layer.
const staticOwner = "static"

// staticSet is the static_ipaddress, static_routes and static_rules of cfg; an address without
// dev goes on default_interface (keepalived's default eth0).
func staticSet(cfg *config.Config) AddressSet {
	var s AddressSet
	for _, v := range cfg.StaticAddresses {
		if v.Dev == "" {
			v.Dev = cfg.Global.DefaultInterface
		}
		s.Addrs = append(s.Addrs, v)
	}
	s.Routes = append(s.Routes, cfg.StaticRoutes...)
	s.Rules = append(s.Rules, cfg.StaticRules...)
	return s
}

// applyStatic installs the static set. keepalived adds it at start and keeps it: it is never
// removed, at stop or on reload (where the new set is added). It talks netlink, so it runs before
// the loop starts or, on reload, on a goroutine of its own — never on the loop.
func (e *Engine) applyStatic(cfg *config.Config) {
	s := staticSet(cfg)
	if s.Empty() {
		return
	}
	if err := e.net.SetAddresses(staticOwner, s, true); err != nil {
		e.log.Error("cannot install static addresses, routes or rules", "err", err)
		return
	}
	e.log.Info("static addresses, routes and rules installed", "addresses", len(s.Addrs), "routes", len(s.Routes), "rules", len(s.Rules))
}
