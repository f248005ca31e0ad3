package syntax

import (
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"
)

// fuzzFiles gives included names something to find, including a loop.
var fuzzFiles = fstest.MapFS{
	"a.conf":      file("a 1\n$F=x\n"),
	"b.conf":      file("b {\ninclude a.conf\n"),
	"loop.conf":   file("include loop.conf\n"),
	"d/c.conf":    file("~SEQ(Q, 1, 3) c ${Q}\n"),
	"d/exec.conf": &fstest.MapFile{Data: []byte("x\n"), Mode: 0o755},
}

// FuzzParse checks that no input crashes or hangs the preprocessor: ~SEQ/~LST repetition,
// recursive and multi-line parameters and includes are all bounded, and every node carries a
// position.
func FuzzParse(f *testing.F) {
	confs, _ := filepath.Glob("testdata/*.conf")
	for _, c := range confs {
		if data, err := os.ReadFile(c); err == nil {
			f.Add(string(data))
		}
	}
	for _, s := range []string{
		"a {\n b }\n}\n{\n",
		"@main a\n@^main b\n@ c\n@\n@^\n",
		"$A=${A}${A}\nv $A\n",
		"$M= \\\n$M \\\nx\n$M\n",
		"~SEQ(A,1,1000000) ~SEQ(B,1,1000000) v\n",
		"~LST({A,B},{1,2},{3,4}) ~SEQx(C,0x0,0xff) ${A}${B}${C}\n",
		"include *.conf\ninclude {a,b,d/*}.conf\nincludea nothere\ninclude_check +match -brace_match\n",
		"include loop.conf\n",
		"x \"unterminated\n\\#\\!\\\n${_RANDOM 1 2}${_ENV X}${_PWD}${_HASH}${_BANG}${_INSTANCE}\n",
		"a\x00b\r\n\r\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		opts := testOptions(fuzzFiles)
		opts.MaxLines = 2000
		nodes, diags := ParseString("k.conf", src, opts)
		var check func([]*Node, int)
		check = func(ns []*Node, depth int) {
			for _, n := range ns {
				if n.Pos.Line < 1 {
					t.Fatalf("node %q without a line number", n.Raw)
				}
				if !n.HasBlock && len(n.Block) > 0 {
					t.Fatalf("node %q has children but no block", n.Raw)
				}
				check(n.Block, depth+1)
			}
		}
		check(nodes, 0)
		switch diags.ExitCode() {
		case ExitOK, ExitFatal, ExitErrors:
		default:
			t.Fatalf("exit code %d", diags.ExitCode())
		}
	})
}

// FuzzSplitQuoted checks that SplitQuoted never crashes, that its result never holds more words
// than the input has bytes, and that plain words come back unchanged.
func FuzzSplitQuoted(f *testing.F) {
	for _, s := range []string{
		"", "a b", `"a b" 'c d'`, `\x41\101\cA\E\\`, `a "b`, `a\`, `'\"s p a c e \"'`, "\x00\xff",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		words, err := SplitQuoted(s)
		if err != nil {
			return
		}
		if len(words) > len(s) {
			t.Fatalf("%d words from %d bytes", len(words), len(s))
		}
		// Re-quoting each word in single quotes, with backslashes escaped, gives back the words.
		var b []byte
		for _, w := range words {
			b = append(b, '\'')
			for i := 0; i < len(w); i++ {
				if w[i] == '\\' || w[i] == '\'' {
					b = append(b, '\\')
				}
				b = append(b, w[i])
			}
			b = append(b, '\'', ' ')
		}
		again, err := SplitQuoted(string(b))
		if err != nil {
			t.Fatalf("re-quoted %q: %v", b, err)
		}
		if len(again) != len(words) {
			t.Fatalf("round trip of %q: %q became %q", s, words, again)
		}
		for i := range words {
			if again[i] != words[i] {
				t.Fatalf("round trip of %q: %q became %q", s, words, again)
			}
		}
	})
}
