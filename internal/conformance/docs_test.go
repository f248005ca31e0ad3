package conformance

import (
	"os"
	"strings"
	"testing"
)

// TestDocsListEveryKind keeps the kind list in docs/cli.md in step with the classifier.
func TestDocsListEveryKind(t *testing.T) {
	b, err := os.ReadFile("../../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range Kinds() {
		if !strings.Contains(string(b), "`"+k+"`") {
			t.Errorf("docs/cli.md does not list kind %q", k)
		}
	}
}
