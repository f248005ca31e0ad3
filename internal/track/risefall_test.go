package track

import (
	"strings"
	"testing"
)

// TestRiseFall feeds runs as a string of s (success) and f (failure) and checks the
// verdict after each ("+" OK, "-" failed) and where it changed ("*").
func TestRiseFall(t *testing.T) {
	tests := []struct {
		name       string
		rise, fall int
		initFail   bool
		runs       string
		want       string
	}{
		{"defaults first success decides", 1, 1, false, "sfsf", "+*-*+*-*"},
		{"first failure decides at once", 3, 3, false, "f", "-*"},
		{"first success decides at once", 3, 3, false, "s", "+*"},
		{"fall 2 needs two failures", 1, 2, false, "sfsffs", "+*+ + + -*+*"},
		{"rise 3 needs three successes", 3, 1, false, "fsssf", "-*- - +*-*"},
		{"rise counts consecutive", 3, 1, false, "fssfsss", "-*- - - - - +*"},
		{"fall counts consecutive", 1, 3, false, "sffsfff", "+*+ + + + + -*"},
		{"init_fail needs rise successes", 2, 1, true, "ss", "- +*"},
		{"init_fail stays failed on failure", 2, 1, true, "f", "- "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newRiseFall(tt.rise, tt.fall, tt.initFail)
			var b strings.Builder
			for _, c := range tt.runs {
				changed := r.observe(c == 's')
				if r.ok() {
					b.WriteByte('+')
				} else {
					b.WriteByte('-')
				}
				if changed {
					b.WriteByte('*')
				} else {
					b.WriteByte(' ')
				}
			}
			if got := strings.TrimRight(b.String(), " "); got != strings.TrimRight(tt.want, " ") {
				t.Errorf("runs %q: got %q, want %q", tt.runs, got, tt.want)
			}
		})
	}
}
