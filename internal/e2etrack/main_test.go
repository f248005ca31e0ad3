package e2etrack

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// gkBin is the gokeepalived built once for the whole package run.
var gkBin string

func TestMain(m *testing.M) {
	os.Exit(run(m))
}

// run builds cmd/gokeepalived into a temporary directory (root-owned 0700
// under /tmp, acceptable to script security) when running as root; the
// tests skip otherwise, so the build is not needed. E2ETRACK_BINARY runs
// another daemon instead, e.g. /usr/sbin/keepalived, to check what a test
// expects against upstream; tests that read gokeepalived's log lines fail
// with it, the ones checking addresses, files, FIFOs and the wire apply.
func run(m *testing.M) int {
	if b := os.Getenv("E2ETRACK_BINARY"); b != "" {
		gkBin = b
	} else if os.Geteuid() == 0 {
		dir, err := os.MkdirTemp("", "e2etrack-bin-")
		if err != nil {
			fmt.Fprintln(os.Stderr, "e2etrack:", err)
			return 1
		}
		defer os.RemoveAll(dir)
		gkBin = filepath.Join(dir, "gokeepalived")
		cmd := exec.Command("go", "build", "-o", gkBin, "github.com/gokeepalived/gokeepalived/cmd/gokeepalived")
		cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2etrack: go build gokeepalived: %v\n%s", err, out)
			return 1
		}
	}
	return m.Run()
}

// requireBinary skips non-root runs and fails when the build is missing.
func requireBinary(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: network namespaces and raw sockets")
	}
	if gkBin == "" {
		t.Fatal("gokeepalived was not built by TestMain")
	}
}
