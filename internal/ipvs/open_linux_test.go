//go:build linux

package ipvs

import (
	"errors"
	"testing"
)

// TestOpenHost checks that Open on this machine either works or says clearly that IPVS is
// missing (the CI kernel has no IPVS; the VM test in internal/lvs covers a kernel that has it).
func TestOpenHost(t *testing.T) {
	c, err := Open()
	if err != nil {
		if !errors.Is(err, ErrNotAvailable) {
			t.Fatalf("Open: %v, want a working client or ErrNotAvailable", err)
		}
		t.Logf("no IPVS here: %v", err)
		return
	}
	defer c.Close()
	if _, err := c.Info(); err != nil {
		t.Fatalf("Info: %v", err)
	}
}
