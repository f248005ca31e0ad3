package config

import (
	"bufio"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// keepalivedLine matches a line-numbered message in the recorded `keepalived -t` output.
var keepalivedLine = regexp.MustCompile(`^L(\d+)\) (.*)$`)

// keepalivedOnly are recorded messages gokeepalived does not reproduce: keepalived reports a missing
// track_file twice, and the sh-/mh- flags are checked against the final scheduler rather than the one
// given so far.
var keepalivedOnly = []string{"FILE_CHECK has no track_file", "only applies to sh scheduler"}

// TestLVSConformanceKeepalived compares our config-test result with keepalived 2.2.7's, recorded in
// testdata/lvs/conformance (keepalived-2.2.7.rc holds `keepalived -t` exit codes; NAME.keepalived its
// messages, "Lnn)" for those with a line number). The exit code must be equal, and every line
// keepalived complains about must get a diagnostic from us too: on that line, or with the same text
// (keepalived reports end-of-block checks at the closing brace, we report them at the block).
func TestLVSConformanceKeepalived(t *testing.T) {
	dir := "testdata/lvs/conformance"
	f, err := os.Open(filepath.Join(dir, "keepalived-2.2.7.rc"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		name, rcStr, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		n++
		want, _ := strconv.Atoi(rcStr)
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(dir, name)
			_, diags := Load(path, LoadOptions{})
			if got := diags.ExitCode(); got != want {
				t.Errorf("exit code %d, keepalived %d; diagnostics:\n%s", got, want, diags)
			}
			lines := map[int]bool{}
			for _, d := range diags {
				lines[d.Pos.Line] = true
			}
			out, err := os.ReadFile(strings.TrimSuffix(path, ".conf") + ".keepalived")
			if err != nil {
				return // no recorded messages for this file
			}
		next:
			for _, l := range strings.Split(string(out), "\n") {
				m := keepalivedLine.FindStringSubmatch(l)
				if m == nil {
					continue
				}
				for _, s := range keepalivedOnly {
					if strings.Contains(m[2], s) {
						continue next
					}
				}
				key, _, _ := strings.Cut(m[2], " - ")
				same := false
				for _, d := range diags {
					same = same || strings.Contains(d.Msg, key)
				}
				if ln, _ := strconv.Atoi(m[1]); !lines[ln] && !same {
					t.Errorf("keepalived reports line %s (%q); we report nothing there; ours:\n%s", m[1], m[2], diags)
				}
			}
		})
	}
	if n == 0 {
		t.Fatal("no conformance cases")
	}
}
