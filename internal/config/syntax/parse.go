// Package syntax turns keepalived.conf text into a tree of logical lines.
//
// It implements keepalived's line pipeline (lib/parser.c read_line(), reference §1c.2): comment
// stripping outside double quotes, brace splitting, and tokenising with double-quoted tokens. Every
// node carries its file and line. Keyword meaning is left to package config.
package syntax

import (
	"fmt"
	"os"
	"strings"
)

// Options controls preprocessing.
type Options struct {
	// ConfigID selects '@ID' conditional lines (keepalived -i; default: host name up to the first dot).
	ConfigID string
	// Instance is the value of ${_INSTANCE}.
	Instance string
	// AllConfig makes a missing include file an error (keepalived -e / include_check).
	AllConfig bool
}

// ParseFile reads and parses the configuration file at path.
func ParseFile(path string, opts Options) ([]*Node, Diagnostics) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: path}, Severity: Fatal, Msg: fmt.Sprintf("cannot read configuration: %v", err)}}
	}
	return ParseString(path, string(data), opts)
}

// ParseString parses configuration text; name is used in positions.
func ParseString(name, src string, opts Options) ([]*Node, Diagnostics) {
	p := &treeBuilder{}
	for i, line := range strings.Split(src, "\n") {
		pos := Pos{File: name, Line: i + 1}
		text, ok := p.decomment(pos, strings.TrimRight(line, "\r"))
		if !ok {
			continue
		}
		p.addLine(pos, text)
	}
	return p.finish()
}

// logical is one logical line ready to become a node.
type logical struct {
	pos  Pos
	text string
}

// treeBuilder assembles logical lines into nested nodes.
type treeBuilder struct {
	diags Diagnostics
	lines []logical
}

func (p *treeBuilder) errorf(pos Pos, sev Severity, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// decomment strips leading blanks and cuts the line at the first '#' or '!' outside double quotes.
// "\#" and "\!" outside quotes become literal characters (lib/parser.c decomment()).
func (p *treeBuilder) decomment(pos Pos, line string) (string, bool) {
	line = strings.TrimLeft(line, " \t")
	var b strings.Builder
	inQuote := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '\\' && i+1 < len(line) && (line[i+1] == '#' || line[i+1] == '!'):
			i++
			c = line[i]
		case !inQuote && (c == '#' || c == '!'):
			return strings.TrimRight(b.String(), " \t"), strings.TrimSpace(b.String()) != ""
		}
		b.WriteByte(c)
	}
	if inQuote {
		p.errorf(pos, Error, "unterminated quote in %q", line)
	}
	s := strings.TrimRight(b.String(), " \t")
	return s, s != ""
}

// addLine splits a line at every '{' and '}' outside double quotes, as keepalived re-queues the rest
// of a line after a brace, so "a { b }" and "name{" both work.
func (p *treeBuilder) addLine(pos Pos, text string) {
	inQuote := false
	start := 0
	emit := func(s string) {
		if s = strings.TrimSpace(s); s != "" {
			p.lines = append(p.lines, logical{pos: pos, text: s})
		}
	}
	for i := 0; i < len(text); i++ {
		switch c := text[i]; {
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '{':
			emit(text[start:i] + " {")
			start = i + 1
		case !inQuote && c == '}':
			emit(text[start:i])
			emit("}")
			start = i + 1
		}
	}
	emit(text[start:])
}

// finish builds the node tree from the logical lines.
func (p *treeBuilder) finish() ([]*Node, Diagnostics) {
	var root []*Node
	stack := []*[]*Node{&root}
	var owners []*Node
	var last *Node // the previous node at the current level, for a '{' on its own line
	for _, l := range p.lines {
		cur := stack[len(stack)-1]
		switch {
		case l.text == "}":
			if len(stack) == 1 {
				p.errorf(l.pos, Error, "extra '}' found")
				continue
			}
			stack = stack[:len(stack)-1]
			owners = owners[:len(owners)-1]
			last = nil
		case l.text == "{":
			if last == nil || last.HasBlock {
				p.errorf(l.pos, Error, "'{' without a keyword before it")
				// Still open a block so the matching '}' balances.
				last = &Node{Pos: l.pos}
				*cur = append(*cur, last)
			}
			last.HasBlock = true
			stack = append(stack, &last.Block)
			owners = append(owners, last)
			last = nil
		default:
			text, opens := strings.CutSuffix(l.text, " {")
			n := &Node{Pos: l.pos, Raw: strings.TrimSpace(text), Args: Tokenize(text)}
			*cur = append(*cur, n)
			last = n
			if opens {
				n.HasBlock = true
				stack = append(stack, &n.Block)
				owners = append(owners, n)
				last = nil
			}
		}
	}
	for _, o := range owners {
		p.errorf(o.Pos, Error, "block '%s' is missing its closing '}'", o.Keyword())
	}
	return root, p.diags
}

// Tokenize splits text at blanks; a double-quoted run is one token with the quotes removed and no
// escapes processed. Single quotes are not special at this level (lib/parser.c alloc_strvec_r()).
func Tokenize(text string) []string {
	var toks []string
	var b strings.Builder
	inTok, inQuote := false, false
	for i := 0; i < len(text); i++ {
		c := text[i]
		switch {
		case c == '"':
			inQuote = !inQuote
			inTok = true
		case !inQuote && (c == ' ' || c == '\t'):
			if inTok {
				toks = append(toks, b.String())
				b.Reset()
				inTok = false
			}
		default:
			b.WriteByte(c)
			inTok = true
		}
	}
	if inTok {
		toks = append(toks, b.String())
	}
	return toks
}
