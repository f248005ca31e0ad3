// Package cli implements gokeepalived's command line: keepalived's flags, the config test (-t) and
// the configuration dump (-d).
package cli

import (
	"fmt"
	"io"
)

// Main runs gokeepalived with the given arguments and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "gokeepalived: not implemented yet")
	return 1
}
