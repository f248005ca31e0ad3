package config

import (
	"fmt"
	"strings"
	"testing"
)

// lvsBenchConfig is a large LVS configuration: services × real servers, each with an HTTP_GET.
func lvsBenchConfig(services, reals int) string {
	var b strings.Builder
	for i := range services {
		fmt.Fprintf(&b, "virtual_server 203.0.113.%d %d {\n delay_loop 6\n lb_algo wrr\n lb_kind DR\n protocol TCP\n", i%250+1, 1000+i)
		for j := range reals {
			fmt.Fprintf(&b, " real_server 198.51.100.%d %d {\n  weight %d\n  HTTP_GET {\n   url {\n    path /health\n"+
				"    status_code 200-299 404\n   }\n   connect_timeout 3\n  }\n }\n", j%250+1, 1000+i, j+1)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// BenchmarkLoadLVS measures parsing and interpreting 200 services with 10 real servers each.
func BenchmarkLoadLVS(b *testing.B) {
	src := lvsBenchConfig(200, 10)
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		cfg, diags := LoadString("bench.conf", src, LoadOptions{})
		if len(cfg.VirtualServers) != 200 || len(diags) != 0 {
			b.Fatalf("got %d services, diagnostics:\n%s", len(cfg.VirtualServers), diags)
		}
	}
}
