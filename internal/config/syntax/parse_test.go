package syntax

import (
	"os"
	"strconv"
	"strings"
	"testing"
)

// compact renders a tree on one line: "kw arg {child; child}; next". Arguments that are empty or
// hold blanks or separators are quoted so that token boundaries stay visible.
func compact(nodes []*Node) string {
	parts := make([]string, 0, len(nodes))
	for _, n := range nodes {
		args := make([]string, len(n.Args))
		for i, a := range n.Args {
			if a == "" || strings.ContainsAny(a, " \t;{}\"") {
				a = strconv.Quote(a)
			}
			args[i] = a
		}
		s := strings.Join(args, " ")
		if n.HasBlock {
			if s != "" {
				s += " "
			}
			s += "{" + compact(n.Block) + "}"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

type parseCase struct {
	name string
	src  string
	opts func(*Options)
	want string
	// diags are substrings expected in the diagnostics, in order; "" means none at all.
	diags []string
	// exit is the expected config-test exit code.
	exit int
}

func runCases(t *testing.T, cases []parseCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(nil)
			if tc.opts != nil {
				tc.opts(&opts)
			}
			nodes, diags := ParseString("k.conf", tc.src, opts)
			if got := compact(nodes); got != tc.want {
				t.Errorf("tree:\n got %s\nwant %s", got, tc.want)
			}
			if len(diags) != len(tc.diags) {
				t.Fatalf("diagnostics: got %d, want %d:\n%s", len(diags), len(tc.diags), diags)
			}
			for i, want := range tc.diags {
				if !strings.Contains(diags[i].String(), want) {
					t.Errorf("diagnostic %d: got %q, want it to contain %q", i, diags[i], want)
				}
			}
			if got := diags.ExitCode(); got != tc.exit {
				t.Errorf("exit code: got %d, want %d", got, tc.exit)
			}
		})
	}
}

func TestLinePipeline(t *testing.T) {
	long := "router_id " + strings.Repeat("x", MaxLineLength-len("router_id "))
	runCases(t, []parseCase{
		{name: "lf", src: "a 1\nb 2\n", want: "a 1; b 2"},
		{name: "crlf", src: "a 1\r\nb 2\r\n", want: "a 1; b 2"},
		{name: "no final newline", src: "a 1\nb 2", want: "a 1; b 2"},
		{name: "blank and indented lines", src: "\n   \n\t a   1  \n\n", want: "a 1"},
		{name: "longest line accepted", src: long + "\nb\n", want: long + "; b"},
		{name: "overlong line ignored", src: long + "x\nb\n", want: "b",
			diags: []string{"k.conf:1: error: line too long: expected at most 1022 bytes, found 1023"}, exit: 5},
		{name: "NUL byte ignored", src: "a\x00b\nc\n", want: "c",
			diags: []string{"k.conf:1: error: line contains a NUL byte"}, exit: 5},
		{name: "hash comment", src: "# all\na 1 # rest\n", want: "a 1"},
		{name: "bang comment", src: "! all\na 1 ! rest\n", want: "a 1"},
		{name: "comment char glued to a word", src: "a b#c\n", want: "a b"},
		{name: "comment chars inside double quotes", src: `a "b # c ! d" # e` + "\n", want: `a "b # c ! d"`},
		{name: "single quotes do not protect comments", src: "notify 'a # b'\n", want: "notify 'a"},
		{name: "escaped hash and bang", src: `a \#b \!c` + "\n", want: "a #b !c"},
		{name: "escapes kept inside double quotes", src: `a "\#b"` + "\n", want: `a \#b`},
		{name: "escaped quote does not open a quote", src: `a b\"c # d` + "\n", want: `a b\`,
			diags: []string{`k.conf:1: error: unmatched quote: expected a closing '"'`}, exit: 5},
		{name: "unterminated quote drops the quoted word", src: `a "b c` + "\n" + "d\n", want: `a; d`,
			diags: []string{`k.conf:1: error: unterminated quote: expected a closing '"'`}, exit: 5},
		{name: "line of only an unterminated quote is skipped", src: `"b c` + "\n{\n}\nd\n", want: `d`,
			diags: []string{`k.conf:1: error: unterminated quote: expected a closing '"'`,
				`k.conf:2: error: unexpected '{'`}, exit: 5},
		{name: "trailing backslash on an ordinary line", src: `a b \` + "\n", want: `a b\`},
	})
}

func TestTokenizing(t *testing.T) {
	runCases(t, []parseCase{
		{name: "double quotes make one token", src: `router_id "r id with space"` + "\n", want: `router_id "r id with space"`},
		{name: "empty quoted token", src: `a ""` + "\n", want: `a ""`},
		{name: "quote ends an unquoted token", src: `a b"c d"e` + "\n", want: `a b "c d" e`},
		{name: "single quotes are plain characters", src: `a 'b c'` + "\n", want: `a 'b c'`},
		{name: "tabs separate", src: "a\tb\t\tc\n", want: "a b c"},
	})
}

func TestBraces(t *testing.T) {
	runCases(t, []parseCase{
		{name: "brace on keyword line", src: "g {\n a 1\n}\n", want: "g {a 1}"},
		{name: "brace on next line", src: "g\n{\n a 1\n}\n", want: "g {a 1}"},
		{name: "brace glued to name", src: "vrrp_instance X{\n}\n", want: "vrrp_instance X {}"},
		{name: "whole block on one line", src: "global_defs { router_id r }\n", want: "global_defs {router_id r}"},
		{name: "nested blocks on one line", src: "a { b { c } d }\n", want: "a {b {c}; d}"},
		{name: "closing braces glued", src: "a {\nb {\nc\n}}\n", want: "a {b {c}}"},
		{name: "braces in quotes are text", src: `a "{x}"` + "\n", want: `a "{x}"`},
		{name: "text after closing brace", src: "a {\n} b\n", want: "a {}; b"},
		{name: "extra closing brace", src: "a 1\n}\nb 2\n", want: "a 1; b 2",
			diags: []string{"k.conf:2: error: extra '}' found"}, exit: 5},
		{name: "unclosed block", src: "a {\n b 1\n", want: "a {b 1}",
			diags: []string{"k.conf:1: error: block 'a' is missing its closing '}'"}, exit: 5},
		{name: "stray opening brace", src: "a {\n}\n{\n b\n}\nc\n", want: "a {}; b; c",
			diags: []string{"k.conf:3: error: unexpected '{'"}, exit: 5},
		{name: "conditional after a brace", src: "g { @main a 1 }\n", want: "g {a 1}"},
		// keepalived re-reads the rest of a line after a brace from the top of read_line(), so a
		// failing conditional there drops the rest of the line, closing brace included.
		{name: "failing conditional after a brace drops the rest", src: "g { @other a 2 }\n", want: "g {}",
			diags: []string{"k.conf:1: error: block 'g' is missing its closing '}'"}, exit: 5},
	})
}

func TestConditionals(t *testing.T) {
	id := func(s string) func(*Options) { return func(o *Options) { o.ConfigID = s } }
	runCases(t, []parseCase{
		{name: "matching id kept", src: "@main router_id a\n", want: "router_id a"},
		{name: "other id dropped", src: "@backup router_id b\n", want: ""},
		{name: "negated matching id dropped", src: "@^main router_id a\n", want: ""},
		{name: "negated other id kept", src: "@^backup router_id b\n", want: "router_id b"},
		{name: "tab after id", src: "@main\trouter_id a\n", want: "router_id a"},
		{name: "only the id is dropped", src: "@main\n@^backup\na\n", want: "a"},
		{name: "id is exact not prefix", src: "@mai x\n@mainx y\n", want: ""},
		{name: "empty config id matches no id", src: "@main a\n@^main b\n", opts: id(""), want: "b"},
		{name: "man page unicast_peer example", opts: id("main"),
			src:  "unicast_peer {\n @^main 1.2.3.4\n @^backup 1.2.3.5\n @^backup2 1.2.3.6\n}\n",
			want: "unicast_peer {1.2.3.5; 1.2.3.6}"},
		{name: "conditional definition", src: "@main $P=240\n@backup $P=200\npriority $P\n", want: "priority 240"},
		{name: "conditional from a parameter", src: "$IF_MAIN=@main\n$IF_MAIN priority 240\n", want: "priority 240"},
		{name: "conditional from a parameter not matching", src: "$IF_B=@backup\n$IF_B priority 240\n", want: ""},
	})
}

func TestParameters(t *testing.T) {
	runCases(t, []parseCase{
		{name: "simple", src: "$P=100\npriority $P\n", want: "priority 100"},
		{name: "braces", src: "$N=1\nvi VI_${N}x\n", want: "vi VI_1x"},
		{name: "dollar name needs a separator", src: "$N=1\na $N/24 $N,x ($N) $N\n", want: "a $N/24 1,x (1) 1"},
		{name: "undefined left as is", src: "a $UNDEF \"${UNDEF}\" $1 $\n", want: "a $UNDEF \"${UNDEF}\" $1 $"},
		// Outside quotes the braces of an undefined ${X} split the line, as in keepalived.
		{name: "undefined braces outside quotes split", src: "a ${UNDEF}\n", want: "a $ {UNDEF}"},
		{name: "blank before equals is not a definition", src: "$A =1\n", want: "$A =1"},
		{name: "name may not start with a digit", src: "$1A=1\n", want: "$1A=1"},
		{name: "empty value", src: "$E=\na${E}b\n", want: "ab"},
		{name: "value keeps inner blanks", src: "$V=  a  b\nx $V\n", want: "x a b"},
		{name: "redefinition", src: "$V=1\na $V\n$V=2\na $V\n", want: "a 1; a 2"},
		{name: "lazy and recursive", src: "$BASE=10.98.${SUB}\n$SUB=0\nip ${BASE}\n", want: "ip 10.98.0"},
		{name: "man page lazy example",
			src:  "$ADDRESS_BASE=10.2.${ADDRESS_BASE_SUB}\n$ADDRESS_BASE_SUB=0\n${ADDRESS_BASE}.100/32\n$ADDRESS_BASE_SUB=10\n${ADDRESS_BASE}.100/32\n",
			want: "10.2.0.100/32; 10.2.10.100/32"},
		{name: "value with braces opens a block", src: "$B=vrrp_instance X {\n$B\n}\n", want: "vrrp_instance X {}"},
		{name: "self reference stops with an error", src: "$A=x${A}\nv ${A}\n", want: "",
			diags: []string{"k.conf:2: error: parameter expansion: expected at most 1000 substitutions"}, exit: 5},
		{name: "doubling stops with an error", src: "$A=${A}${A}\nv ${A}\n", want: "",
			diags: []string{"k.conf:2: error: parameter expansion"}, exit: 5},
		{name: "multi-line definition", src: "$M= \\\n a 1 \\\n b 2\n$M\n", want: "a 1; b 2"},
		{name: "multi-line first line on the definition line", src: "$M=a 1 \\\nb 2\n$M\n", want: "a 1; b 2"},
		{name: "multi-line ended by a blank line", src: "$M=a 1 \\\n\nb 2\n$M\n", want: "b 2; a 1"},
		{name: "multi-line only at end of line", src: "$M=a \\\nb\nx $M y\n", want: "x $M y"},
		{name: "multi-line after text on the line", src: "$M=a \\\nb\nx $M\n", want: "x a; b"},
		{name: "multi-line block",
			src:  "$I= \\\nvrrp_instance VI_${NUM} { \\\n  interface eth0.${NUM} \\\n}\n$NUM=0\n$I\n$NUM=1\n$I\n",
			want: "vrrp_instance VI_0 {interface eth0.0}; vrrp_instance VI_1 {interface eth0.1}"},
		{name: "nested multi-line", src: "$RS= \\\nreal_server ${N} { \\\n}\n$VS= \\\nvs { \\\n$N=1 \\\n$RS \\\n$N=2 \\\n$RS \\\n}\n$VS\n",
			want: "vs {real_server 1 {}; real_server 2 {}}"},
		{name: "comment inside a multi-line value", src: "$M=a 1 \\ # note\nb 2\n$M\n", want: "a 1; b 2"},
	})
}

func TestBuiltins(t *testing.T) {
	runCases(t, []parseCase{
		{name: "_PWD is the file's directory", src: "a ${_PWD}\n", want: "a ."},
		{name: "_INSTANCE defaults to the config id", src: "a ${_INSTANCE}\n", want: "a main"},
		{name: "_INSTANCE from options", src: "a ${_INSTANCE}\n", opts: func(o *Options) { o.Instance = "inst" }, want: "a inst"},
		{name: "_HASH and _BANG are not comments", src: "a x${_HASH}y${_BANG}z\n", want: "a x#y!z"},
		{name: "_ENV set", src: "a ${_ENV KA_TEST}\n", want: "a from-env"},
		{name: "_ENV unset is empty", src: "a x${_ENV KA_NOPE}y\n", want: "a xy"},
		{name: "_RANDOM fixed range", src: "a ${_RANDOM 7 7}\n", want: "a 7"},
		{name: "_RANDOM bad range", src: "a ${_RANDOM 9 3}\n", want: "a 9",
			diags: []string{"expected MIN <= MAX, found MIN 9 > MAX 3"}, exit: 5},
		{name: "_RANDOM with text is not a reference", src: "a \"${_RANDOM x}\"\n", want: "a \"${_RANDOM x}\""},
		{name: "parameters on a plain definition are not a reference", src: "$P=1\na \"${P 2}\"\n", want: "a \"${P 2}\""},
		{name: "built-in can be overridden", src: "$_HASH=h\na ${_HASH}\n", want: "a h"},
	})
}

func TestRandomSeed(t *testing.T) {
	src := "global_defs {\n random_seed 42\n}\n~SEQ(I, 1, 5) r ${_RANDOM}\n"
	a, diags := ParseString("k.conf", src, Options{})
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	b, _ := ParseString("k.conf", src, Options{})
	if compact(a) != compact(b) {
		t.Errorf("random_seed 42 gave different values:\n%s\n%s", compact(a), compact(b))
	}
	c, _ := ParseString("k.conf", strings.Replace(src, "42", "43", 1), Options{})
	if compact(a) == compact(c) {
		t.Errorf("random_seed 42 and 43 gave the same values %s", compact(a))
	}
}

func TestDefaultConfigID(t *testing.T) {
	h, err := os.Hostname()
	if err != nil {
		t.Skip(err)
	}
	want, _, _ := strings.Cut(h, ".")
	if got := DefaultConfigID(); got != want || strings.Contains(got, ".") {
		t.Errorf("DefaultConfigID() = %q, want %q (host name %q up to the first dot)", got, want, h)
	}
}

func TestRandomRange(t *testing.T) {
	opts := testOptions(nil)
	nodes, diags := ParseString("k.conf", "~SEQ(I, 1, 200) r ${_RANDOM 10 20}\n", opts)
	if len(diags) != 0 {
		t.Fatalf("diagnostics: %s", diags)
	}
	seen := map[int]bool{}
	for _, n := range nodes {
		v, err := strconv.Atoi(n.Args[1])
		if err != nil || v < 10 || v > 20 {
			t.Fatalf("got %q, want an integer in [10, 20]", n.Args[1])
		}
		seen[v] = true
	}
	if len(seen) < 5 {
		t.Errorf("200 draws gave only %d distinct values, want a spread", len(seen))
	}
	// The same seed gives the same configuration.
	again, _ := ParseString("k.conf", "~SEQ(I, 1, 200) r ${_RANDOM 10 20}\n", testOptions(nil))
	if compact(again) != compact(nodes) {
		t.Errorf("same seed, different result")
	}
}

func TestSeq(t *testing.T) {
	runCases(t, []parseCase{
		{name: "start step end", src: "~SEQ(S, 0, 3) ip 10.0.${S}.1\n", want: "ip 10.0.0.1; ip 10.0.1.1; ip 10.0.2.1; ip 10.0.3.1"},
		{name: "step", src: "~SEQ(S, 1, 2, 6) v ${S}\n", want: "v 1; v 3; v 5"},
		{name: "start end", src: "~SEQ(S, 3, 5) v ${S}\n", want: "v 3; v 4; v 5"},
		{name: "start end descending", src: "~SEQ(S, 5, 3) v ${S}\n", want: "v 5; v 4; v 3"},
		{name: "end only", src: "~SEQ(S, 3) v ${S}\n", want: "v 1; v 2; v 3"},
		{name: "end only zero", src: "~SEQ(S, 0) v ${S}\n", want: "v 1; v 0"},
		{name: "end only negative", src: "~SEQ(S, -2) v ${S}\n", want: "v -1; v -2"},
		{name: "hex output", src: "~SEQx(S, 144, 16, 192) ip fe80::20:${S}:1\n",
			want: "ip fe80::20:90:1; ip fe80::20:a0:1; ip fe80::20:b0:1; ip fe80::20:c0:1"},
		{name: "hex input", src: "~SEQx(S, 0x90, 0x10, 0xc0) ip ${S}\n", want: "ip 90; ip a0; ip b0; ip c0"},
		{name: "octal input", src: "~SEQ(S, 010, 011) v ${S}\n", want: "v 8; v 9"},
		{name: "dollar name form", src: "~SEQ(S, 1, 2) v $S\n", want: "v 1; v 2"},
		{name: "parameters in the arguments", src: "$N=3\n~SEQ(S, 1, $N) v ${S}\n", want: "v 1; v 2; v 3"},
		{name: "nested", src: "~SEQ(A, 1, 2) ~SEQ(B, 1, 2) v ${A}.${B}\n", want: "v 1.1; v 1.2; v 2.1; v 2.2"},
		{name: "in a block", src: "vip {\n ~SEQ(S, 1, 2) 10.0.0.${S}\n}\n", want: "vip {10.0.0.1; 10.0.0.2}"},
		{name: "from a parameter", src: "$L=~SEQ(S, 1, 2) v ${S}\n$L\n", want: "v 1; v 2"},
		{name: "repeats a multi-line parameter", src: "$M=a ${S} \\\nb ${S}\n~SEQ(S, 1, 2) $M\n", want: "a 1; b 1; a 2; b 2"},
		{name: "zero step", src: "~SEQ(S, 1, 0, 3) v\n", want: "",
			diags: []string{"~SEQ: expected a non-zero step going from 1 towards 3, found step 0"}, exit: 5},
		{name: "step away from end", src: "~SEQ(S, 1, -1, 3) v\n", want: "",
			diags: []string{"found step -1"}, exit: 5},
		{name: "hex negative", src: "~SEQx(S, -1, 3) v\n", want: "",
			diags: []string{"~SEQx: expected non-negative numbers"}, exit: 5},
		{name: "not a number", src: "~SEQ(S, 1, x) v\n", want: "",
			diags: []string{`~SEQ: expected an integer, found "x"`}, exit: 5},
		{name: "missing paren", src: "~SEQ S, 1, 2 v\n", want: "",
			diags: []string{"~SEQ: expected '(' after ~SEQ"}, exit: 5},
		{name: "unclosed paren", src: "~SEQ(S, 1, 2 v\n", want: "",
			diags: []string{"~SEQ: expected ')'"}, exit: 5},
		{name: "missing variable", src: "~SEQ(1) v\n", want: "",
			diags: []string{"~SEQ: expected (VAR, [START,] [STEP,] END)"}, exit: 5},
		{name: "too many repetitions", src: "~SEQ(S, 1, 100) v\n", opts: func(o *Options) { o.MaxLines = 50 }, want: "",
			diags: []string{"~SEQ: expected at most 50 repetitions, found 100"}, exit: 5},
		{name: "nested blow-up stops", src: "~SEQ(A, 1, 40) ~SEQ(B, 1, 40) v\n", opts: func(o *Options) { o.MaxLines = 500 },
			want:  strings.TrimSuffix(strings.Repeat("v; ", 499-13), "; "),
			diags: []string{"configuration expands to too many lines: expected at most 500"}, exit: 5},
		{name: "other tilde lines pass through", src: "~FOO x\n", want: "~FOO x"},
	})
}

func TestLst(t *testing.T) {
	runCases(t, []parseCase{
		{name: "single variable", src: "~LST(V, a, b, c) x ${V}\n", want: "x a; x b; x c"},
		{name: "groups", src: "~LST({IP, IP1}, {10,1},{20,4},{5,6},{12,8}) 192.168.${IP}.${IP1}\n",
			want: "192.168.10.1; 192.168.20.4; 192.168.5.6; 192.168.12.8"},
		{name: "nested", src: "~LST(IP, 1, 2) ~LST(IP1, 5,6,7) 192.169.${IP}.${IP1}\n",
			want: "192.169.1.5; 192.169.1.6; 192.169.1.7; 192.169.2.5; 192.169.2.6; 192.169.2.7"},
		{name: "with seq", src: "~LST({IP, IP1}, {10,1},{20,4}) ~SEQ(IP2,168,2,172) 192.${IP2}.${IP}.${IP1}\n",
			want: "192.168.10.1; 192.170.10.1; 192.172.10.1; 192.168.20.4; 192.170.20.4; 192.172.20.4"},
		{name: "parameters in values", src: "$A=x\n~LST(V, $A, y) v ${V}\n", want: "v x; v y"},
		{name: "group size mismatch", src: "~LST({A,B}, {1,2}, {3}) v\n", want: "",
			diags: []string{"~LST: expected 2 values in each group to match {A,B}, found {3}"}, exit: 5},
		{name: "no values", src: "~LST(V) v\n", want: "",
			diags: []string{"~LST: expected (VAR, VALUE, ...) with at least one value"}, exit: 5},
		{name: "bad variable", src: "~LST(1x, a) v\n", want: "",
			diags: []string{`~LST: expected a parameter name, found "1x"`}, exit: 5},
	})
}
