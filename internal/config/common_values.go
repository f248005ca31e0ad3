package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

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

// script parses "KEYWORD CMD [USER [[:]GROUP]]" (core/notify.c notify_script_init()). keepalived
// re-tokenises the raw line shell-like (install_keyword_quoted); the command is the 2nd word, which
// is split again into the program and its arguments.
func (p *parser) script(n *syntax.Node, dst *Script) bool {
	words := n.Args
	if n.Raw != "" {
		w, err := syntax.SplitQuoted(n.Raw)
		if err != nil {
			p.errorf(n, "'%s': invalid quoting: %v", n.Keyword(), err)
			return false
		}
		words = w
	}
	if len(words) < 2 {
		p.errorf(n, "'%s' is missing a value", n.Keyword())
		return false
	}
	cmd := words[1]
	args, err := syntax.SplitQuoted(cmd)
	if err != nil || len(args) == 0 {
		p.errorf(n, "'%s' expects a command, found '%s'", n.Keyword(), cmd)
		return false
	}
	s := Script{Command: cmd, Args: args}
	if len(words) > 2 {
		s.User, s.Group = splitUserGroup(words[2:])
	}
	if len(words) > 4 {
		p.warnf(n, "'%s' has extra arguments after the user and group: '%s'", n.Keyword(), strings.Join(words[4:], " "))
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

// valueLines returns the lines of a value block (addresses, peers, tracker names, ...). A line
// with no words, which only a stray separator such as a form feed can produce, carries nothing.
func valueLines(n *syntax.Node) []*syntax.Node {
	out := make([]*syntax.Node, 0, len(n.Block))
	for _, c := range n.Block {
		if len(c.Args) > 0 {
			out = append(out, c)
		}
	}
	return out
}
