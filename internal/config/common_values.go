package config

import (
	"fmt"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// splitQuoted splits a command string shell-like, as keepalived's alloc_strvec_quoted_escaped()
// does for script keywords (reference §1a.8.2): blanks separate words, '…' and "…" group them, and a
// backslash outside single quotes takes the escapes \a \b \E \f \n \r \t \v \nnn \xHH \cC.
// It is a local stand-in until syntax.SplitQuoted exists.
func splitQuoted(s string) ([]string, error) {
	var out []string
	var b strings.Builder
	inWord := false
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote == '\'':
			if c == '\'' {
				quote = 0
				continue
			}
			b.WriteByte(c)
		case c == '\\':
			inWord = true
			n, adv := unescape(s[i+1:])
			b.WriteString(n)
			i += adv
		case quote == '"':
			if c == '"' {
				quote = 0
				continue
			}
			b.WriteByte(c)
		case c == '\'' || c == '"':
			quote = c
			inWord = true
		case c == ' ' || c == '\t':
			if inWord {
				out = append(out, b.String())
				b.Reset()
				inWord = false
			}
		default:
			b.WriteByte(c)
			inWord = true
		}
	}
	if quote != 0 {
		return out, fmt.Errorf("unterminated %c quote", quote)
	}
	if inWord {
		out = append(out, b.String())
	}
	return out, nil
}

// unescape decodes the escape after a backslash; it returns the text and how many bytes it used.
func unescape(s string) (string, int) {
	if s == "" {
		return "\\", 0
	}
	switch s[0] {
	case 'a':
		return "\a", 1
	case 'b':
		return "\b", 1
	case 'E':
		return "\x1b", 1
	case 'f':
		return "\f", 1
	case 'n':
		return "\n", 1
	case 'r':
		return "\r", 1
	case 't':
		return "\t", 1
	case 'v':
		return "\v", 1
	case 'c':
		if len(s) > 1 {
			return string(rune(s[1] & 0x1f)), 2
		}
		return "c", 1
	case 'x':
		// At most two hex digits (2.3.2 and later; before, \x consumed every hex digit).
		j := 1
		for j < 3 && j < len(s) && isHex(s[j]) {
			j++
		}
		if j == 1 {
			return "x", 1
		}
		v, _ := strconv.ParseUint(s[1:j], 16, 8)
		return string([]byte{byte(v)}), j
	}
	if s[0] >= '0' && s[0] <= '7' {
		j := 0
		for j < 3 && j < len(s) && s[j] >= '0' && s[j] <= '7' {
			j++
		}
		v, _ := strconv.ParseUint(s[:j], 8, 16)
		return string([]byte{byte(v)}), j
	}
	return s[:1], 1
}

func isHex(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')
}

// Script is a command keepalived runs (notify scripts, vrrp_script, startup_script, FIFO scripts).
type Script struct {
	// Command is the command string as written (the 2nd token of the line).
	Command string
	// Args is Command split shell-like; Args[0] is the program.
	Args []string
	// User and Group override script_user for this script; empty means the default.
	User  string
	Group string
}

// IsZero reports whether no script is configured.
func (s Script) IsZero() bool { return s.Command == "" }

// script parses "KEYWORD CMD [USER [[:]GROUP]]" (core/notify.c notify_script_init()).
func (p *parser) script(n *syntax.Node, dst *Script) bool {
	cmd, ok := p.arg(n, 1)
	if !ok {
		return false
	}
	args, err := splitQuoted(cmd)
	if err != nil || len(args) == 0 {
		p.errorf(n, "'%s' expects a command, found '%s'", n.Keyword(), cmd)
		return false
	}
	s := Script{Command: cmd, Args: args}
	if len(n.Args) > 2 {
		s.User, s.Group = splitUserGroup(n.Args[2:])
	}
	if len(n.Args) > 4 {
		p.warnf(n, "'%s' has extra arguments after the user and group: '%s'", n.Keyword(), strings.Join(n.Args[4:], " "))
	}
	*dst = s
	return true
}

// splitUserGroup reads "USER [GROUP]", "USER:GROUP" or "USER :GROUP".
func splitUserGroup(args []string) (user, group string) {
	user = args[0]
	if u, g, ok := strings.Cut(user, ":"); ok {
		return u, g
	}
	if len(args) > 1 {
		group = strings.TrimPrefix(args[1], ":")
	}
	return user, group
}

// weightRange is keepalived's tracker weight range (VRRP_MAX_TRACK_WEIGHT... ±253).
const maxTrackWeight = 253

// weightArgs parses "[weight W] [reverse|noreverse]" from args starting at i; it returns the weight,
// whether it was given, and reverse.
func (p *parser) weightArgs(n *syntax.Node, i int, allowReverse bool) (w int, set, reverse bool, ok bool) {
	ok = true
	for ; i < len(n.Args); i++ {
		switch n.Args[i] {
		case "weight":
			if !p.integer(n, i+1, -maxTrackWeight, maxTrackWeight, &w) {
				return 0, false, false, false
			}
			set = true
			i++
		case "reverse", "noreverse":
			if !allowReverse {
				p.errorf(n, "'%s' does not take '%s'", n.Keyword(), n.Args[i])
				return 0, false, false, false
			}
			reverse = n.Args[i] == "reverse"
		default:
			p.errorf(n, "'%s': expected 'weight' or 'reverse', found '%s'", n.Keyword(), n.Args[i])
			return 0, false, false, false
		}
	}
	return w, set, reverse, ok
}

// prefixArg parses "ADDR[/LEN]"; a missing length means a host prefix.
func parsePrefix(s string) (netip.Prefix, bool) {
	if strings.Contains(s, "/") {
		pf, err := netip.ParsePrefix(s)
		if err != nil {
			return netip.Prefix{}, false
		}
		return pf, true
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		return netip.Prefix{}, false
	}
	return netip.PrefixFrom(a, a.BitLen()), true
}

// uintArg parses token i of n as an unsigned integer in [lo, hi].
func (p *parser) uintArg(n *syntax.Node, i int, lo, hi uint64, dst *uint32) bool {
	s, ok := p.arg(n, i)
	if !ok {
		return false
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil || v < lo || v > hi {
		p.errorf(n, "'%s' expects an integer in [%d, %d], found '%s'", n.Keyword(), lo, hi, s)
		return false
	}
	*dst = uint32(v)
	return true
}

// optBool stores a boolean keyword into a tri-state: nil means "not configured, use the default".
func (p *parser) optBool(n *syntax.Node, dst **bool) {
	var v bool
	before := len(p.diags)
	p.boolean(n, &v)
	if len(p.diags) == before {
		*dst = &v
	}
}

// millis parses milliseconds-valued keywords (BFD timers) into a duration.
func (p *parser) millis(n *syntax.Node, i int, lo, hi int64, dst *time.Duration) bool {
	var v int
	if !p.integer(n, i, lo, hi, &v) {
		return false
	}
	*dst = time.Duration(v) * time.Millisecond
	return true
}

// fmtSeconds renders a duration as keepalived prints seconds ("1", "0.25").
func fmtSeconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64)
}
