package config

import (
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Handler constructors keep the keyword tables short: each returns a handler that stores one
// typed value.

func (p *parser) hStr(dst *string) func(*syntax.Node) {
	return func(n *syntax.Node) { p.str(n, dst) }
}

func (p *parser) hBool(dst *bool) func(*syntax.Node) {
	return func(n *syntax.Node) { p.boolean(n, dst) }
}

func (p *parser) hOptBool(dst **bool) func(*syntax.Node) {
	return func(n *syntax.Node) { p.optBool(n, dst) }
}

func (p *parser) hInt(lo, hi int64, dst *int) func(*syntax.Node) {
	return func(n *syntax.Node) { p.integer(n, 1, lo, hi, dst) }
}

func (p *parser) hSec(lo, hi time.Duration, dst *time.Duration) func(*syntax.Node) {
	return func(n *syntax.Node) { p.seconds(n, 1, lo, hi, dst) }
}

func (p *parser) hScript(dst *Script) func(*syntax.Node) {
	return func(n *syntax.Node) { p.script(n, dst) }
}

// deprecated wraps h so that using the old keyword also reports its replacement.
func (p *parser) deprecated(replacement string, h func(*syntax.Node)) func(*syntax.Node) {
	return func(n *syntax.Node) {
		p.warnf(n, "'%s' is deprecated, use '%s'", n.Keyword(), replacement)
		h(n)
	}
}
