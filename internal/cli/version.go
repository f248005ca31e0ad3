package cli

import (
	"fmt"
	"io"
	"runtime"
	"runtime/debug"
)

// Version is gokeepalived's version; release builds set it with
// -ldflags "-X github.com/gokeepalived/gokeepalived/internal/cli.Version=v1.2.3".
var Version = ""

// KeepalivedVersion is the keepalived release whose behaviour gokeepalived follows.
const KeepalivedVersion = "2.2.7"

// version returns Version, else the module version recorded in the binary, else "devel".
func version() string {
	if Version != "" {
		return Version
	}
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "devel"
}

// BuildVersion returns gokeepalived's version: Version, else the module version recorded in
// the binary, else "devel".
func BuildVersion() string { return version() }

// printVersion writes the -v text. keepalived writes it to stderr, so scripts that parse it already
// read stderr; the first line keeps keepalived's "Name vX.Y.Z" shape.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "gokeepalived %s (follows Keepalived v%s)\n\n", version(), KeepalivedVersion)
	fmt.Fprintf(w, "Built with %s for %s/%s\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
}
