package syntax

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// TestGolden parses every testdata/*.conf with config-id "main" and compares the node dump and the
// diagnostics with testdata/*.golden. Run with -update after a deliberate change.
func TestGolden(t *testing.T) {
	confs, err := filepath.Glob("testdata/*.conf")
	if err != nil || len(confs) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, conf := range confs {
		t.Run(strings.TrimSuffix(filepath.Base(conf), ".conf"), func(t *testing.T) {
			opts := testOptions(nil)
			opts.FS = FromFS(os.DirFS("."))
			nodes, diags := ParseFile(conf, opts)
			got := dump(nodes) + "--- diagnostics (exit " + string(rune('0'+diags.ExitCode())) + ")\n" + diags.String()
			golden := strings.TrimSuffix(conf, ".conf") + ".golden"
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to create it)", err)
			}
			if got != string(want) {
				t.Errorf("%s differs from %s:\n%s", conf, golden, got)
			}
		})
	}
}
