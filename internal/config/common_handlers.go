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

// choice is one word a keyword accepts and the value it stands for.
type choice[T any] struct {
	word string
	val  T
}

// hOneOf returns the handler for "KEYWORD WORD" where WORD must be one of choices (matched
// exactly, as keepalived uses strcmp): it stores that word's value in dst. Any other word is an
// error reported with badf, formatted with owner and the word, and dst keeps its value. (A generic
// function, as methods cannot have type parameters.)
func hOneOf[T any](p *parser, dst *T, owner, badf string, choices ...choice[T]) func(*syntax.Node) {
	return func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		for _, c := range choices {
			if c.word == s {
				*dst = c.val
				return
			}
		}
		p.errorf(n, badf, owner, s)
	}
}
