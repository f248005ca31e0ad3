package config

// LVSSection is the part of the configuration the checker (LVS) process uses.
type LVSSection struct{}

// lvsTopKeywords are the top-level keywords of the checker process.
func (p *parser) lvsTopKeywords() keywords { return keywords{} }

// finishLVS derives values and runs the cross-checks of the LVS section.
func (p *parser) finishLVS() {}
