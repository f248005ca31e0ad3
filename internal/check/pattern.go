package check

import (
	"fmt"
	"strings"
)

// ReplyPattern is UDP_CHECK's require_reply: hex bytes where an X (or x)
// nibble matches anything (check_udp.c). Like keepalived's
// check_udp_reply(), only the first min(len(reply), pattern length) bytes are
// compared, so a shorter reply can match (bound it with min_reply_length).
type ReplyPattern struct {
	value []byte // expected bits
	mask  []byte // 1 bits are compared
}

// ParseReplyPattern parses require_reply's hex string. Whitespace is ignored;
// an odd number of nibbles is an error.
func ParseReplyPattern(s string) (*ReplyPattern, error) {
	s = strings.Join(strings.Fields(s), "")
	if len(s)%2 != 0 {
		return nil, fmt.Errorf("require_reply %q: odd number of hex digits", s)
	}
	p := &ReplyPattern{value: make([]byte, len(s)/2), mask: make([]byte, len(s)/2)}
	for i := 0; i < len(s); i++ {
		var v, m byte
		switch c := s[i]; {
		case c >= '0' && c <= '9':
			v, m = c-'0', 0xf
		case c >= 'a' && c <= 'f':
			v, m = c-'a'+10, 0xf
		case c >= 'A' && c <= 'F':
			v, m = c-'A'+10, 0xf
		case c == 'x' || c == 'X':
			v, m = 0, 0
		default:
			return nil, fmt.Errorf("require_reply %q: invalid character %q", s, c)
		}
		shift := uint(4)
		if i%2 == 1 {
			shift = 0
		}
		p.value[i/2] |= v << shift
		p.mask[i/2] |= m << shift
	}
	return p, nil
}

// Len is the number of bytes the pattern covers.
func (p *ReplyPattern) Len() int { return len(p.value) }

// Match reports whether the overlapping prefix of reply and pattern matches.
func (p *ReplyPattern) Match(reply []byte) bool {
	for i := range min(len(reply), len(p.value)) {
		if reply[i]&p.mask[i] != p.value[i] {
			return false
		}
	}
	return true
}

// ParseHexPayload parses UDP_CHECK's payload keyword (hex, whitespace ignored).
func ParseHexPayload(s string) ([]byte, error) {
	p, err := ParseReplyPattern(s)
	if err != nil {
		return nil, fmt.Errorf("payload: %w", err)
	}
	for _, m := range p.mask {
		if m != 0xff {
			return nil, fmt.Errorf("payload %q: wildcards are not allowed", s)
		}
	}
	return p.value, nil
}
