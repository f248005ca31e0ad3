package config

import (
	"reflect"
	"testing"
)

func TestSplitQuoted(t *testing.T) {
	tests := []struct {
		in      string
		want    []string
		wantErr bool
	}{
		{"/bin/echo a  b", []string{"/bin/echo", "a", "b"}, false},
		{`/bin/x 'two words' "three more words"`, []string{"/bin/x", "two words", "three more words"}, false},
		{`/bin/x a\tb`, []string{"/bin/x", "a\tb"}, false},
		{`/bin/x \x41\x4a2`, []string{"/bin/x", "AJ2"}, false},
		{`/bin/x \101`, []string{"/bin/x", "A"}, false},
		{`/bin/x '\n'`, []string{"/bin/x", `\n`}, false},
		{`/bin/x \cA`, []string{"/bin/x", "\x01"}, false},
		{`/bin/x 'open`, []string{"/bin/x"}, true},
		{`a""b`, []string{"ab"}, false},
		{`''`, []string{""}, false},
	}
	for _, tc := range tests {
		got, err := splitQuoted(tc.in)
		if (err != nil) != tc.wantErr || !reflect.DeepEqual(got, tc.want) {
			t.Errorf("splitQuoted(%q) = %q, %v; want %q, err %v", tc.in, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestSplitUserGroup(t *testing.T) {
	tests := []struct {
		in          []string
		user, group string
	}{
		{[]string{"root"}, "root", ""},
		{[]string{"root", "wheel"}, "root", "wheel"},
		{[]string{"root:wheel"}, "root", "wheel"},
		{[]string{"root", ":wheel"}, "root", "wheel"},
	}
	for _, tc := range tests {
		u, g := splitUserGroup(tc.in)
		if u != tc.user || g != tc.group {
			t.Errorf("splitUserGroup(%q) = %q %q", tc.in, u, g)
		}
	}
}

func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{`/bin/x 'a b' "c d"`, `\x4`, `\`, `'`, `\c`, `a\777`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := splitQuoted(s)
		if err == nil && len(s) > 0 && len(words) == 0 {
			for _, c := range s {
				if c != ' ' && c != '\t' {
					t.Fatalf("non-blank %q gave no words", s)
				}
			}
		}
	})
}
