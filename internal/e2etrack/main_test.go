package e2etrack

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
)

// gkBin is the daemon under test: gokeepalived built once for the whole
// package run, or E2ETRACK_BINARY.
var (
	gkBin     string
	buildOnce sync.Once
	buildErr  error
	buildDir  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if buildDir != "" {
		os.RemoveAll(buildDir)
	}
	os.Exit(code)
}

// build compiles cmd/gokeepalived into a temporary directory (root-owned
// 0700 under /tmp, acceptable to script security). It runs lazily on the
// first root test, so fuzz workers and non-root runs never build.
// E2ETRACK_BINARY runs another daemon instead, e.g. /usr/sbin/keepalived,
// to check what a test expects against upstream; tests that read
// gokeepalived's log lines fail with it, the ones checking addresses,
// files, FIFOs and the wire apply.
func build() {
	if b := os.Getenv("E2ETRACK_BINARY"); b != "" {
		gkBin = b
		return
	}
	dir, err := os.MkdirTemp("", "e2etrack-bin-")
	if err != nil {
		buildErr = err
		return
	}
	buildDir = dir
	bin := filepath.Join(dir, "gokeepalived")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/gokeepalived/gokeepalived/cmd/gokeepalived")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if out, err := cmd.CombinedOutput(); err != nil {
		buildErr = fmt.Errorf("go build gokeepalived: %w\n%s", err, out)
		return
	}
	gkBin = bin
}

// requireBinary skips non-root runs and builds the daemon once.
func requireBinary(t *testing.T) {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("needs root: network namespaces and raw sockets")
	}
	buildOnce.Do(build)
	if buildErr != nil {
		t.Fatal(buildErr)
	}
}
