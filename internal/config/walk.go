package config

import (
	"fmt"
	"maps"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// parser carries the model being built and the diagnostics found so far.
type parser struct {
	cfg   *Config
	diags syntax.Diagnostics
}

// keywords maps a keyword to its handler for one block level. Lookup is exact and case-sensitive,
// as in keepalived.
type keywords map[string]func(n *syntax.Node)

// merge adds other's keywords to k.
func (k keywords) merge(other keywords) { maps.Copy(k, other) }

func (p *parser) report(pos syntax.Pos, sev syntax.Severity, format string, args ...any) {
	p.diags = append(p.diags, syntax.Diagnostic{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// errorf reports an invalid value or construct at n; the caller keeps the default.
func (p *parser) errorf(n *syntax.Node, format string, args ...any) {
	p.report(n.Pos, syntax.Error, format, args...)
}

// warnf reports a problem keepalived treats as a (non-fatal) configuration error.
func (p *parser) warnf(n *syntax.Node, format string, args ...any) {
	p.report(n.Pos, syntax.Warning, format, args...)
}

// infof reports a note that does not change the config-test result.
func (p *parser) infof(n *syntax.Node, format string, args ...any) {
	p.report(n.Pos, syntax.Info, format, args...)
}

// walk dispatches every node to its keyword handler. An unknown keyword is reported, with its block
// skipped, and parsing goes on.
func (p *parser) walk(nodes []*syntax.Node, kws keywords) {
	for _, n := range nodes {
		kw := n.Keyword()
		h, ok := kws[kw]
		if !ok {
			p.warnf(n, "unknown keyword '%s'", kw)
			continue
		}
		h(n)
	}
}

// block walks the children of a block keyword; it reports a missing '{'.
func (p *parser) block(n *syntax.Node, kws keywords) {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return
	}
	p.walk(n.Block, kws)
}

// arg returns token i of n (1 is the first value) and reports it missing when absent.
func (p *parser) arg(n *syntax.Node, i int) (string, bool) {
	if i < len(n.Args) {
		return n.Args[i], true
	}
	p.errorf(n, "'%s' is missing a value", n.Keyword())
	return "", false
}
