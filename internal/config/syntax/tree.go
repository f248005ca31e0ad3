package syntax

// treeBuilder assembles logical lines into nested nodes. It receives lines already split at
// braces, so each is "{", "}" or a keyword line. Because one builder serves the main file and every
// file it includes, a block may open in one file and close in another, as keepalived allows.
type treeBuilder struct {
	root  []*Node
	stack []frame
	last  *Node // the previous node at the current level, for a '{' on its own line
}

// frame is one open block: the slice new nodes go to and the node that opened it. owner is nil for
// a stray '{' that keepalived would ignore; its lines stay at the enclosing level.
type frame struct {
	nodes *[]*Node
	owner *Node
	pos   Pos
}

func (t *treeBuilder) current() *[]*Node {
	if len(t.stack) == 0 {
		return &t.root
	}
	return t.stack[len(t.stack)-1].nodes
}

// add places one logical line in the tree.
func (t *treeBuilder) add(p *parser, pos Pos, text string) {
	switch text {
	case "}":
		if len(t.stack) == 0 {
			p.errorf(pos, Error, "extra '}' found: expected a keyword or the end of the file, found '}' with no block open")
			return
		}
		t.stack = t.stack[:len(t.stack)-1]
		t.last = nil
	case "{":
		if t.last == nil || t.last.HasBlock {
			// keepalived ignores such a '{' ("Unexpected '{' - ignoring") but still counts it, so
			// its '}' must balance it: keep the lines at this level and let the '}' close the group.
			p.errorf(pos, Error, "unexpected '{': expected it after a keyword that opens a block, found it on its own")
			t.stack = append(t.stack, frame{nodes: t.current(), pos: pos})
			t.last = nil
			return
		}
		t.last.HasBlock = true
		t.stack = append(t.stack, frame{nodes: &t.last.Block, owner: t.last, pos: pos})
		t.last = nil
	default:
		args, dropped := tokenize(text)
		if dropped && !openQuoteAfterEscapes(text) {
			// decomment() saw an escaped '"' and balanced quotes, so nothing was reported yet, but
			// the tokeniser knows no escapes: as keepalived ("Unmatched quote"), it drops the rest.
			p.errorf(pos, Error, "unmatched quote: expected a closing '\"' (a '\\' does not escape a quote in a word), found %q; the rest of the line is ignored", text)
		}
		if len(args) == 0 {
			// Only an unmatched quote (already reported): keepalived gets no tokens and skips the
			// line, so a '{' after it opens no block.
			t.last = nil
			return
		}
		n := &Node{Pos: pos, Args: args, Raw: text}
		cur := t.current()
		*cur = append(*cur, n)
		t.last = n
	}
}

// finish reports blocks left open and returns the tree.
func (t *treeBuilder) finish(p *parser) []*Node {
	for _, f := range t.stack {
		if f.owner != nil {
			p.errorf(f.owner.Pos, Error, "block '%s' is missing its closing '}': expected '}' before the end of the configuration, found the end", f.owner.Keyword())
		} else {
			p.errorf(f.pos, Error, "'{' is missing its closing '}': expected '}' before the end of the configuration, found the end")
		}
	}
	return t.root
}
