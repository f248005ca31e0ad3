package syntax

import (
	"errors"
	"slices"
	"testing"
)

func TestTokenize(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
	}{
		{"empty", "", nil},
		{"blanks only", " \t ", nil},
		{"words", "a b\tc", []string{"a", "b", "c"}},
		{"quoted", `a "b c" d`, []string{"a", "b c", "d"}},
		{"empty quoted", `a ""`, []string{"a", ""}},
		{"quote splits a word", `ab"c d"e`, []string{"ab", "c d", "e"}},
		{"no escapes", `"a\"b"`, []string{`a\`, "b"}},
		{"single quotes plain", `'a b'`, []string{"'a", "b'"}},
		{"unterminated drops the rest", `a "b c`, []string{"a"}},
		{"only an unterminated quote", `"b c`, nil},
		{"unterminated after a quoted token", `a "b" "c d`, []string{"a", "b"}},
		{"other blanks", "a\fb\vc\rd", []string{"a", "b", "c", "d"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := Tokenize(tc.in); !slices.Equal(got, tc.want) {
				t.Errorf("Tokenize(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitQuoted(t *testing.T) {
	cases := []struct {
		name string
		in   string
		want []string
		err  error
	}{
		{name: "empty", in: "", want: []string{}},
		{name: "words", in: "  /bin/x  a\tb ", want: []string{"/bin/x", "a", "b"}},
		{name: "double quotes", in: `"/bin/x a" b`, want: []string{"/bin/x a", "b"}},
		{name: "single quotes", in: `'/bin/x a' b`, want: []string{"/bin/x a", "b"}},
		// keepalived.conf(5) "Quoted strings": 'abcd" efg h jkl "mnop' is one string.
		{name: "man page one string", in: `abcd" efg h jkl "mnop`, want: []string{"abcd efg h jkl mnop"}},
		{name: "man page three strings", in: `abcd "efg h jkl" mnop`, want: []string{"abcd", "efg h jkl", "mnop"}},
		{name: "other quote inside quotes", in: `"it's" 'say "hi"'`, want: []string{"it's", `say "hi"`}},
		{name: "empty words", in: `a "" ''`, want: []string{"a", "", ""}},
		{name: "escaped blank", in: `a\ b c`, want: []string{"a b", "c"}},
		{name: "escaped quotes", in: `\"a\' "b\"c"`, want: []string{`"a'`, `b"c`}},
		{name: "backslash", in: `a\\b`, want: []string{`a\b`}},
		{name: "letter escapes", in: `\a\b\E\f\n\r\t\v`, want: []string{"\a\b\x1b\f\n\r\t\v"}},
		{name: "octal", in: `\101\0\1010\7`, want: []string{"A\x00A0\x07"}},
		{name: "octal wraps to a byte", in: `\777`, want: []string{"\xff"}},
		{name: "hex two digits", in: `\x41\x4a\x4B`, want: []string{"AJK"}},
		// keepalived 2.3.2 and later read at most two hex digits.
		{name: "hex stops after two digits", in: `\x414`, want: []string{"A4"}},
		{name: "hex one digit", in: `\x9g`, want: []string{"\tg"}},
		{name: "x without hex digit", in: `\xg`, want: []string{"xg"}},
		{name: "control", in: `\cA\c[\ca`, want: []string{"\x01\x1b\x01"}},
		{name: "c at end", in: `a\c`, want: []string{"ac"}},
		{name: "escapes inside single quotes", in: `'a\tb'`, want: []string{"a\tb"}},
		{name: "other escaped char", in: `\q\$`, want: []string{"q$"}},
		// keepalived.conf(5) notify_master example, after parameter substitution.
		{name: "man page notify example",
			in:   `/etc/keepalived/notify_event.sh ' spaces\\x20f\x69le ' '\"s p a c e \"' SG1.low master`,
			want: []string{"/etc/keepalived/notify_event.sh", ` spaces\x20file `, `"s p a c e "`, "SG1.low", "master"}},
		{name: "unterminated double", in: `a "b`, err: ErrUnterminatedQuote},
		{name: "unterminated single", in: `a 'b`, err: ErrUnterminatedQuote},
		{name: "trailing backslash", in: `a b\`, err: ErrTrailingEscape},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := SplitQuoted(tc.in)
			if tc.err != nil {
				if !errors.Is(err, tc.err) {
					t.Fatalf("SplitQuoted(%q) error = %v, want %v", tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("SplitQuoted(%q) error = %v", tc.in, err)
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("SplitQuoted(%q) = %q, want %q", tc.in, got, tc.want)
			}
		})
	}
}

func TestSplitQuotedFromRaw(t *testing.T) {
	// The config model takes Node.Raw of a script keyword and re-splits it; the comment and the
	// parameter are gone by then, the quoting is intact.
	src := "$U=nobody\nnotify_master \"/bin/n.sh 'a b' \\x41\" $U # why\n"
	nodes, diags := ParseString("k.conf", src, testOptions(nil))
	if len(diags) != 0 || len(nodes) != 1 {
		t.Fatalf("nodes %d, diags %s", len(nodes), diags)
	}
	words, err := SplitQuoted(nodes[0].Raw)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"notify_master", "/bin/n.sh 'a b' A", "nobody"}
	if !slices.Equal(words, want) {
		t.Errorf("got %q, want %q", words, want)
	}
	script, err := SplitQuoted(words[1])
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"/bin/n.sh", "a b", "A"}; !slices.Equal(script, want) {
		t.Errorf("script words %q, want %q", script, want)
	}
}
