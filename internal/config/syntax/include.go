package syntax

import (
	"fmt"
	"path/filepath"
	"strings"
)

// includeCheck is the set of include_check options (keepalived 2.2.0 and later).
type includeCheck uint8

const (
	// checkReadable: every file matched must be a readable, regular, non-executable file.
	checkReadable includeCheck = 1 << iota
	// checkMatch: a name without wildcards must match a file.
	checkMatch
	// checkWildcardMatch: a name with wildcards must match at least one file.
	checkWildcardMatch
	// checkBraceMatch: every alternative of a {a,b} brace expression must match a file.
	checkBraceMatch

	checkAll = checkReadable | checkMatch | checkWildcardMatch | checkBraceMatch
)

// includeVariants maps the include keywords to the checks they add for that one include:
// includer = readable, includem = match, includew = wildcard_match, includeb = brace_match,
// includea = all of them; plain include adds none (keepalived.conf(5), "include variants").
var includeVariants = map[string]includeCheck{
	"include":  0,
	"includer": checkReadable,
	"includem": checkMatch,
	"includew": checkWildcardMatch,
	"includeb": checkBraceMatch,
	"includea": checkAll,
}

var includeCheckWords = map[string]includeCheck{
	"readable":       checkReadable,
	"match":          checkMatch,
	"wildcard_match": checkWildcardMatch,
	"brace_match":    checkBraceMatch,
}

// maxIncludeDepth bounds nested includes; deeper nesting is almost certainly a loop made by globs.
const maxIncludeDepth = 64

// fileSource yields the physical lines of one configuration file, reading it when it is reached.
type fileSource struct {
	name       string
	data       string
	loaded     bool
	from       Pos          // the include line, for read errors
	checks     includeCheck // checks that apply to reading this file
	savedCheck includeCheck // include_check in force before this file, restored after it
	lines      []string
	n          int
	dir, pwd   string
}

func (f *fileSource) next(p *parser) (line, bool) {
	if !f.loaded {
		f.loaded = true
		if !p.loadFile(f) {
			return line{}, false
		}
	}
	if f.lines == nil {
		f.lines = splitPhysical(f.data)
		f.data = ""
	}
	for f.n < len(f.lines) {
		raw := f.lines[f.n]
		f.n++
		p.curDir, p.curBase = f.pwd, f.dir
		pos := Pos{File: f.name, Line: f.n}
		text, ok := p.cleanPhysical(pos, raw)
		if !ok && text == "" && p.collecting == nil {
			continue
		}
		return line{pos: pos, text: text}, true
	}
	return line{}, false
}

func (f *fileSource) done() bool { return f.loaded && f.lines != nil && f.n >= len(f.lines) }

// pushFile queues a file to be read next.
func (p *parser) pushFile(f *fileSource, from Pos) {
	f.from = from
	f.savedCheck = p.check
	f.dir = filepath.Dir(f.name)
	f.pwd = p.dirOf(f.name)
	if f.loaded && p.opts.OnFile != nil {
		p.opts.OnFile(f.name)
	}
	p.push(f)
}

// loadFile reads an included file when its turn comes. keepalived skips, with a log message, files
// it cannot open and files that are not regular non-executable files; with the readable check
// that is a configuration error.
func (p *parser) loadFile(f *fileSource) bool {
	sev := Info
	if f.checks != 0 {
		sev = Fatal
	}
	fi, err := p.opts.FS.Stat(f.name)
	if err == nil && fi.IsDir() {
		return false
	}
	if err == nil && (!fi.Mode().IsRegular() || fi.Mode().Perm()&0o111 != 0) {
		p.errorf(f.from, sev, "include %s: expected a regular non-executable file, found mode %v; file skipped", f.name, fi.Mode())
		return false
	}
	data, err := p.opts.FS.ReadFile(f.name)
	if err != nil {
		p.errorf(f.from, sev, "include %s: expected a readable file, found %v; file skipped", f.name, err)
		return false
	}
	f.data = string(data)
	if p.opts.OnFile != nil {
		p.opts.OnFile(f.name)
	}
	return true
}

// handleInclude recognises include lines (lib/parser.c check_include(), which runs after
// conditionals and parameter substitution, so "include ${_PWD}/conf.d/*.conf" works) and the
// include_check keyword, which changes the checks for the rest of the current file.
func (p *parser) handleInclude(pos Pos, text string) bool {
	if !strings.HasPrefix(text, "include") && !strings.HasPrefix(text, `"include`) {
		return false
	}
	toks := Tokenize(text)
	if len(toks) == 0 {
		return false
	}
	if toks[0] == "include_check" {
		p.setIncludeCheck(pos, toks[1:])
		return false // the keyword stays in the tree for package config
	}
	variant, ok := includeVariants[toks[0]]
	if !ok {
		return false
	}
	if len(toks) != 2 {
		p.errorf(pos, Error, "%s: expected exactly one file name, found %d words in %q; line ignored", toks[0], len(toks)-1, text)
		return true
	}
	p.include(pos, toks[0], toks[1], p.check|variant)
	return true
}

// setIncludeCheck applies "include_check [OPTIONS]": no option means all; a bare option list
// replaces the setting; "+opt" adds and "-opt" removes.
func (p *parser) setIncludeCheck(pos Pos, opts []string) {
	if len(opts) == 0 {
		p.check = checkAll
		return
	}
	c := p.check
	if o := opts[0]; o == "" || (o[0] != '+' && o[0] != '-') {
		c = 0
	}
	for _, o := range opts {
		op := byte(0)
		if o != "" && (o[0] == '+' || o[0] == '-') {
			op, o = o[0], o[1:]
		}
		bit, ok := includeCheckWords[o]
		if !ok {
			p.errorf(pos, Error, "include_check: expected readable, match, wildcard_match or brace_match, found %q", o)
			continue
		}
		if op == '-' {
			c &^= bit
		} else {
			c |= bit
		}
	}
	p.check = c
}

// include expands the pattern and queues the files it names, in order.
func (p *parser) include(pos Pos, kw, pattern string, checks includeCheck) {
	if checks&(checkMatch|checkWildcardMatch|checkBraceMatch) != 0 {
		checks |= checkReadable
	}
	full := pattern
	if !filepath.IsAbs(pattern) && p.curBase != "" && p.curBase != "." {
		full = p.curBase + "/" + pattern
	}
	alts, err := expandBraces(full)
	if err != nil {
		p.errorf(pos, Error, "%s %s: %v", kw, pattern, err)
		return
	}
	var files []string
	wildcard := false
	for _, alt := range alts {
		var m []string
		if hasMeta(alt) {
			wildcard = true
			m, err = p.opts.FS.Glob(alt)
			if err != nil {
				p.errorf(pos, Error, "%s %s: bad pattern %q: %v", kw, pattern, alt, err)
				continue
			}
		} else if _, err := p.opts.FS.Stat(alt); err == nil {
			m = []string{alt}
		}
		if len(m) == 0 && len(alts) > 1 && checks&checkBraceMatch != 0 {
			p.errorf(pos, Fatal, "%s %s: expected the brace alternative %q to match a file, found none", kw, pattern, alt)
		}
		files = append(files, m...)
	}
	if len(files) == 0 {
		switch {
		case checks&checkWildcardMatch != 0 || (!wildcard && checks&checkMatch != 0):
			p.errorf(pos, Fatal, "%s %s: expected a matching file, found none", kw, pattern)
		default:
			// Plain include never fails: an optional conf.d/*.conf may well be empty.
			p.errorf(pos, Info, "%s %s: no configuration file matched (expected one only with include_check or -e); nothing included", kw, pattern)
		}
		return
	}
	chain := p.openFiles()
	if len(chain) >= maxIncludeDepth {
		p.errorf(pos, Error, "%s %s: expected includes nested at most %d deep, found deeper; not included", kw, pattern, maxIncludeDepth)
		return
	}
	// Push in reverse so that the first match is read first.
	for i := len(files) - 1; i >= 0; i-- {
		name := files[i]
		if loop := cycle(chain, name); loop != "" {
			p.errorf(pos, Error, "%s %s: expected a file not already being read, found an include loop %s; not included", kw, pattern, loop)
			continue
		}
		p.pushFile(&fileSource{name: name, checks: checks}, pos)
	}
}

// openFiles lists the files being read, outermost first: the ancestors of the current line.
func (p *parser) openFiles() []string {
	var chain []string
	for _, s := range p.stack {
		if f, ok := s.(*fileSource); ok && f.lines != nil {
			chain = append(chain, f.name)
		}
	}
	return chain
}

// cycle returns "a -> b -> a" if name is already in the chain of open files.
func cycle(chain []string, name string) string {
	clean := filepath.Clean(name)
	for i, c := range chain {
		if filepath.Clean(c) == clean {
			return strings.Join(append(append([]string{}, chain[i:]...), name), " -> ")
		}
	}
	return ""
}

func hasMeta(s string) bool { return strings.ContainsAny(s, `*?[\`) }

// maxBraceAlternatives bounds brace expansion ({a,b}{c,d}... multiplies).
const maxBraceAlternatives = 4096

// expandBraces performs csh-style brace expansion as glob(3) GLOB_BRACE does: "{a,b}c" is "ac"
// and "bc", braces nest, and "{}" or an unmatched brace is left as it is.
func expandBraces(s string) ([]string, error) {
	open := -1
	for i := 0; i < len(s); i++ {
		if s[i] == '{' && !(i+1 < len(s) && s[i+1] == '}') {
			open = i
			break
		}
	}
	if open < 0 {
		return []string{s}, nil
	}
	// Find the matching '}' and the top-level commas.
	depth, close := 0, -1
	commas := []int{}
	for i := open; i < len(s) && close < 0; i++ {
		switch s[i] {
		case '{':
			depth++
		case '}':
			depth--
			if depth == 0 {
				close = i
			}
		case ',':
			if depth == 1 {
				commas = append(commas, i)
			}
		}
	}
	if close < 0 {
		return []string{s}, nil
	}
	prefix, suffix := s[:open], s[close+1:]
	bounds := append(append([]int{open}, commas...), close)
	var out []string
	for k := 0; k+1 < len(bounds); k++ {
		alts, err := expandBraces(prefix + s[bounds[k]+1:bounds[k+1]] + suffix)
		if err != nil {
			return nil, err
		}
		out = append(out, alts...)
		if len(out) > maxBraceAlternatives {
			return nil, fmt.Errorf("expected at most %d brace alternatives, found more", maxBraceAlternatives)
		}
	}
	return out, nil
}
