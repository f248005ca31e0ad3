package metrics

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"
)

// TestPedanticRegistry: both collectors register in a pedantic registry, which checks every
// collected metric against the described Descs, and gather without error.
func TestPedanticRegistry(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	reg := prometheus.NewPedanticRegistry()
	for _, c := range []prometheus.Collector{fixedCollector(fixtureReport(), nil), p} {
		if err := reg.Register(c); err != nil {
			t.Fatalf("register %T: %v", c, err)
		}
	}
	if _, err := reg.Gather(); err != nil {
		t.Fatalf("gather: %v", err)
	}
}

// TestLint runs promlint over every metric family (names, units, help, counter suffixes).
func TestLint(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", nil, time.Millisecond)
	p.Observe(tvs, trs1, "HTTP_GET", errProbe, time.Millisecond)
	for _, c := range []prometheus.Collector{fixedCollector(fixtureReport(), nil), p} {
		problems, err := testutil.CollectAndLint(c)
		if err != nil {
			t.Fatalf("lint %T: %v", c, err)
		}
		for _, pr := range problems {
			t.Errorf("%s: %s", pr.Metric, pr.Text)
		}
	}
}

// TestHandler serves a full registry over HTTP, as the control socket and --metrics-listen do.
func TestHandler(t *testing.T) {
	p := NewProbeRecorder()
	p.Observe(tvs, trs1, "HTTP_GET", nil, time.Millisecond)
	reg := NewRegistry(fixedCollector(fixtureReport(), nil), p)
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %d: %s", resp.StatusCode, body)
	}
	for _, want := range []string{
		"keepalived_up 1\n",
		`keepalived_vrrp_state{iname="VI_1",intf="eth0",ip_address="198.51.100.10",vrid="51"} 2`,
		`gokeepalived_checks_total{checker_type="HTTP_GET",result="success"} 1`,
		"go_goroutines ",
		"process_start_time_seconds ",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %q", want)
		}
	}
}

// TestHandlerContinuesOnError: a failing collector fails alone; the scrape still answers with
// the rest instead of an HTTP error.
func TestHandlerContinuesOnError(t *testing.T) {
	reg := NewRegistry(fixedCollector(fixtureReport(), nil), nil)
	if err := reg.Register(failingCollector{}); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(Handler(reg))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "keepalived_up 1") {
		t.Errorf("status %d, body has keepalived_up 1: %v", resp.StatusCode, strings.Contains(string(body), "keepalived_up 1"))
	}
}

// failingCollector emits one invalid metric.
type failingCollector struct{}

var failingDesc = prometheus.NewDesc("test_failing", "Always fails.", nil, nil)

func (failingCollector) Describe(ch chan<- *prometheus.Desc) { ch <- failingDesc }
func (failingCollector) Collect(ch chan<- prometheus.Metric) {
	ch <- prometheus.NewInvalidMetric(failingDesc, errProbe)
}
