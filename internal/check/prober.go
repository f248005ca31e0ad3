package check

import "context"

// Prober performs one health probe. It enforces its own per-step timeouts
// (connect_timeout, misc_timeout) and returns when ctx is cancelled.
type Prober interface {
	Probe(ctx context.Context) Outcome
}

// ProberFunc adapts a function to Prober.
type ProberFunc func(ctx context.Context) Outcome

// Probe calls f.
func (f ProberFunc) Probe(ctx context.Context) Outcome { return f(ctx) }

// Outcome is the result of one probe.
type Outcome struct {
	Err error // nil means success
	// Weight is a dynamic weight (misc_dynamic, FILE_CHECK) when HasWeight.
	Weight    int
	HasWeight bool
}

// Fail is a convenience for a failed Outcome.
func Fail(err error) Outcome { return Outcome{Err: err} }
