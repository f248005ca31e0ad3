package cli

import (
	"fmt"
	"io"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Dump implements -d/--dump-conf: it loads the configuration, reports its diagnostics on stderr and
// prints the expanded, normalised model on stdout (indented text, or JSON with --json). It returns 0
// when a model could be built, the config-test code of the diagnostics otherwise.
func Dump(opts *Options, stdout, stderr io.Writer) int {
	cfg, diags := config.Load(opts.ConfigFile, LoadOptions(opts))
	for _, d := range diags {
		fmt.Fprintln(stderr, d.String())
	}
	if cfg == nil {
		return diags.ExitCode()
	}
	if err := writeDump(stdout, cfg, opts.JSON); err != nil {
		fmt.Fprintf(stderr, "gokeepalived: dump: %v\n", err)
		return ExitUsage
	}
	if diags.Max() >= syntax.Fatal {
		return diags.ExitCode()
	}
	return ExitOK
}

// writeDump renders cfg as text or JSON.
func writeDump(w io.Writer, cfg *config.Config, asJSON bool) error {
	tree := Tree(cfg)
	if asJSON {
		return WriteJSON(w, tree)
	}
	return WriteText(w, tree)
}
