package track

import (
	"os"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// The engine is a Reporter.
var _ Reporter = (*engine.Engine)(nil)

// BenchmarkProcScan measures one /proc scan, the cost paid every ScanInterval per
// tracked process.
func BenchmarkProcScan(b *testing.B) {
	if _, err := os.Stat("/proc/self/comm"); err != nil {
		b.Skip("no /proc")
	}
	pt := &procTracker{spec: ProcSpec{Name: "sleep", Params: []string{"1"}}, quorum: 1}
	ents, _ := os.ReadDir("/proc")
	b.ReportMetric(float64(len(ents)), "proc-entries")
	for b.Loop() {
		pt.count("/proc")
	}
}
