package syntax

import (
	"strconv"
	"strings"
)

// isBlockStart reports a line that starts a ~SEQ or ~LST block.
func isBlockStart(text string) bool {
	return strings.HasPrefix(text, "~SEQ") || strings.HasPrefix(text, "~LST")
}

// blockSource repeats the rest of a ~SEQ/~LST line once per value, setting the block's variables
// as ordinary parameters before each repetition. Blocks nest because a repeated line may itself
// start with ~SEQ or ~LST: the inner block is pushed above this one and runs to its end first,
// which makes the first block's variable the slowest-changing one, as in keepalived.
type blockSource struct {
	pos  Pos
	text string
	vars []string

	// ~SEQ: remaining values cur, cur+step, ... (remaining counts them, so no overflow).
	cur, step int64
	remaining uint64
	hex       bool

	// ~LST: one row of values per repetition.
	rows [][]string
	row  int
}

func (b *blockSource) next(p *parser) (line, bool) {
	if b.rows != nil {
		if b.row >= len(b.rows) {
			return line{}, false
		}
		for k, v := range b.rows[b.row] {
			p.defs[b.vars[k]] = &definition{value: v}
		}
		b.row++
		return line{pos: b.pos, text: b.text}, true
	}
	if b.remaining == 0 {
		return line{}, false
	}
	v := strconv.FormatInt(b.cur, 10)
	if b.hex {
		v = strconv.FormatInt(b.cur, 16)
	}
	p.defs[b.vars[0]] = &definition{value: v}
	b.remaining--
	if b.remaining > 0 {
		b.cur += b.step
	}
	return line{pos: b.pos, text: b.text}, true
}

func (b *blockSource) done() bool {
	if b.rows != nil {
		return b.row >= len(b.rows)
	}
	return b.remaining == 0
}

// startBlock parses a ~SEQ or ~LST line and queues its repetitions.
func (p *parser) startBlock(pos Pos, text string) {
	var b *blockSource
	if strings.HasPrefix(text, "~SEQ") {
		b = p.parseSeq(pos, text)
	} else {
		b = p.parseLst(pos, text)
	}
	if b == nil {
		return
	}
	if n := b.count(); n > uint64(p.opts.MaxLines) {
		p.errorf(pos, Error, "%s: expected at most %d repetitions, found %d; block ignored", text[:4], p.opts.MaxLines, n)
		return
	}
	p.push(b)
}

func (b *blockSource) count() uint64 {
	if b.rows != nil {
		return uint64(len(b.rows))
	}
	return b.remaining
}

// blockHead reads "~XXX[x] ( " and returns the index just after '('.
func (p *parser) blockHead(pos Pos, text string, allowHex bool) (i int, hex, ok bool) {
	i = 4
	if allowHex && i < len(text) && text[i] == 'x' {
		hex = true
		i++
	}
	for i < len(text) && (text[i] == ' ' || text[i] == '\t') {
		i++
	}
	if i >= len(text) || text[i] != '(' {
		p.errorf(pos, Error, "%s: expected '(' after %s, found %q", text[:4], text[:i], text[i:])
		return 0, false, false
	}
	return i + 1, hex, true
}

// blockArgs cuts the argument text up to the closing ')' (not counting ')' inside {…}) and expands
// parameters in it, as keepalived does before reading the numbers. rest is what follows ')'.
func (p *parser) blockArgs(pos Pos, text string, from int) (args, rest string, ok bool) {
	depth := 0
	for i := from; i < len(text); i++ {
		switch text[i] {
		case '{':
			depth++
		case '}':
			depth--
		case ')':
			if depth > 0 {
				continue
			}
			args = text[from:i]
			if strings.IndexByte(args, '$') >= 0 {
				expanded, _, good := p.substituteArgs(pos, args)
				if !good {
					return "", "", false
				}
				args = expanded
			}
			return args, trimBlanksLeft(text[i+1:]), true
		}
	}
	p.errorf(pos, Error, "%s: expected ')' to close the argument list, found the end of the line in %q", text[:4], text)
	return "", "", false
}

// parseSeq reads ~SEQ(var, [start,] [step,] end) rest and ~SEQx(...) (lib/parser.c add_seq()).
// With only end, start is 1 (or -1 when end < 0) and step is 1 (or -1 when end < 1); with start
// and end, step is 1 or -1 towards end. Numbers are C integers: decimal, 0x hex or 0 octal.
func (p *parser) parseSeq(pos Pos, text string) *blockSource {
	i, hex, ok := p.blockHead(pos, text, true)
	if !ok {
		return nil
	}
	args, rest, ok := p.blockArgs(pos, text, i)
	if !ok {
		return nil
	}
	name, nums, found := strings.Cut(args, ",")
	name = strings.TrimSpace(name)
	if !found || !validName(name) {
		p.errorf(pos, Error, "~SEQ: expected (VAR, [START,] [STEP,] END) with VAR a parameter name, found (%s)", args)
		return nil
	}
	fields := strings.Split(nums, ",")
	if len(fields) > 3 {
		p.errorf(pos, Error, "~SEQ: expected at most 3 numbers after the variable, found %d in (%s)", len(fields), args)
		return nil
	}
	vals := make([]int64, len(fields))
	for k, f := range fields {
		v, ok := parseCInt(strings.TrimSpace(f))
		if !ok {
			p.errorf(pos, Error, "~SEQ: expected an integer, found %q in (%s)", strings.TrimSpace(f), args)
			return nil
		}
		vals[k] = v
	}
	var start, step, end int64
	switch len(vals) {
	case 1:
		end = vals[0]
		step, start = 1, 1
		if end < 1 {
			step = -1
		}
		if end < 0 {
			start = -1
		}
	case 2:
		start, end, step = vals[0], vals[1], 1
		if start > end {
			step = -1
		}
	case 3:
		start, step, end = vals[0], vals[1], vals[2]
		if step == 0 || (start < end && step < 0) || (start > end && step > 0) {
			p.errorf(pos, Error, "~SEQ: expected a non-zero step going from %d towards %d, found step %d", start, end, step)
			return nil
		}
	}
	if hex && (start < 0 || end < 0) {
		p.errorf(pos, Error, "~SEQx: expected non-negative numbers, found start %d and end %d", start, end)
		return nil
	}
	var dist, absStep uint64
	if end >= start {
		dist = uint64(end) - uint64(start)
	} else {
		dist = uint64(start) - uint64(end)
	}
	if step < 0 {
		absStep = uint64(-(step + 1)) + 1
	} else {
		absStep = uint64(step)
	}
	return &blockSource{pos: pos, text: rest, vars: []string{name}, cur: start, step: step, hex: hex,
		remaining: dist/absStep + 1}
}

// parseLst reads ~LST(var, v1, v2, ...) rest and ~LST({a,b}, {1,2}, {3,4}, ...) rest.
func (p *parser) parseLst(pos Pos, text string) *blockSource {
	i, _, ok := p.blockHead(pos, text, false)
	if !ok {
		return nil
	}
	args, rest, ok := p.blockArgs(pos, text, i)
	if !ok {
		return nil
	}
	args = strings.TrimSpace(args)
	b := &blockSource{pos: pos, text: rest}
	if strings.HasPrefix(args, "{") {
		groups, ok := splitGroups(args)
		if !ok || len(groups) < 2 {
			p.errorf(pos, Error, "~LST: expected ({VAR, ...}, {VALUE, ...}, ...), found (%s)", args)
			return nil
		}
		b.vars = groups[0]
		for _, g := range groups[1:] {
			if len(g) != len(b.vars) {
				p.errorf(pos, Error, "~LST: expected %d values in each group to match {%s}, found {%s}",
					len(b.vars), strings.Join(b.vars, ","), strings.Join(g, ","))
				return nil
			}
			b.rows = append(b.rows, g)
		}
	} else {
		f := strings.Split(args, ",")
		if len(f) < 2 {
			p.errorf(pos, Error, "~LST: expected (VAR, VALUE, ...) with at least one value, found (%s)", args)
			return nil
		}
		b.vars = []string{strings.TrimSpace(f[0])}
		for _, v := range f[1:] {
			b.rows = append(b.rows, []string{strings.TrimSpace(v)})
		}
	}
	for _, v := range b.vars {
		if !validName(v) {
			p.errorf(pos, Error, "~LST: expected a parameter name, found %q", v)
			return nil
		}
	}
	return b
}

// splitGroups splits "{a,b}, {1,2}" into [[a b] [1 2]]; blanks around items are removed.
func splitGroups(s string) ([][]string, bool) {
	var groups [][]string
	for {
		s = trimBlanksLeft(s)
		if s == "" {
			return groups, true
		}
		if s[0] != '{' {
			return nil, false
		}
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return nil, false
		}
		var g []string
		for _, v := range strings.Split(s[1:end], ",") {
			g = append(g, strings.TrimSpace(v))
		}
		groups = append(groups, g)
		s = trimBlanksLeft(s[end+1:])
		if s == "" {
			return groups, true
		}
		if s[0] != ',' {
			return nil, false
		}
		s = s[1:]
	}
}

func validName(s string) bool {
	if s == "" || !isNameStart(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if !isNameChar(s[i]) {
			return false
		}
	}
	return true
}

// parseCInt reads an integer the way C strtol(s, &end, 0) does for a whole field: an optional
// sign, then 0x/0X hex, a leading 0 for octal, or decimal. An empty field is 0, as keepalived
// takes a missing number as 0.
func parseCInt(s string) (int64, bool) {
	if s == "" {
		return 0, true
	}
	neg := false
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		s = s[1:]
	}
	base := 10
	switch {
	case len(s) > 2 && (s[:2] == "0x" || s[:2] == "0X"):
		base, s = 16, s[2:]
	case len(s) > 1 && s[0] == '0':
		base, s = 8, s[1:]
	}
	if s == "" || s[0] == '+' || s[0] == '-' || strings.IndexByte(s, '_') >= 0 {
		return 0, false
	}
	v, err := strconv.ParseInt(s, base, 64)
	if err != nil {
		return 0, false
	}
	if neg {
		v = -v
	}
	return v, true
}
