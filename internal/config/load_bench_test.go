package config_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Sizes of the generated benchmark configuration: a large LVS site plus many VRRP instances.
const (
	benchVirtualServers = 3000
	benchRealServers    = 10 // per virtual server, each with a TCP_CHECK
	benchInstances      = 500
)

// writeBenchConfig writes the ~110,000-line benchmark configuration and returns its path and its
// line count.
func writeBenchConfig(tb testing.TB) (string, int) {
	tb.Helper()
	var b strings.Builder
	b.WriteString("global_defs {\n    router_id bench\n}\n")
	for i := 0; i < benchInstances; i++ {
		fmt.Fprintf(&b, "vrrp_instance VI_%d {\n", i)
		fmt.Fprintf(&b, "    state BACKUP\n    interface eth%d\n    virtual_router_id %d\n", i/255, i%255+1)
		fmt.Fprintf(&b, "    priority %d\n    advert_int 1\n", 100+i%50)
		fmt.Fprintf(&b, "    virtual_ipaddress {\n        203.0.113.%d/32\n    }\n}\n", i%250+1)
	}
	for i := 0; i < benchVirtualServers; i++ {
		fmt.Fprintf(&b, "virtual_server 203.0.113.%d %d {\n", i%250+1, 1000+i/250)
		b.WriteString("    delay_loop 6\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n")
		for j := 0; j < benchRealServers; j++ {
			fmt.Fprintf(&b, "    real_server 198.51.100.%d %d {\n", j+1, 8000+i%1000)
			b.WriteString("        TCP_CHECK { connect_timeout 3 }\n    }\n")
		}
		b.WriteString("}\n")
	}
	p := filepath.Join(tb.TempDir(), "keepalived.conf")
	if err := os.WriteFile(p, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return p, strings.Count(b.String(), "\n")
}

// BenchmarkLoad measures config.Load (read, preprocess, interpret, check) on a generated
// configuration of about 110,000 lines: 3,000 virtual servers with 10 TCP_CHECK real servers each,
// and 500 vrrp_instance blocks.
//
//	go test -run='^$' -bench=Load -benchmem ./internal/config/
func BenchmarkLoad(b *testing.B) {
	path, lines := writeBenchConfig(b)
	opts := config.LoadOptions{Syntax: syntax.Options{ConfigID: "bench"}}
	cfg, diags := config.Load(path, opts)
	if cfg == nil {
		b.Fatalf("Load failed: %s", diags)
	}
	b.Logf("%d lines, %d diagnostics", lines, len(diags))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		config.Load(path, opts)
	}
	b.ReportMetric(float64(lines), "lines")
}
