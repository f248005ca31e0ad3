package config

import (
	"strings"
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

// hNotify parses a notify script; as in keepalived the first one written wins.
func (p *parser) hNotify(owner string, dst *Script) func(*syntax.Node) {
	return func(n *syntax.Node) {
		if !dst.IsZero() {
			p.warnf(n, "(%s) %s script already specified - ignoring %s", owner, n.Keyword(), strings.Join(n.Args[1:], " "))
			return
		}
		p.script(n, dst)
	}
}

// deprecated wraps h so that using the old keyword also reports its replacement.
func (p *parser) deprecated(replacement string, h func(*syntax.Node)) func(*syntax.Node) {
	return func(n *syntax.Node) {
		p.warnf(n, "'%s' is deprecated, use '%s'", n.Keyword(), replacement)
		h(n)
	}
}
