// Package config is gokeepalived's keepalived.conf front end: it turns the syntax tree into a typed,
// validated model with keepalived's defaults, derived values and fix-ups, and reports every problem
// with its file and line.
//
// Parsing never stops at the first problem: as keepalived does, an unknown keyword is reported and
// skipped, and an invalid value is reported and the default kept (reference §1c.2, §7.11).
package config

import (
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Config is the whole parsed configuration.
type Config struct {
	// Global holds global_defs and the other top-level settings shared by every process.
	Global GlobalDefs
	// VRRPSection holds everything the VRRP process uses (instances, scripts, sync groups, ...).
	VRRPSection
	// LVSSection holds everything the checker process uses (virtual servers, SSL, ...).
	LVSSection
}

// LoadOptions controls reading a configuration.
type LoadOptions struct {
	// Syntax carries the preprocessing options (config id, instance, -e).
	Syntax syntax.Options
}

// Load reads, preprocesses and interprets the configuration file at path.
func Load(path string, opts LoadOptions) (*Config, syntax.Diagnostics) {
	nodes, diags := syntax.ParseFile(path, opts.Syntax)
	if diags.Max() >= syntax.Fatal && nodes == nil {
		return nil, diags
	}
	cfg, more := Interpret(nodes)
	return cfg, append(diags, more...)
}

// LoadString is Load for configuration text held in memory; name is used in positions.
func LoadString(name, src string, opts LoadOptions) (*Config, syntax.Diagnostics) {
	nodes, diags := syntax.ParseString(name, src, opts.Syntax)
	cfg, more := Interpret(nodes)
	return cfg, append(diags, more...)
}

// Interpret builds the typed model from a syntax tree and runs the semantic checks.
func Interpret(nodes []*syntax.Node) (*Config, syntax.Diagnostics) {
	p := &parser{cfg: &Config{}}
	p.cfg.Global = defaultGlobalDefs()
	kws := keywords{}
	kws.merge(p.commonTopKeywords())
	kws.merge(p.vrrpTopKeywords())
	kws.merge(p.lvsTopKeywords())
	p.walk(nodes, kws)
	p.finishVRRP()
	p.finishLVS()
	return p.cfg, p.diags
}
