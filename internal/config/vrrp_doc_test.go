package config

import (
	"os"
	"regexp"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// TestVRRPDocCoversKeywords keeps docs/config/vrrp.md complete: every keyword of the top-level,
// global_defs and vrrp_instance tables must appear in it as code ("`keyword" followed by a
// non-name character).
func TestVRRPDocCoversKeywords(t *testing.T) {
	doc, err := os.ReadFile("../../docs/config/vrrp.md")
	if err != nil {
		t.Fatal(err)
	}
	p := &parser{cfg: &Config{}}
	tables := map[string]keywords{
		"top level":     p.commonTopKeywords(),
		"VRRP top":      p.vrrpTopKeywords(),
		"global_defs":   p.globalDefsKeywords(),
		"vrrp_instance": p.instanceKeywords(newInstance(&syntax.Node{}, "x")),
	}
	for table, kws := range tables {
		for kw := range kws {
			re := regexp.MustCompile("(`|, )" + regexp.QuoteMeta(kw) + "[` ,]")
			if !re.Match(doc) {
				t.Errorf("%s keyword %q is not documented in docs/config/vrrp.md", table, kw)
			}
		}
	}
}
