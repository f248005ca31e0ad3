package syntax

import (
	"strconv"
	"strings"
)

// Limits that keep a hostile or mistaken configuration from expanding without end. keepalived
// itself stops when a substituted line would exceed its 1024-byte buffer; gokeepalived allows
// longer expanded lines but still bounds them.
const (
	// maxSubstitutions is the most parameter replacements made in one logical line. A definition
	// that refers to itself ($A=x${A}) reaches it.
	maxSubstitutions = 1000
	// maxExpandedLine is the longest logical line that parameter substitution may produce.
	maxExpandedLine = 16 << 10
)

// definition is one $NAME=VALUE parameter. The value is stored as written and expanded when used
// (keepalived's substitution is lazy). A multi-line value holds its lines separated by '\n'.
type definition struct {
	value     string
	multiline bool
}

// isNameStart and isNameChar define parameter names: [A-Za-z_][A-Za-z0-9_]*.
func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isNameChar(c byte) bool  { return isNameStart(c) || c >= '0' && c <= '9' }

// tryDefine handles a line starting with '$'. If it is a definition ($NAME=VALUE, no blank before
// '='), it records it and returns true (lib/parser.c check_definition()). A value ending in '\'
// starts a multi-line definition: the following lines are collected until one does not end in '\'.
func (p *parser) tryDefine(text string) bool {
	if len(text) < 3 || text[0] != '$' || !isNameStart(text[1]) {
		return false
	}
	i := 2
	for i < len(text) && isNameChar(text[i]) {
		i++
	}
	if i == len(text) || text[i] != '=' {
		return false
	}
	name := text[1:i]
	value := trimBlanksLeft(text[i+1:])
	d := &definition{value: value}
	if strings.HasSuffix(value, `\`) {
		d.multiline = true
		d.value = trimBlanksRight(value[:len(value)-1])
		if d.value != "" {
			d.value += "\n"
		}
		p.collecting = d
	}
	p.defs[name] = d
	return true
}

// collect adds one line to the multi-line definition being read. Each line but the last ends in
// '\'; a line without it (even an empty or comment-only one) ends the definition. Lines holding
// only the '\' add nothing.
func (p *parser) collect(text string) {
	d := p.collecting
	more := strings.HasSuffix(text, `\`)
	if more {
		text = trimBlanksRight(text[:len(text)-1])
		if text != "" {
			text += "\n"
		}
	} else {
		p.collecting = nil
	}
	d.value += text
	if !more && d.value == "" {
		d.multiline = false
	}
}

// paramRef is one $NAME, ${NAME} or ${NAME params} reference found in a line.
type paramRef struct {
	name   string
	params string // text after the name inside braces, trimmed
	hasArg bool
	end    int // index just after the reference
}

// parseRef reads the reference starting at s[pos] == '$'. Without braces the name must be followed
// by a blank, ',', ')' or the end of the line (lib/parser.c find_definition()); with braces it
// may be followed by parameters for the built-ins that take them, then '}'.
func parseRef(s string, pos int) (paramRef, bool) {
	i := pos + 1
	braces := i < len(s) && s[i] == '{'
	if braces {
		i++
	}
	if i >= len(s) || !isNameStart(s[i]) {
		return paramRef{}, false
	}
	start := i
	for i < len(s) && isNameChar(s[i]) {
		i++
	}
	r := paramRef{name: s[start:i]}
	if !braces {
		if i < len(s) && s[i] != ' ' && s[i] != '\t' && s[i] != ',' && s[i] != ')' {
			return paramRef{}, false
		}
		r.end = i
		return r, true
	}
	if i < len(s) && s[i] == ' ' {
		close := strings.IndexByte(s[i:], '}')
		if close < 0 {
			return paramRef{}, false
		}
		r.params = strings.TrimSpace(s[i : i+close])
		r.hasArg = r.params != ""
		i += close
	}
	if i >= len(s) || s[i] != '}' {
		return paramRef{}, false
	}
	r.end = i + 1
	return r, true
}

// substitute replaces every defined parameter in text (lib/parser.c replace_param()). After a
// replacement the scan restarts at the replaced text, so values are expanded recursively at use
// time. Undefined parameters are left as written. A multi-line definition is only replaced when it
// ends the line: its first line replaces the reference and the other lines are queued to be read
// next. ok is false when the limits were hit and the line must be dropped.
func (p *parser) substitute(pos Pos, text string) (out string, changed, ok bool) {
	return p.expand(pos, text, true)
}

// substituteArgs expands the arguments of a ~SEQ/~LST block; multi-line parameters are not
// allowed there.
func (p *parser) substituteArgs(pos Pos, text string) (out string, changed, ok bool) {
	return p.expand(pos, text, false)
}

func (p *parser) expand(pos Pos, text string, allowMulti bool) (out string, changed, ok bool) {
	count := 0
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '$')
		if j < 0 {
			break
		}
		at := i + j
		ref, found := parseRef(text, at)
		if !found {
			i = at + 1
			continue
		}
		value, multiline, defined := p.lookup(pos, ref, allowMulti && ref.end == len(text))
		if !defined {
			i = at + 1
			continue
		}
		if multiline {
			first, rest, _ := strings.Cut(value, "\n")
			value = first
			p.push(&linesSource{pos: pos, rest: rest})
		}
		count++
		if count > maxSubstitutions {
			p.errorf(pos, Error, "parameter expansion: expected at most %d substitutions in one line, found more (is a parameter defined in terms of itself?); line ignored", maxSubstitutions)
			return "", false, false
		}
		text = text[:at] + value + text[ref.end:]
		p.expanded += int64(len(text))
		if p.expanded > int64(p.opts.MaxLines)*1024 {
			p.errorf(pos, Error, "parameter expansion: expected at most %d bytes of expanded text in the whole configuration, found more; the rest is ignored", int64(p.opts.MaxLines)*1024)
			p.stop()
			return "", false, false
		}
		if len(text) > maxExpandedLine {
			p.errorf(pos, Error, "parameter expansion: expected a line of at most %d bytes, found %d; line ignored", maxExpandedLine, len(text))
			return "", false, false
		}
		changed = true
		// A value that makes the line a ~SEQ or ~LST block stops substitution here, so that the
		// block's own variables are left for it to set (lib/parser.c replace_param()).
		if at == 0 && isBlockStart(text) {
			break
		}
		i = at
	}
	return text, changed, true
}

// lookup resolves a reference: user definitions first (they may override the built-ins, as in
// keepalived), then the built-ins.
func (p *parser) lookup(pos Pos, ref paramRef, atEnd bool) (value string, multiline, ok bool) {
	if d, found := p.defs[ref.name]; found {
		if ref.hasArg || (d.multiline && !atEnd) {
			return "", false, false
		}
		return d.value, d.multiline, true
	}
	switch ref.name {
	case "_PWD":
		if !ref.hasArg {
			return p.curDir, false, true
		}
	case "_INSTANCE":
		if !ref.hasArg {
			return p.opts.Instance, false, true
		}
	case "_HASH":
		if !ref.hasArg {
			return "#", false, true
		}
	case "_BANG":
		if !ref.hasArg {
			return "!", false, true
		}
	case "_ENV":
		if ref.hasArg && !strings.ContainsAny(ref.params, " \t") {
			v, _ := p.opts.LookupEnv(ref.params)
			return v, false, true
		}
	case "_RANDOM":
		return p.random(pos, ref.params)
	}
	return "", false, false
}

// random implements ${_RANDOM [MIN [MAX]]}: an integer in [MIN, MAX], defaults 0 and 32767.
func (p *parser) random(pos Pos, params string) (string, bool, bool) {
	lo, hi := int64(0), int64(32767)
	f := strings.Fields(params)
	if len(f) > 2 {
		return "", false, false
	}
	for k, s := range f {
		v, err := strconv.ParseUint(s, 10, 62)
		if err != nil {
			// keepalived only accepts digits and blanks here; anything else is not a reference.
			return "", false, false
		}
		if k == 0 {
			lo = int64(v)
		} else {
			hi = int64(v)
		}
	}
	if hi < lo {
		p.errorf(pos, Error, "${_RANDOM %s}: expected MIN <= MAX, found MIN %d > MAX %d; using %d", params, lo, hi, lo)
		return strconv.FormatInt(lo, 10), false, true
	}
	return strconv.FormatInt(lo+p.opts.Rand.Int64N(hi-lo+1), 10), false, true
}
