package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"net/netip"
	"os"
	"path/filepath"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The types below stand in for the configuration model: they carry every kind of value the printer
// must handle, and they do not change when the real model grows, so the goldens stay meaningful.

type testState int

func (s testState) String() string { return [...]string{"INIT", "BACKUP", "MASTER"}[s] }

type Pos struct{ File string }

type testVIP struct {
	Prefix netip.Prefix
	Dev    string
	Label  string
}

type testInstance struct {
	Name      string
	State     testState
	Priority  int
	Advert    time.Duration
	Preempt   bool
	VIPs      []testVIP
	Peers     []netip.Addr
	Weights   map[string]int
	Auth      []byte
	Group     *testGroup
	Pos       Pos
	Internal  string `dump:"-"`
	unexposed int
}

type testGroup struct {
	Name    string
	Members []*testInstance
}

type testSection struct{ Instances []*testInstance }

type testGlobal struct {
	RouterID string
	Strict   bool
	Delay    time.Duration
	Ratio    float64
}

type testModel struct {
	Global testGlobal
	testSection
	Empty    []string
	Notes    []string
	Nothing  *testGroup
	Any      any
	Callback func()
}

func testModelValue() *testModel {
	g := &testGroup{Name: "G1"}
	vi1 := &testInstance{
		Name: "VI_1", State: 2, Priority: 150, Advert: 1500 * time.Millisecond, Preempt: true,
		VIPs: []testVIP{
			{Prefix: netip.MustParsePrefix("203.0.113.10/32"), Dev: "eth0", Label: "eth0:vip"},
			{Prefix: netip.MustParsePrefix("2001:db8::10/64")},
		},
		Peers:    []netip.Addr{netip.MustParseAddr("198.51.100.2"), netip.MustParseAddr("198.51.100.3")},
		Weights:  map[string]int{"chk_b": -20, "chk_a": 10},
		Auth:     []byte{0xde, 0xad},
		Group:    g,
		Pos:      Pos{File: "x.conf"},
		Internal: "hidden", unexposed: 1,
	}
	vi2 := &testInstance{Name: "VI 2", Priority: 0} // State INIT (zero) is still printed
	g.Members = []*testInstance{vi1, vi2}
	return &testModel{
		Global:      testGlobal{RouterID: "r1", Strict: true, Delay: 0, Ratio: 0.25},
		testSection: testSection{Instances: []*testInstance{vi1, vi2}},
		Empty:       []string{},
		Notes:       []string{"", "- dash", "a: b"},
		Any:         42,
		Callback:    func() {},
	}
}

func TestDumpGolden(t *testing.T) {
	tree := Tree(testModelValue())
	for _, f := range []struct {
		name  string
		write func(*bytes.Buffer) error
	}{
		{"model.txt", func(b *bytes.Buffer) error { return WriteText(b, tree) }},
		{"model.json", func(b *bytes.Buffer) error { return WriteJSON(b, tree) }},
	} {
		var b bytes.Buffer
		if err := f.write(&b); err != nil {
			t.Fatal(err)
		}
		golden := filepath.Join("testdata", "dump", f.name)
		if *update {
			if err := os.WriteFile(golden, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("%s differs from golden (go test ./internal/cli -run Dump -update):\n%s", f.name, b.String())
		}
	}
}

func TestDumpJSONMatchesText(t *testing.T) {
	var b bytes.Buffer
	if err := WriteJSON(&b, Tree(testModelValue())); err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b.Bytes(), &doc); err != nil {
		t.Fatalf("dump JSON does not parse: %v\n%s", err, b.String())
	}
	insts := doc["Instances"].([]any)
	vi1 := insts[0].(map[string]any)
	if vi1["Advert"] != "1.5s" || vi1["State"] != "MASTER" || vi1["Priority"] != float64(150) {
		t.Errorf("VI_1 = %v", vi1)
	}
	if _, ok := doc["Global"].(map[string]any)["Delay"]; ok {
		t.Errorf("zero Delay was dumped")
	}
}

func TestDumpNil(t *testing.T) {
	if v := Tree(nil); v != nil {
		t.Errorf("Tree(nil) = %+v", v)
	}
	var b bytes.Buffer
	if err := WriteJSON(&b, nil); err != nil || b.String() != "null\n" {
		t.Errorf("WriteJSON(nil) = %q, %v", b.String(), err)
	}
}
