package config

import (
	"math"
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// str stores the first value of n in dst.
func (p *parser) str(n *syntax.Node, dst *string) {
	if v, ok := p.arg(n, 1); ok {
		*dst = v
	}
}

// parseBool recognises keepalived's boolean words (check_true_false()).
func parseBool(s string) (bool, bool) {
	switch strings.ToLower(s) {
	case "on", "true", "yes":
		return true, true
	case "off", "false", "no":
		return false, true
	}
	return false, false
}

// boolean stores a boolean keyword: no value means true, otherwise on|off|true|false|yes|no.
func (p *parser) boolean(n *syntax.Node, dst *bool) {
	if len(n.Args) < 2 {
		*dst = true
		return
	}
	v, ok := parseBool(n.Args[1])
	if !ok {
		p.errorf(n, "'%s' expects on|off|true|false|yes|no, found '%s'", n.Keyword(), n.Args[1])
		return
	}
	*dst = v
}

// integer parses token i of n as an integer in [lo, hi] and stores it; it reports and keeps *dst
// otherwise.
func (p *parser) integer(n *syntax.Node, i int, lo, hi int64, dst *int) bool {
	s, ok := p.arg(n, i)
	if !ok {
		return false
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil || v < lo || v > hi {
		p.errorf(n, "'%s' expects an integer in [%d, %d], found '%s'", n.Keyword(), lo, hi, s)
		return false
	}
	*dst = int(v)
	return true
}

// parseSeconds parses keepalived's decimal seconds with microsecond resolution ("1", "0.25", "1.5").
func parseSeconds(s string) (time.Duration, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) || f < 0 || f > 1e9 {
		return 0, false
	}
	us := math.Round(f * 1e6)
	return time.Duration(us) * time.Microsecond, true
}

// seconds parses token i of n as decimal seconds in [lo, hi] and stores it; it reports and keeps
// *dst otherwise.
func (p *parser) seconds(n *syntax.Node, i int, lo, hi time.Duration, dst *time.Duration) bool {
	s, ok := p.arg(n, i)
	if !ok {
		return false
	}
	d, ok := parseSeconds(s)
	if !ok || d < lo || d > hi {
		p.errorf(n, "'%s' expects seconds in [%s, %s], found '%s'", n.Keyword(),
			strconv.FormatFloat(lo.Seconds(), 'f', -1, 64), strconv.FormatFloat(hi.Seconds(), 'f', -1, 64), s)
		return false
	}
	*dst = d
	return true
}

// addr parses token i of n as an IPv4 or IPv6 address (zones allowed for link-local IPv6).
func (p *parser) addr(n *syntax.Node, i int) (netip.Addr, bool) {
	s, ok := p.arg(n, i)
	if !ok {
		return netip.Addr{}, false
	}
	a, err := netip.ParseAddr(s)
	if err != nil {
		p.errorf(n, "'%s' expects an IP address, found '%s'", n.Keyword(), s)
		return netip.Addr{}, false
	}
	return a, true
}
