package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryOption keeps docs/cli.md's option table in step with the option table.
func TestDocsListEveryOption(t *testing.T) {
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	for _, o := range options {
		name := "`--" + o.long + "`"
		if o.short != 0 {
			name = fmt.Sprintf("`-%c, --%s`", o.short, o.long)
		}
		if !strings.Contains(doc, "| "+name+" |") {
			t.Errorf("docs/cli.md has no table row for %s", name)
		}
	}
}
