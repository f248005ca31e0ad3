package syntax

import (
	"strings"
)

// MaxLineLength is the longest physical line accepted, in bytes, not counting the line end.
// keepalived reads lines with fgets() into a MAXBUF (1024) byte buffer, so a line needs room for
// its '\n' and the terminating NUL; a longer line is reported as too long and ignored.
const MaxLineLength = 1024 - 2

// splitPhysical cuts file content into physical lines. A final line without '\n' still counts.
func splitPhysical(src string) []string {
	lines := strings.SplitAfter(src, "\n")
	if n := len(lines); n > 0 && lines[n-1] == "" {
		lines = lines[:n-1]
	}
	return lines
}

// cleanPhysical applies the first steps of keepalived's read_line() to one physical line: the
// line end (any run of CR and LF) is removed, an overlong line or one with an embedded NUL is
// reported and dropped, and comments are removed. ok is false for a line that yields nothing.
func (p *parser) cleanPhysical(pos Pos, raw string) (string, bool) {
	line := strings.TrimSuffix(raw, "\n")
	if len(line) > MaxLineLength {
		p.errorf(pos, Error, "line too long: expected at most %d bytes, found %d; line ignored", MaxLineLength, len(line))
		return "", false
	}
	for len(line) > 0 && (line[len(line)-1] == '\r' || line[len(line)-1] == '\n') {
		line = line[:len(line)-1]
	}
	if strings.IndexByte(line, 0) >= 0 {
		p.errorf(pos, Error, "line contains a NUL byte: expected text, found binary data; line ignored")
		return "", false
	}
	text, unterminated := decomment(line)
	if unterminated {
		p.errorf(pos, Error, "unterminated quote: expected a closing '\"' before the end of the line, found %q", text)
	}
	return text, text != ""
}

// decomment implements lib/parser.c decomment(): leading blanks are removed; the line is cut at the
// first '#' or '!' outside double quotes (single quotes do not protect); outside quotes "\#" and
// "\!" become '#' and '!'; a backslash before any other character is kept together with it, so
// "\"" does not open or close a quote; trailing blanks are removed. A '\' at the very end of the
// line is kept (after trimming the blanks before it): it marks a multi-line $DEF= continuation.
// unterminated reports an unbalanced '"' before the comment.
func decomment(line string) (text string, unterminated bool) {
	line = trimBlanksLeft(line)
	if !strings.ContainsAny(line, "\"\\#!") {
		return trimBlanksRight(line), false
	}
	var b []byte
	quote := false
	cut := -1 // index in b where the comment starts
	cont := false
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch c {
		case '"':
			if cut < 0 {
				quote = !quote
			}
		case '\\':
			if i+1 == len(line) {
				cont = true
				i = len(line)
				continue
			}
			n := line[i+1]
			if !quote && (n == '#' || n == '!') {
				b = append(b, n)
			} else {
				b = append(b, c, n)
			}
			i++
			continue
		case '#', '!':
			if !quote && cut < 0 {
				cut = len(b)
			}
		}
		b = append(b, c)
	}
	if cut >= 0 {
		b = b[:cut]
	}
	s := trimBlanksRight(string(b))
	if cont {
		s += `\`
	}
	return s, quote
}

// trimBlanksRight and trimBlanksLeft remove spaces and tabs (C isblank()) without the cost of
// building a cut set on every call, which showed in profiles of large configurations.
func trimBlanksRight(s string) string {
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	return s
}

func trimBlanksLeft(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	return s
}
