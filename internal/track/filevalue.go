package track

import (
	"strconv"
	"strings"
)

// maxFileRead is how much of a tracked file keepalived reads (a 128-byte buffer).
const maxFileRead = 127

// ParseFileValue reads a track_file value the way keepalived does
// (trackers/track_file.c: strtol(buf, NULL, 0)): leading space, an optional sign,
// then a decimal, 0x hex or 0 octal number; anything unparsable is 0. The result is
// clamped to ±254.
func ParseFileValue(b []byte) int {
	if len(b) > maxFileRead {
		b = b[:maxFileRead]
	}
	s := strings.TrimLeft(string(b), " \t\n\v\f\r")
	neg := false
	if s != "" && (s[0] == '+' || s[0] == '-') {
		neg = s[0] == '-'
		s = s[1:]
	}
	base, digits := 10, "0123456789"
	switch {
	case len(s) > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') && strings.ContainsRune("0123456789abcdefABCDEF", rune(s[2])):
		base, digits, s = 16, "0123456789abcdefABCDEF", s[2:]
	case len(s) > 1 && s[0] == '0':
		base, digits = 8, "01234567"
	}
	end := 0
	for end < len(s) && strings.IndexByte(digits, s[end]) >= 0 {
		end++
	}
	if end == 0 {
		return 0
	}
	v, err := strconv.ParseUint(s[:end], base, 64)
	if err != nil || v > 254 {
		// Out of range saturates like strtol, and is then clamped.
		v = 254
	}
	n := int(v)
	if neg {
		n = -n
	}
	return n
}
