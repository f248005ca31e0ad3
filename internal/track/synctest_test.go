package track

import (
	"testing"
	"testing/synctest"
)

// synctestRun runs f in a synctest bubble, where time advances only when every
// goroutine is blocked.
func synctestRun(t *testing.T, f func(t *testing.T)) {
	synctest.Test(t, f)
}
