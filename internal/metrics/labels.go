package metrics

import (
	"strings"
	"unicode/utf8"
)

// validLabel returns v with invalid UTF-8 replaced by U+FFFD. Names come from the configuration
// file, which keepalived reads as bytes; client_golang rejects (or, in WithLabelValues, panics
// on) label values that are not UTF-8.
func validLabel(v string) string {
	if utf8.ValidString(v) {
		return v
	}
	return strings.ToValidUTF8(v, "\uFFFD")
}
