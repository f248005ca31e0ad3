package syntax

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func file(s string) *fstest.MapFile { return &fstest.MapFile{Data: []byte(s), Mode: 0o644} }

func TestInclude(t *testing.T) {
	files := fstest.MapFS{
		"etc/ka/a.conf":          file("a 1\n"),
		"etc/ka/b.conf":          file("b 2\n"),
		"etc/ka/conf.d/x.conf":   file("x 1\ninclude ../a.conf\n"),
		"etc/ka/conf.d/y.conf":   file("y 1\n"),
		"etc/ka/conf.d/sub":      &fstest.MapFile{Mode: os.ModeDir | 0o755},
		"etc/ka/exec.conf":       &fstest.MapFile{Data: []byte("e\n"), Mode: 0o755},
		"etc/ka/loop1.conf":      file("l1\ninclude loop2.conf\n"),
		"etc/ka/loop2.conf":      file("l2\ninclude loop1.conf\n"),
		"etc/ka/self.conf":       file("s\ninclude self.conf\n"),
		"etc/ka/inner.conf":      file("  inner 1\n}\n"),
		"etc/ka/pwd.conf":        file("p ${_PWD}\n"),
		"etc/ka/check.conf":      file("include_check -match -wildcard_match\ninclude nothere.conf\n"),
		"etc/ka/defs.conf":       file("$FROM_INC=yes\n"),
		"etc/ka/err.conf":        file("ok 1\n}\n"),
		"etc/ka/multi/one.conf":  file("m 1\n"),
		"etc/ka/multi/two.conf":  file("m 2\n"),
		"etc/ka/multi/three.txt": file("m 3\n"),
	}
	all := func(o *Options) { o.AllConfig = true }
	cases := []struct {
		name  string
		src   string
		opts  func(*Options)
		want  string
		diags []string
		exit  int
	}{
		{name: "relative to the including file", src: "include a.conf\nafter\n", want: "a 1; after"},
		{name: "absolute", src: "include /etc/ka/b.conf\n", want: "b 2"},
		{name: "glob in order", src: "include conf.d/*.conf\n", want: "x 1; a 1; y 1"},
		{name: "nested include is relative to its own file", src: "include conf.d/x.conf\n", want: "x 1; a 1"},
		{name: "brace expansion", src: "include {b,a}.conf\n", want: "b 2; a 1"},
		{name: "nested braces and glob", src: "include multi/{t{wo,hree},one}.{conf,txt}\n", want: "m 2; m 3; m 1"},
		{name: "directories are skipped", src: "include conf.d/*\n", want: "x 1; a 1; y 1"},
		{name: "include inside a block", src: "vrrp_instance V {\ninclude a.conf\n}\n", want: "vrrp_instance V {a 1}"},
		{name: "block closed in the included file", src: "vs {\ninclude inner.conf\nafter\n", want: "vs {inner 1}; after"},
		{name: "parameters in the include line", src: "$F=b\ninclude ${F}.conf\n", want: "b 2"},
		{name: "_PWD include", src: "include ${_PWD}/b.conf\n", want: "b 2"},
		{name: "_PWD in the included file", src: "include pwd.conf\n", want: "p /etc/ka"},
		{name: "conditional include", src: "@other include a.conf\n@main include b.conf\n", want: "b 2"},
		{name: "definitions are global", src: "include defs.conf\nv $FROM_INC\n", want: "v yes"},
		{name: "positions point into the included file", src: "include err.conf\n", want: "ok 1",
			diags: []string{"/etc/ka/err.conf:2: error: extra '}' found"}, exit: 5},
		{name: "plain include of a missing file is not an error", src: "include nothere.conf\nz\n", want: "z",
			diags: []string{"/etc/ka/k.conf:1: info: include nothere.conf: no configuration file matched"}},
		{name: "plain include of an empty glob", src: "include none.d/*.conf\n", want: "",
			diags: []string{"info: include none.d/*.conf: no configuration file matched"}},
		{name: "includem of a missing file", src: "includem nothere.conf\n", want: "",
			diags: []string{"/etc/ka/k.conf:1: fatal: includem nothere.conf: expected a matching file, found none"}, exit: 4},
		{name: "includem of an empty glob is allowed", src: "includem none.d/*.conf\n", want: "",
			diags: []string{"info: includem none.d/*.conf"}},
		{name: "includew of an empty glob", src: "includew none.d/*.conf\n", want: "",
			diags: []string{"fatal: includew none.d/*.conf: expected a matching file, found none"}, exit: 4},
		{name: "includeb with an unmatched alternative", src: "includeb {a,zz}.conf\n", want: "a 1",
			diags: []string{`fatal: includeb {a,zz}.conf: expected the brace alternative "/etc/ka/zz.conf" to match a file, found none`}, exit: 4},
		{name: "include with an unmatched alternative", src: "include {a,zz}.conf\n", want: "a 1"},
		{name: "includer of an executable", src: "includer exec.conf\n", want: "",
			diags: []string{"fatal: include /etc/ka/exec.conf: expected a regular non-executable file"}, exit: 4},
		{name: "plain include of an executable", src: "include exec.conf\n", want: "",
			diags: []string{"info: include /etc/ka/exec.conf: expected a regular non-executable file"}},
		{name: "all-config makes a missing file fatal", src: "include nothere.conf\n", opts: all, want: "",
			diags: []string{"fatal: include nothere.conf: expected a matching file"}, exit: 4},
		{name: "include_check keyword", src: "include_check\ninclude nothere.conf\n", want: "include_check",
			diags: []string{"fatal: include nothere.conf"}, exit: 4},
		{name: "include_check in an included file is restored", src: "include check.conf\ninclude nothere.conf\n", opts: all,
			want:  "include_check -match -wildcard_match",
			diags: []string{"/etc/ka/check.conf:2: info: include nothere.conf", "/etc/ka/k.conf:2: fatal: include nothere.conf"}, exit: 4},
		{name: "include_check bad option", src: "include_check sometimes\n", want: "include_check sometimes",
			diags: []string{`include_check: expected readable, match, wildcard_match or brace_match, found "sometimes"`}, exit: 5},
		{name: "include loop", src: "include loop1.conf\n", want: "l1; l2",
			diags: []string{"/etc/ka/loop2.conf:2: error: include loop1.conf: expected a file not already being read, found an include loop /etc/ka/loop1.conf -> /etc/ka/loop2.conf -> /etc/ka/loop1.conf"}, exit: 5},
		{name: "file includes itself", src: "include self.conf\n", want: "s",
			diags: []string{"include loop /etc/ka/self.conf -> /etc/ka/self.conf"}, exit: 5},
		{name: "include with two names", src: "include a.conf b.conf\n", want: "",
			diags: []string{`include: expected exactly one file name, found 2 words`}, exit: 5},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			opts := testOptions(files)
			if tc.opts != nil {
				tc.opts(&opts)
			}
			nodes, diags := ParseString("/etc/ka/k.conf", tc.src, opts)
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

func TestMainFileIncludesItself(t *testing.T) {
	files := fstest.MapFS{"etc/ka/main.conf": file("m\ninclude main.conf\n")}
	nodes, diags := ParseFile("/etc/ka/main.conf", testOptions(files))
	if got := compact(nodes); got != "m" {
		t.Errorf("tree %s", got)
	}
	if len(diags) != 1 || !strings.Contains(diags[0].Msg, "include loop /etc/ka/main.conf -> /etc/ka/main.conf") {
		t.Errorf("diagnostics %s", diags)
	}
}

func TestIncludePositions(t *testing.T) {
	files := fstest.MapFS{"etc/ka/a.conf": file("\n\nvrrp_instance A {\n}\n")}
	nodes, diags := ParseString("/etc/ka/k.conf", "g\ninclude a.conf\nh\n", testOptions(files))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	var got []string
	for _, n := range nodes {
		got = append(got, n.Pos.String())
	}
	want := []string{"/etc/ka/k.conf:1", "/etc/ka/a.conf:3", "/etc/ka/k.conf:3"}
	if !slices.Equal(got, want) {
		t.Errorf("positions %q, want %q", got, want)
	}
}

// TestIncludeRealFiles reads real files, with a glob, braces, a relative nested include and
// ${_PWD}, from a temporary directory.
func TestIncludeRealFiles(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	write("keepalived.conf", "global_defs {\n  router_id r1\n}\ninclude conf.d/*.conf\ninclude {vrrp,lvs}/main.conf\ninclude ${_PWD}/tail.conf\n", 0o644)
	write("conf.d/10-a.conf", "a 1\n", 0o644)
	write("conf.d/20-b.conf", "b 2\ninclude ../extra/e.conf\n", 0o644)
	write("conf.d/30-x.conf", "x 3\n", 0o755) // executable: skipped, as keepalived does
	write("extra/e.conf", "e 5\n", 0o644)
	write("vrrp/main.conf", "vrrp_instance V {\n  state BACKUP\n}\n", 0o644)
	write("lvs/main.conf", "virtual_server 203.0.113.1 80 {\n}\n", 0o644)
	write("tail.conf", "t ${_PWD}\n", 0o644)

	var read []string
	opts := Options{ConfigID: "main", OnFile: func(name string) { read = append(read, name) }}
	main := filepath.Join(dir, "keepalived.conf")
	nodes, diags := ParseFile(main, opts)
	if diags.ExitCode() != ExitOK {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	want := "global_defs {router_id r1}; a 1; b 2; e 5; vrrp_instance V {state BACKUP}; virtual_server 203.0.113.1 80 {}; t " + dir
	if got := compact(nodes); got != want {
		t.Errorf("tree:\n got %s\nwant %s", got, want)
	}
	wantRead := []string{main,
		filepath.Join(dir, "conf.d/10-a.conf"), filepath.Join(dir, "conf.d/20-b.conf"),
		dir + "/conf.d/../extra/e.conf",
		filepath.Join(dir, "vrrp/main.conf"), filepath.Join(dir, "lvs/main.conf"), filepath.Join(dir, "tail.conf")}
	if !slices.Equal(read, wantRead) {
		t.Errorf("files read:\n got %q\nwant %q", read, wantRead)
	}
	if got := nodes[3].Pos; got.File != dir+"/conf.d/../extra/e.conf" || got.Line != 1 {
		t.Errorf("position of e: %v", got)
	}

	// A relative main file name gives relative positions and includes, and an absolute ${_PWD}.
	t.Chdir(dir)
	nodes, diags = ParseFile("keepalived.conf", Options{})
	if diags.ExitCode() != ExitOK {
		t.Fatalf("diagnostics:\n%s", diags)
	}
	if got := nodes[1].Pos.String(); got != "conf.d/10-a.conf:1" {
		t.Errorf("relative position %s", got)
	}
	if got := nodes[len(nodes)-1].Args[1]; got != dir {
		t.Errorf("${_PWD} = %q, want %q", got, dir)
	}

	// An executable main file is refused, as keepalived does.
	if err := os.Chmod(main, 0o755); err != nil {
		t.Fatal(err)
	}
	if _, diags = ParseFile(main, Options{}); diags.ExitCode() != ExitFatal || !strings.Contains(diags.String(), "expected a regular non-executable file") {
		t.Errorf("executable main file: %s", diags)
	}

	// A missing main file is fatal.
	_, diags = ParseFile(filepath.Join(dir, "missing.conf"), Options{})
	if diags.ExitCode() != ExitFatal {
		t.Errorf("missing main file: exit %d, diags %s", diags.ExitCode(), diags)
	}
}
