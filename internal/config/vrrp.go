package config

import "github.com/gokeepalived/gokeepalived/internal/config/syntax"

// VRRPSection is the part of the configuration the VRRP process uses.
type VRRPSection struct {
	// Instances are the vrrp_instance blocks in file order.
	Instances []*Instance
	// SyncGroups are the vrrp_sync_group blocks in file order.
	SyncGroups []*SyncGroup
	// Scripts are the vrrp_script blocks by name.
	Scripts     map[string]*VRRPScript
	scriptOrder []string
	// TrackProcesses are the vrrp_track_process blocks by name.
	TrackProcesses map[string]*TrackProcess
	// TrackFiles are the top-level track_file blocks by name (shared with the checker process).
	TrackFiles map[string]*TrackFile
	// BFDInstances are the bfd_instance blocks by name.
	BFDInstances map[string]*BFDInstance
	// TrackGroups are the track_group blocks by name.
	TrackGroups map[string]*TrackGroup
	// Static addresses, routes and rules are installed at start and kept while running.
	StaticAddresses []VirtualAddr
	StaticRoutes    []Route
	StaticRules     []Rule
	// GARPGroups are the garp_group blocks.
	GARPGroups []*GARPGroup
	// LinkbeatInterfaces maps an interface to its polling mode.
	LinkbeatInterfaces map[string]LinkbeatMode
	// InterfaceUpDownDelays maps an interface to its link debounce delays.
	InterfaceUpDownDelays map[string]UpDownDelay
}

// Instance returns the instance called name, or nil.
func (s *VRRPSection) Instance(name string) *Instance {
	for _, i := range s.Instances {
		if i.Name == name {
			return i
		}
	}
	return nil
}

// vrrpTopKeywords are the top-level keywords of the VRRP process.
func (p *parser) vrrpTopKeywords() keywords {
	return keywords{
		"vrrp_instance":            p.instanceDef,
		"vrrp_sync_group":          p.syncGroupDef,
		"vrrp_script":              p.vrrpScriptDef,
		"vrrp_track_process":       p.trackProcessDef,
		"track_group":              p.trackGroupDef,
		"garp_group":               p.garpGroupDef,
		"linkbeat_interfaces":      p.linkbeatInterfaces,
		"interface_up_down_delays": p.interfaceUpDownDelays,
		"static_ipaddress": func(n *syntax.Node) {
			p.cfg.StaticAddresses = append(p.cfg.StaticAddresses, p.vipBlock(n)...)
		},
		"static_routes": func(n *syntax.Node) { p.cfg.StaticRoutes = append(p.cfg.StaticRoutes, p.routeBlock(n)...) },
		"static_rules":  func(n *syntax.Node) { p.cfg.StaticRules = append(p.cfg.StaticRules, p.ruleBlock(n)...) },
	}
}
