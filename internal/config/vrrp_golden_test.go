package config

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

var updateVRRPGolden = flag.Bool("update-vrrp", false, "rewrite testdata/vrrp/*.golden")

// TestVRRPGolden interprets every testdata/vrrp/*.conf and compares the diagnostics and the VRRP
// model (as JSON) with the .golden file next to it. Run with -update-vrrp to refresh them.
func TestVRRPGolden(t *testing.T) {
	files, err := filepath.Glob("testdata/vrrp/*.conf")
	if err != nil || len(files) == 0 {
		t.Fatalf("no golden inputs: %v", err)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			src, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			name := filepath.Base(f)
			cfg, d := LoadString(name, string(src), LoadOptions{})
			var b bytes.Buffer
			b.WriteString(d.String())
			b.WriteString("---\n")
			model, err := json.MarshalIndent(cfg.VRRPSection, "", "  ")
			if err != nil {
				t.Fatal(err)
			}
			b.Write(model)
			b.WriteByte('\n')
			golden := strings.TrimSuffix(f, ".conf") + ".golden"
			if *updateVRRPGolden {
				if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -run TestVRRPGolden -update-vrrp)", err)
			}
			if !bytes.Equal(b.Bytes(), want) {
				t.Errorf("%s differs from %s:\n%s", name, golden, lineDiff(string(want), b.String()))
			}
		})
	}
}

// lineDiff shows the first differing lines.
func lineDiff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\n want: " + w + "\n got:  " + g
		}
	}
	return ""
}

// FuzzInterpretVRRP feeds configuration text through LoadString: whatever the input, interpreting
// must not panic and must return a model.
func FuzzInterpretVRRP(f *testing.F) {
	files, _ := filepath.Glob("testdata/vrrp/*.conf")
	for _, fn := range files {
		if b, err := os.ReadFile(fn); err == nil {
			f.Add(string(b))
		}
	}
	f.Add(vi(" virtual_ipaddress {\n  2001:db8::1 brd + label x peer\n }\n virtual_routes {\n  nexthop via\n or\n }"))
	f.Add("vrrp_instance\nvrrp_sync_group G {\n group\n}\nvrrp_script\nstatic_rules {\n from\n}\n")
	f.Fuzz(func(t *testing.T, src string) {
		cfg, _ := LoadString("fuzz.conf", src, LoadOptions{})
		if cfg == nil {
			t.Fatal("nil config")
		}
		for _, v := range cfg.Instances {
			if v.Priority < 1 || v.Priority > 255 || (v.Version != 2 && v.Version != 3) || v.VRID < 1 || v.VRID > 255 {
				t.Fatalf("instance %s out of range: prio %d version %d vrid %d", v.Name, v.Priority, v.Version, v.VRID)
			}
		}
	})
}
