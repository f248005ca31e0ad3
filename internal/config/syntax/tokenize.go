package syntax

import (
	"errors"
	"fmt"
	"strings"
)

// isSpace reports keepalived's WHITE_SPACE_STR characters, which separate tokens.
func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\f' || c == '\n' || c == '\r' || c == '\v'
}

// Tokenize splits text at blanks, as keepalived's alloc_strvec_r() does for every line. A token
// that starts with '"' runs to the next '"' and loses both quotes; no escapes are processed. A '"'
// inside an unquoted token ends that token, so `ab"c d"` is the two tokens "ab" and "c d". Single
// quotes are not special at this level. An unmatched '"' and the rest of the line are dropped, as
// keepalived does after reporting "Unmatched quote" (the preprocessor reports the quote), so
// `router_id "abc` leaves router_id without a value; a line that was only an unmatched quote has
// no tokens.
func Tokenize(text string) []string {
	toks, _ := tokenize(text)
	return toks
}

// tokenize is Tokenize that also reports whether an unmatched '"' dropped the end of the line.
func tokenize(text string) (toks []string, dropped bool) {
	// Most lines have a handful of tokens; one allocation covers them.
	toks = make([]string, 0, 4)
	i := 0
	for {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i >= len(text) {
			break
		}
		if text[i] == '"' {
			end := strings.IndexByte(text[i+1:], '"')
			if end < 0 {
				dropped = true
				break
			}
			toks = append(toks, text[i+1:i+1+end])
			i += end + 2
			continue
		}
		start := i
		for i < len(text) && !isSpace(text[i]) && text[i] != '"' {
			i++
		}
		toks = append(toks, text[start:i])
	}
	if len(toks) == 0 {
		return nil, dropped
	}
	return toks, dropped
}

// openQuoteAfterEscapes reports whether text leaves a '"' open when a '\' escapes the next
// character, which is how decomment() counts quotes (and reports an unterminated one).
func openQuoteAfterEscapes(text string) bool {
	quote := false
	for i := 0; i < len(text); i++ {
		switch text[i] {
		case '\\':
			i++
		case '"':
			quote = !quote
		}
	}
	return quote
}

// ErrUnterminatedQuote is returned by SplitQuoted for a quote that is never closed.
var ErrUnterminatedQuote = errors.New("missing terminating quote")

// ErrTrailingEscape is returned by SplitQuoted for a '\' at the very end of the text.
var ErrTrailingEscape = errors.New("missing character after '\\' at end")

// SplitQuoted re-tokenises a raw line the way keepalived does for keywords installed with
// install_keyword_quoted (script, notify*, misc_path, quorum_up/down; lib/parser.c
// alloc_strvec_quoted_escaped()). It is shell-like:
//
//   - blanks separate words; a word may mix quoted and unquoted parts (`a"b c"d` is "ab cd");
//   - '…' and "…" quote, and the quotes are removed; a pair of quotes with nothing
//     between them is an empty word;
//   - a backslash escapes inside and outside quotes: \a \b \E(ESC) \f \n \r \t \v, \nnn (one to
//     three octal digits), \xHH (one or two hex digits, keepalived 2.3.2 and later), \cC (control
//     character C&0x1f), and \C for any other C is C itself (so \\ \" \' \ are literal).
//
// An unclosed quote or a trailing backslash is an error, as keepalived then rejects the string.
func SplitQuoted(raw string) ([]string, error) {
	words := []string{}
	var b strings.Builder
	i := 0
	for {
		for i < len(raw) && isSpace(raw[i]) {
			i++
		}
		if i >= len(raw) {
			return words, nil
		}
		b.Reset()
		var quote byte
	word:
		for i < len(raw) {
			c := raw[i]
			switch {
			case c == '\\':
				n, w, err := unescape(raw[i+1:])
				if err != nil {
					return nil, fmt.Errorf("%q: %w", raw, err)
				}
				b.WriteByte(n)
				i += 1 + w
			case quote != 0 && c == quote:
				quote = 0
				i++
			case quote != 0:
				b.WriteByte(c)
				i++
			case c == '"' || c == '\'':
				quote = c
				i++
			case isSpace(c):
				break word
			default:
				b.WriteByte(c)
				i++
			}
		}
		if quote != 0 {
			return nil, fmt.Errorf("%q: %w %c", raw, ErrUnterminatedQuote, quote)
		}
		words = append(words, b.String())
	}
}

// unescape decodes the escape sequence whose text (after the backslash) starts s. It returns the
// byte and how many bytes of s it used.
func unescape(s string) (byte, int, error) {
	if s == "" {
		return 0, 0, ErrTrailingEscape
	}
	c := s[0]
	switch {
	case c == 'x' && len(s) > 1 && isHex(s[1]):
		// keepalived 2.3.2 and later take at most two hex digits; earlier releases took every
		// following hex digit and kept the low byte.
		v, n := hexVal(s[1]), 2
		if len(s) > 2 && isHex(s[2]) {
			v = v<<4 | hexVal(s[2])
			n = 3
		}
		return v, n, nil
	case c == 'c' && len(s) > 1:
		return s[1] & 0x1f, 2, nil
	case c >= '0' && c <= '7':
		v, n := int(c-'0'), 1
		for n < 3 && n < len(s) && s[n] >= '0' && s[n] <= '7' {
			v = v<<3 | int(s[n]-'0')
			n++
		}
		return byte(v), n, nil
	}
	switch c {
	case 'a':
		return '\a', 1, nil
	case 'b':
		return '\b', 1, nil
	case 'E':
		return 0x1b, 1, nil
	case 'f':
		return '\f', 1, nil
	case 'n':
		return '\n', 1, nil
	case 'r':
		return '\r', 1, nil
	case 't':
		return '\t', 1, nil
	case 'v':
		return '\v', 1, nil
	}
	return c, 1, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func hexVal(c byte) byte {
	switch {
	case c >= '0' && c <= '9':
		return c - '0'
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10
	}
	return c - 'A' + 10
}
