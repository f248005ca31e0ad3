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
// read stderr. The first line is keepalived's "Keepalived vX.Y.Z (...)" with the keepalived release
// gokeepalived follows, because tools read the version from its second word (keepalived-exporter
// picks its signal and dump handling from it); gokeepalived's own version is in the parentheses.
// The configure-options line lists what tools probe for (keepalived-exporter's --ka.json needs
// --enable-json); in gokeepalived those features are always built in.
func printVersion(w io.Writer) {
	fmt.Fprintf(w, "Keepalived v%s (gokeepalived %s)\n\n", KeepalivedVersion, version())
	fmt.Fprintf(w, "gokeepalived %s, a Go implementation that follows Keepalived v%s.\n", version(), KeepalivedVersion)
	fmt.Fprintf(w, "Built with %s for %s/%s\n\n", runtime.Version(), runtime.GOOS, runtime.GOARCH)
	fmt.Fprintf(w, "configure options: --enable-json --enable-vrrp --enable-lvs --enable-vrrp-auth --enable-vmac --enable-nftables (built in)\n")
}
