package config

import (
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Setting is a value that may be left unset so that it is inherited from an enclosing block.
type Setting[T any] struct {
	Value T
	Set   bool
}

// Or returns the value when set, otherwise def.
func (s Setting[T]) Or(def T) T {
	if s.Set {
		return s.Value
	}
	return def
}

// set stores v and marks the setting as given.
func (s *Setting[T]) set(v T) { s.Value, s.Set = v, true }

// lvsSplitQuoted splits a raw line shell-like, as keepalived's install_keyword_quoted re-parse does
// (reference §1c.2, §1a.8.2).
func lvsSplitQuoted(s string) ([]string, error) { return syntax.SplitQuoted(s) }

// quotedArgs re-parses n's raw line with shell-like quoting and returns the words after the keyword.
func (p *parser) quotedArgs(n *syntax.Node) ([]string, bool) {
	words, err := lvsSplitQuoted(n.Raw)
	if err != nil {
		p.errorf(n, "'%s': %v in '%s'", n.Keyword(), err, n.Raw)
		return nil, false
	}
	if len(words) < 2 {
		p.errorf(n, "'%s' is missing a value", n.Keyword())
		return nil, false
	}
	return words[1:], true
}

// checkScript parses "KEYWORD CMD [USER [GROUP]]" (notify_script_init()): CMD is one shell-like
// word (quote it to pass arguments) and is split again into the program and its arguments.
func (p *parser) checkScript(n *syntax.Node) *CheckScript {
	words, ok := p.quotedArgs(n)
	if !ok {
		return nil
	}
	args, err := lvsSplitQuoted(words[0])
	if err != nil {
		p.errorf(n, "'%s': %v", n.Keyword(), err)
		return nil
	}
	if len(args) == 0 {
		p.errorf(n, "'%s' expects a command, found '%s'", n.Keyword(), words[0])
		return nil
	}
	s := &CheckScript{Pos: n.Pos, Command: words[0], Args: args}
	if len(words) > 1 {
		s.User = words[1]
	}
	if len(words) > 2 {
		s.Group = words[2]
	}
	if len(words) > 3 {
		p.infof(n, "'%s' has extra words after the user and group: '%s' (quote the command to pass arguments)",
			n.Keyword(), strings.Join(words[3:], " "))
	}
	return s
}

// parsePort parses a TCP/UDP port number.
func parsePort(s string) (uint16, bool) {
	v, err := strconv.ParseUint(s, 10, 16)
	if err != nil {
		return 0, false
	}
	return uint16(v), true
}

// port parses token i of n as a port.
func (p *parser) port(n *syntax.Node, i int) (uint16, bool) {
	s, ok := p.arg(n, i)
	if !ok {
		return 0, false
	}
	v, ok := parsePort(s)
	if !ok {
		p.errorf(n, "'%s' expects a port in [0, 65535], found '%s'", n.Keyword(), s)
	}
	return v, ok
}

// u32 parses token i of n as an unsigned 32-bit integer in [lo, hi].
func (p *parser) u32(n *syntax.Node, i int, lo, hi uint32) (uint32, bool) {
	s, ok := p.arg(n, i)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 32)
	if err != nil || uint32(v) < lo || uint32(v) > hi {
		p.errorf(n, "'%s' expects an integer in [%d, %d], found '%s'", n.Keyword(), lo, hi, s)
		return 0, false
	}
	return uint32(v), true
}

// forwarding parses "NAT|DR|TUN [type ipip|gue port N|gre] [nocsum|csum|remcsum]"
// (check_parser.c forwarding_handler()); the method words are case-sensitive, as in keepalived.
func (p *parser) forwarding(n *syntax.Node) (Forwarding, bool) {
	var f Forwarding
	m, ok := p.arg(n, 1)
	if !ok {
		return f, false
	}
	switch m {
	case "NAT":
		f.Method = FwdNAT
	case "DR":
		f.Method = FwdDR
	case "TUN":
		f.Method = FwdTUN
	default:
		p.errorf(n, "'%s' expects NAT|DR|TUN, found '%s'", n.Keyword(), m)
		return f, false
	}
	rest := n.Args[2:]
	if len(rest) > 0 && f.Method != FwdTUN {
		p.errorf(n, "'%s %s' takes no options, found '%s'", n.Keyword(), m, strings.Join(rest, " "))
		return f, false
	}
	if len(rest) > 0 && rest[0] == "type" {
		if len(rest) < 2 {
			p.errorf(n, "'%s TUN type' expects ipip|gue|gre", n.Keyword())
			return f, false
		}
		switch rest[1] {
		case "ipip":
			f.TunnelType = TunnelIPIP
			rest = rest[2:]
		case "gre":
			f.TunnelType = TunnelGRE
			rest = rest[2:]
		case "gue":
			f.TunnelType = TunnelGUE
			if len(rest) < 4 || rest[2] != "port" {
				p.errorf(n, "'%s TUN type gue' expects 'port N'", n.Keyword())
				return f, false
			}
			port, ok := parsePort(rest[3])
			if !ok || port == 0 {
				p.errorf(n, "'%s TUN type gue port' expects a port in [1, 65535], found '%s'", n.Keyword(), rest[3])
				return f, false
			}
			f.TunnelPort = port
			rest = rest[4:]
		default:
			p.errorf(n, "'%s TUN type' expects ipip|gue|gre, found '%s'", n.Keyword(), rest[1])
			return f, false
		}
	}
	if len(rest) > 0 {
		switch rest[0] {
		case "nocsum":
			f.TunnelChecksum = TunnelNoCsum
		case "csum":
			f.TunnelChecksum = TunnelCsum
		case "remcsum":
			f.TunnelChecksum = TunnelRemCsum
		default:
			p.errorf(n, "'%s TUN' expects type|nocsum|csum|remcsum, found '%s'", n.Keyword(), rest[0])
			return f, false
		}
		if f.TunnelType == TunnelIPIP {
			p.errorf(n, "'%s TUN': checksum option '%s' needs 'type gue' or 'type gre'", n.Keyword(), rest[0])
			return f, false
		}
		if f.TunnelChecksum == TunnelRemCsum && f.TunnelType != TunnelGUE {
			p.errorf(n, "'%s TUN': 'remcsum' is only valid with 'type gue'", n.Keyword())
			return f, false
		}
		rest = rest[1:]
	}
	if len(rest) > 0 {
		p.errorf(n, "'%s' has unexpected words '%s'", n.Keyword(), strings.Join(rest, " "))
		return f, false
	}
	return f, true
}

// flagOpt parses an optional boolean into a Setting: no value means true.
func (p *parser) flagOpt(n *syntax.Node, dst *Setting[bool]) {
	v := dst.Value
	p.boolean(n, &v)
	if len(n.Args) < 2 {
		dst.set(true)
		return
	}
	if _, ok := parseBool(n.Args[1]); ok {
		dst.set(v)
	}
}
