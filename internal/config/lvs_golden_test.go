package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

var updateLVSGolden = flag.Bool("update-lvs", false, "rewrite testdata/lvs/*.golden")

// TestLVSGolden loads every testdata/lvs/*.conf (keepalived's samples and our own) and compares the
// diagnostics and the whole LVS model, as JSON, with the .golden file next to it.
func TestLVSGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/lvs/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/lvs/*.conf: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			cfg, diags := Load(f, LoadOptions{})
			if cfg == nil {
				t.Fatalf("Load(%s) = nil: %s", f, diags)
			}
			got := renderLVSGolden(t, cfg, diags)
			golden := strings.TrimSuffix(f, ".conf") + ".golden"
			if *updateLVSGolden {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestLVSGolden -update-lvs)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from %s; got:\n%s", f, golden, got)
			}
		})
	}
}

// renderLVSGolden renders the diagnostics, one a line, then the LVS section as indented JSON.
func renderLVSGolden(t *testing.T, cfg *Config, diags syntax.Diagnostics) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("# diagnostics\n")
	b.WriteString(diags.String())
	b.WriteString("# model\n")
	js, err := json.MarshalIndent(cfg.LVSSection, "", "  ")
	if err != nil {
		t.Fatalf("marshal: %v", err)
	}
	b.Write(js)
	b.WriteByte('\n')
	return b.Bytes()
}
