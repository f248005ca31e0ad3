package config

// VRRPSection is the part of the configuration the VRRP process uses.
type VRRPSection struct{}

// vrrpTopKeywords are the top-level keywords of the VRRP process.
func (p *parser) vrrpTopKeywords() keywords { return keywords{} }

// finishVRRP derives values and runs the cross-checks of the VRRP section (vrrp_complete_instance()).
func (p *parser) finishVRRP() {}
