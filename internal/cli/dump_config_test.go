package cli

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDumpConfigGolden dumps real configurations. The model grows while gokeepalived is built, so
// the golden files are checked as an ordered subsequence: every golden line must appear in the dump,
// in order, and new fields may appear between them. -update rewrites the goldens with the full dump.
func TestDumpConfigGolden(t *testing.T) {
	for _, name := range []string{"small", "expanded"} {
		for _, format := range []string{"txt", "json"} {
			t.Run(name+"."+format, func(t *testing.T) {
				args := []string{"-d", "-f", filepath.Join("testdata", "dump", name+".conf")}
				if format == "json" {
					args = append(args, "--json")
				}
				code, out, errOut := run(t, Env{}, args...)
				if code != 0 {
					t.Fatalf("exit %d: %s", code, errOut)
				}
				golden := filepath.Join("testdata", "dump", name+".dump."+format)
				if *update {
					if err := os.WriteFile(golden, []byte(out), 0o644); err != nil {
						t.Fatal(err)
					}
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatal(err)
				}
				if missing := missingInOrder(strings.Split(strings.TrimRight(string(want), "\n"), "\n"), strings.Split(out, "\n")); missing != "" {
					t.Errorf("dump lacks golden line %q (in order); dump:\n%s", missing, out)
				}
			})
		}
	}
}

// missingInOrder returns the first line of want not found in got after the previous match, or "".
// A trailing comma is ignored, so that a JSON field that becomes the last of its object still matches.
func missingInOrder(want, got []string) string {
	i := 0
	for _, w := range want {
		for i < len(got) && strings.TrimSuffix(got[i], ",") != strings.TrimSuffix(w, ",") {
			i++
		}
		if i == len(got) {
			return w
		}
		i++
	}
	return ""
}

func TestMissingInOrder(t *testing.T) {
	got := []string{"a", "x", "b", "c"}
	if m := missingInOrder([]string{"a", "b", "c"}, got); m != "" {
		t.Errorf("subsequence reported missing %q", m)
	}
	if m := missingInOrder([]string{"b", "a"}, got); m != "a" {
		t.Errorf("out-of-order line not reported: %q", m)
	}
	if m := missingInOrder([]string{`"x": 1,`}, []string{`"x": 1`}); m != "" {
		t.Errorf("trailing comma not ignored: %q", m)
	}
}

// TestDumpSamples dumps every keepalived sample: the dump must be deterministic and its JSON valid.
func TestDumpSamples(t *testing.T) {
	files, _ := filepath.Glob("/usr/share/doc/keepalived/samples/keepalived.conf.*")
	if len(files) == 0 {
		t.Skip("keepalived samples not installed")
	}
	for _, f := range files {
		_, a, _ := run(t, Env{}, "-d", "-f", f)
		_, b, _ := run(t, Env{}, "-d", "-f", f)
		if a != b || a == "" {
			t.Errorf("%s: dump empty or not deterministic", filepath.Base(f))
		}
		_, j, _ := run(t, Env{}, "-d", "--json", "-f", f)
		if !json.Valid([]byte(j)) {
			t.Errorf("%s: --json output is not valid JSON", filepath.Base(f))
		}
		var buf bytes.Buffer
		if err := json.Indent(&buf, []byte(j), "", "  "); err != nil || buf.String() != j {
			t.Errorf("%s: --json output is not canonically indented", filepath.Base(f))
		}
	}
}
