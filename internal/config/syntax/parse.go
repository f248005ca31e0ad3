// Package syntax turns keepalived.conf text into a tree of logical lines.
//
// It implements keepalived's configuration preprocessor (lib/parser.c read_line() and friends,
// reference §1c.2): line ends, overlong lines and NULs; comments outside double quotes; '@ID' and
// '@^ID' conditional lines; $NAME=VALUE parameters (multi-line, lazy and recursive) and the ${_PWD}
// ${_INSTANCE} ${_RANDOM} ${_ENV} ${_HASH} ${_BANG} built-ins; ~SEQ/~SEQx/~LST repetition blocks;
// include and its checked variants with globs and brace expansion; brace splitting; tokenising
// with double-quoted tokens. Every node carries the file and line it came from. Keyword meaning is
// left to package config. SplitQuoted provides the shell-like re-tokenising that keepalived
// applies to script keywords.
package syntax

import (
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strconv"
	"strings"
)

// ParseFile reads and parses the configuration file at path, following its includes.
func ParseFile(path string, opts Options) ([]*Node, Diagnostics) {
	p := newParser(opts)
	// keepalived refuses a configuration file that is not a regular non-executable file
	// (lib/parser.c check_conf_file()).
	if fi, err := p.opts.FS.Stat(path); err == nil && (!fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 != 0) {
		return nil, Diagnostics{{Pos: Pos{File: path}, Severity: Fatal,
			Msg: fmt.Sprintf("cannot read configuration: expected a regular non-executable file, found mode %v", fi.Mode())}}
	}
	data, err := p.opts.FS.ReadFile(path)
	if err != nil {
		return nil, Diagnostics{{Pos: Pos{File: path}, Severity: Fatal,
			Msg: fmt.Sprintf("cannot read configuration: expected a readable file, found %v", err)}}
	}
	return p.run(path, string(data))
}

// ParseString parses configuration text; name is used in positions and is the base for relative
// include paths and ${_PWD}. Includes are read from opts.FS.
func ParseString(name, src string, opts Options) ([]*Node, Diagnostics) {
	return newParser(opts).run(name, src)
}

// maxSources bounds the stack of files, repetition blocks and queued lines being read at once.
const maxSources = 10000

// parser is the state of one preprocessing run.
type parser struct {
	opts  Options
	diags Diagnostics
	defs  map[string]*definition
	tree  treeBuilder

	stack []source
	// collecting is the multi-line definition whose continuation lines are being read.
	collecting *definition
	// curDir is the directory of the file whose line was read last, for ${_PWD} (absolute when
	// reading the operating system's files, as keepalived uses getcwd()).
	curDir string
	// curBase is the same directory as written, the base of relative include paths, so that
	// positions in included files read the way the configuration names them.
	curBase string
	// check holds the include_check flags in force for the file being read.
	check includeCheck
	lines int
	// expanded counts the bytes built by parameter substitution, bounded by MaxLines*1024 (the
	// size of keepalived's line buffer) so that a runaway expansion cannot take unbounded time.
	expanded int64
	// stopped is set once the line limit is hit; nothing more is read.
	stopped bool
	// lastPos is the position of the line being processed, for errors not tied to one source.
	lastPos Pos
}

func newParser(opts Options) *parser {
	p := &parser{opts: opts.withDefaults(), defs: map[string]*definition{}}
	if p.opts.AllConfig {
		p.check = checkAll
	}
	return p
}

func (p *parser) errorf(pos Pos, sev Severity, format string, args ...any) {
	p.diags = append(p.diags, Diagnostic{Pos: pos, Severity: sev, Msg: fmt.Sprintf(format, args...)})
}

// line is one line handed to the pipeline, already free of comments.
type line struct {
	pos  Pos
	text string
}

// source produces lines: a file, the queued lines of a multi-line parameter, a ~SEQ/~LST block,
// or the rest of a line after a brace.
type source interface {
	next(p *parser) (line, bool)
	// done reports that next will return false; such sources are dropped before their last line
	// is processed so that a self-repeating expansion does not grow the stack.
	done() bool
}

// linesSource yields queued lines that share one position: the rest of a multi-line parameter,
// or what follows a brace on a line.
type linesSource struct {
	pos  Pos
	rest string
	end  bool
}

func (s *linesSource) next(*parser) (line, bool) {
	if s.end {
		return line{}, false
	}
	first, rest, more := strings.Cut(s.rest, "\n")
	s.rest, s.end = rest, !more
	return line{pos: s.pos, text: first}, true
}

func (s *linesSource) done() bool { return s.end }

func (p *parser) push(s source) {
	if len(p.stack) >= maxSources {
		p.errorf(p.lastPos, Error, "configuration nests too deeply: expected at most %d open files, blocks and parameter expansions, found more", maxSources)
		p.stop()
		return
	}
	p.stack = append(p.stack, s)
}

func (p *parser) stop() {
	p.stopped = true
	p.stack = nil
}

// run preprocesses the main file and builds the tree.
func (p *parser) run(name, src string) ([]*Node, Diagnostics) {
	p.pushFile(&fileSource{name: name, data: src, loaded: true}, Pos{})
	for len(p.stack) > 0 && !p.stopped {
		top := p.stack[len(p.stack)-1]
		ln, ok := top.next(p)
		if !ok {
			p.pop()
			continue
		}
		if _, isFile := top.(*fileSource); !isFile && top.done() {
			p.pop()
		}
		p.lines++
		p.lastPos = ln.pos
		if p.lines > p.opts.MaxLines {
			p.errorf(ln.pos, Error, "configuration expands to too many lines: expected at most %d, found more (check ~SEQ, ~LST and multi-line parameters); the rest is ignored", p.opts.MaxLines)
			p.stop()
			break
		}
		p.process(ln)
	}
	if p.collecting != nil {
		p.collecting = nil
	}
	return p.tree.finish(p), p.diags
}

func (p *parser) pop() {
	top := p.stack[len(p.stack)-1]
	p.stack = p.stack[:len(p.stack)-1]
	if f, ok := top.(*fileSource); ok {
		// The include_check setting is saved when a file is opened and restored when it closes.
		p.check = f.savedCheck
	}
}

// process runs one line through the pipeline (lib/parser.c read_line()).
func (p *parser) process(ln line) {
	if p.collecting != nil {
		p.collect(ln.text)
		return
	}
	text := ln.text
	for {
		if text == "" {
			return
		}
		if text[0] == '@' {
			var keep bool
			if text, keep = p.conditional(text); !keep || text == "" {
				return
			}
		}
		if text[0] == '$' && p.tryDefine(text) {
			return
		}
		if isBlockStart(text) {
			p.startBlock(ln.pos, text)
			return
		}
		if text[0] == '~' || strings.IndexByte(text, '$') < 0 {
			break
		}
		expanded, changed, ok := p.substitute(ln.pos, text)
		if !ok {
			return
		}
		if !changed {
			break
		}
		text = expanded
		// Substitution may have produced a conditional, a definition or a block: look again.
		if text == "" || (text[0] != '@' && text[0] != '$' && text[0] != '~' && strings.IndexByte(text, '$') < 0) {
			break
		}
	}
	if text == "" {
		return
	}
	if p.handleInclude(ln.pos, text) {
		return
	}
	if strings.HasPrefix(text, "random_seed") {
		p.randomSeed(text)
	}
	p.splitBraces(ln.pos, text)
}

// conditional handles an '@ID' or '@^ID' prefix: the line is kept, without the prefix, only if ID
// equals (for '@^', differs from) the config-id. The ID must be followed by a blank; a line that
// is only "@ID" is dropped.
func (p *parser) conditional(text string) (string, bool) {
	rest, negate := text[1:], false
	if strings.HasPrefix(rest, "^") {
		rest, negate = rest[1:], true
	}
	sp := strings.IndexAny(rest, " \t")
	if sp < 0 {
		return "", false
	}
	if (rest[:sp] == p.opts.ConfigID && p.opts.ConfigID != "") == negate {
		return "", false
	}
	return trimBlanksLeft(rest[sp:]), true
}

// splitBraces ends the logical line at the first '{' or '}' outside double quotes and queues the
// rest as a new line, so "a { b }" is the four lines "a", "{", "b" and "}". A brace that starts the
// line is a line of its own.
func (p *parser) splitBraces(pos Pos, text string) {
	i := 0
	if text[0] != '{' && text[0] != '}' {
		for i < len(text) {
			c := text[i]
			if c == '{' || c == '}' {
				break
			}
			if c == '"' {
				end := strings.IndexByte(text[i+1:], '"')
				if end < 0 {
					i = len(text)
					break
				}
				i += end + 1
			}
			i++
		}
	}
	if i == len(text) {
		p.emit(pos, text)
		return
	}
	head, rest := text[:i], text[i:]
	if i == 0 {
		head, rest = text[:1], trimBlanksLeft(text[1:])
	}
	p.emit(pos, trimBlanksRight(head))
	// keepalived re-reads the rest of the line through the whole pipeline. A lone brace would
	// come straight back here, so it is placed at once (the common "name {" and "}" cases).
	switch rest = trimBlanksRight(rest); rest {
	case "":
	case "{", "}":
		p.emit(pos, rest)
	default:
		p.push(&linesSource{pos: pos, rest: rest})
	}
}

func (p *parser) emit(pos Pos, text string) {
	if text != "" {
		p.tree.add(p, pos, text)
	}
}

// dirOf returns the directory used for ${_PWD} and relative includes of the named file.
func (p *parser) dirOf(name string) string {
	dir := filepath.Dir(name)
	if _, isOS := p.opts.FS.(OSFileSystem); isOS && !filepath.IsAbs(dir) {
		if abs, err := filepath.Abs(dir); err == nil {
			return abs
		}
	}
	return dir
}

// randomSeed applies global_defs "random_seed N" as soon as it is read, as keepalived's handler
// reseeds random() then, so that later ${_RANDOM} values repeat from one run to the next. The line
// stays in the tree for package config, which checks the number.
func (p *parser) randomSeed(text string) {
	toks := Tokenize(text)
	if len(toks) != 2 || toks[0] != "random_seed" {
		return
	}
	seed, err := strconv.ParseUint(toks[1], 10, 32)
	if err != nil {
		return
	}
	p.opts.Rand = rand.New(rand.NewPCG(seed, seed))
}
