package check

import (
	"strings"
	"testing"
)

func TestParseStatusCodes(t *testing.T) {
	tests := []struct {
		args   []string
		str    string
		match  []int
		reject []int
		err    bool
	}{
		{nil, "200-299", []int{200, 250, 299}, []int{199, 300, 404}, false},
		{[]string{"200"}, "200", []int{200}, []int{201}, false},
		{[]string{"200-204", "301", "404"}, "200-204 301 404", []int{200, 204, 301, 404}, []int{205, 302}, false},
		{[]string{"100-599"}, "100-599", []int{100, 599}, []int{99, 600}, false},
		{[]string{"200", "99"}, "200", []int{200}, []int{99}, true},
		{[]string{"300-200"}, "200-299", nil, nil, true},
		{[]string{"2xx"}, "200-299", nil, nil, true},
		{[]string{"200-"}, "200-299", nil, nil, true},
		{[]string{"+200"}, "200-299", nil, nil, true},
		{[]string{"600"}, "200-299", nil, nil, true},
	}
	for _, tc := range tests {
		sc, err := ParseStatusCodes(tc.args)
		if (err != nil) != tc.err {
			t.Errorf("%v: err %v", tc.args, err)
		}
		if sc.String() != tc.str {
			t.Errorf("%v: String %q want %q", tc.args, sc.String(), tc.str)
		}
		for _, c := range tc.match {
			if !sc.Match(c) {
				t.Errorf("%v: %d not matched", tc.args, c)
			}
		}
		for _, c := range tc.reject {
			if sc.Match(c) {
				t.Errorf("%v: %d matched", tc.args, c)
			}
		}
	}
}

func FuzzParseStatusCodes(f *testing.F) {
	f.Add("200-299 404")
	f.Add("100 599")
	f.Add("300-200 x")
	f.Fuzz(func(t *testing.T, s string) {
		sc, _ := ParseStatusCodes(strings.Fields(s))
		if sc.Match(99) || sc.Match(600) {
			t.Fatal("out-of-range code matched")
		}
		// The dump form parses back to the same set.
		if sc.IsSet() {
			back, err := ParseStatusCodes(strings.Fields(sc.String()))
			if err != nil || back != sc {
				t.Fatalf("round trip %q: %v", sc.String(), err)
			}
		}
	})
}
