package conformance

import (
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

var (
	update = flag.Bool("update", false, "re-run keepalived 2.2.7 (root, network namespace) and rewrite testdata/keepalived-2.2.7")
	// A stale entry only logs by default, so that the model catching up never breaks the build;
	// -stale-known makes it fail, for cleaning the file.
	staleKnown = flag.Bool("stale-known", false, "fail on known-differences.txt entries that no case needs")
)

const recordDir = "testdata/keepalived-2.2.7"

// sampleCases returns the conformance cases, skipping the test when keepalived's samples are not
// installed (scripts/install-deps.sh installs the keepalived package).
func sampleCases(t *testing.T) []Case {
	t.Helper()
	if _, err := os.Stat(SamplesDir); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not installed (apt-get install keepalived)", SamplesDir)
	}
	def := DefaultConfigSample
	if _, err := os.Stat(def); err != nil {
		def = ""
	}
	cs, err := Cases(SamplesDir, def, "testdata/configs")
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		t.Fatalf("no keepalived.conf.* samples in %s", SamplesDir)
	}
	return cs
}

// readRecord reads keepalived's golden answer for a case.
func readRecord(t *testing.T, name string) (Record, bool) {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(recordDir, name+".txt"))
	if errors.Is(err, os.ErrNotExist) {
		return Record{}, false
	}
	if err != nil {
		t.Fatal(err)
	}
	r, err := ParseRecord(string(b))
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return r, true
}

// knownDifferences loads testdata/known-differences.txt.
func knownDifferences(t *testing.T) map[string]Known {
	t.Helper()
	b, err := os.ReadFile("testdata/known-differences.txt")
	if err != nil {
		t.Fatal(err)
	}
	k, err := ParseKnown(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// oursInProcess runs gokeepalived's config test for c through the command-line parser and the
// config loader, as `gokeepalived -t` does. Info diagnostics count when they name a problem kind:
// keepalived -t prints such notes too without changing its exit code ("Config files missing" for an
// include that matches nothing); an info line of no known kind is an explanation, not a problem.
func oursInProcess(t *testing.T, c Case) Record {
	t.Helper()
	opts, err := cli.Parse(c.Args(), syntax.DefaultConfigID())
	if err != nil {
		t.Fatal(err)
	}
	_, diags := cli.Check(opts)
	r := Record{Exit: diags.ExitCode()}
	for _, d := range diags {
		if d.Severity == syntax.Info && Classify(d.Msg) == Other {
			continue
		}
		r.Lines = append(r.Lines, Line{Line: d.Pos.Line, Msg: d.Msg})
	}
	return r
}

// ourDiagLine matches gokeepalived -t output: "file:line: level: message".
var ourDiagLine = regexp.MustCompile(`^.*:(\d+): (info|warning|error|fatal|security): (.*)$`)

// parseOurOutput reads gokeepalived -t output into a record, keeping info lines as oursInProcess does.
func parseOurOutput(exit int, out string) Record {
	r := Record{Exit: exit}
	for _, s := range strings.Split(out, "\n") {
		m := ourDiagLine.FindStringSubmatch(s)
		if m == nil || (m[2] == "info" && Classify(m[3]) == Other) {
			continue
		}
		n, _ := strconv.Atoi(m[1])
		r.Lines = append(r.Lines, Line{Line: n, Msg: m[3]})
	}
	return r
}

// differenceChecker fails on differences not listed in known-differences.txt and remembers which
// entries were used.
type differenceChecker struct {
	known map[string]Known
	used  map[string]bool
}

func (dc *differenceChecker) check(t *testing.T, diffs []Difference) {
	t.Helper()
	for _, d := range diffs {
		if k, ok := dc.known[d.Key()]; ok {
			dc.used[d.Key()] = true
			t.Logf("known difference [%s] %s %s: %s (%s)", k.Tag, d.Case, d.Item, d.Detail, k.Reason)
			continue
		}
		t.Errorf("unexpected difference %s: %s\n\tif it is intended, add to testdata/known-differences.txt:\n\t%s",
			d.Item, d.Detail, d.KnownLine("TAG", "REASON"))
	}
}

// reportStale logs entries no case needed: the model has caught up and they can go.
func (dc *differenceChecker) reportStale(t *testing.T) {
	t.Helper()
	var stale []string
	for key := range dc.known {
		if !dc.used[key] {
			stale = append(stale, key)
		}
	}
	sort.Strings(stale)
	for _, s := range stale {
		if *staleKnown {
			t.Errorf("known-differences.txt entry no longer needed: %s", s)
		} else {
			t.Logf("known-differences.txt entry no longer needed: %s", s)
		}
	}
}

// TestSamplesAgainstRecord compares gokeepalived's config test with keepalived 2.2.7's recorded
// answers on every sample. It needs the samples (the keepalived package) but not root.
func TestSamplesAgainstRecord(t *testing.T) {
	cases := sampleCases(t)
	dc := &differenceChecker{known: knownDifferences(t), used: map[string]bool{}}
	for _, c := range cases {
		t.Run(c.Name, func(t *testing.T) {
			rec, ok := readRecord(t, c.Name)
			if !ok {
				t.Fatalf("no record for %s: run `go test ./internal/conformance -run Live -update` as root with keepalived 2.2.7", c.Name)
			}
			dc.check(t, Compare(c.Name, rec, oursInProcess(t, c)))
		})
	}
	dc.reportStale(t)
}

// TestRecordsClassify checks that every message keepalived printed maps to a known kind, so that
// no keepalived problem is silently compared as "other".
func TestRecordsClassify(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(recordDir, "*.txt"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no records in %s (%v)", recordDir, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		r, err := ParseRecord(string(b))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		for _, l := range r.Lines {
			if Classify(l.Msg) == Other {
				t.Errorf("%s: keepalived message not classified: %q", filepath.Base(f), l.Msg)
			}
		}
	}
}

// TestKnownDifferencesParse checks the known-differences file itself: every entry well formed, with
// a tag and a reason, for a case that exists.
func TestKnownDifferencesParse(t *testing.T) {
	known := knownDifferences(t)
	files, _ := filepath.Glob(filepath.Join(recordDir, "*.txt"))
	cases := map[string]bool{}
	for _, f := range files {
		cases[strings.TrimSuffix(filepath.Base(f), ".txt")] = true
	}
	for _, k := range known {
		if !cases[k.Case] {
			t.Errorf("known difference for unknown case %q", k.Case)
		}
	}
}
