package config

import "github.com/gokeepalived/gokeepalived/internal/config/syntax"

// GlobalDefs holds global_defs and the top-level keywords shared by all processes.
type GlobalDefs struct {
	RouterID string
}

// defaultGlobalDefs returns keepalived's defaults for global_defs.
func defaultGlobalDefs() GlobalDefs { return GlobalDefs{} }

// commonTopKeywords are the top-level keywords every keepalived process reads (global_defs,
// track_file, bfd_instance, net_namespace, ...).
func (p *parser) commonTopKeywords() keywords {
	g := &p.cfg.Global
	return keywords{
		"global_defs": func(n *syntax.Node) {
			p.block(n, keywords{
				"router_id": func(n *syntax.Node) { p.str(n, &g.RouterID) },
			})
		},
	}
}
