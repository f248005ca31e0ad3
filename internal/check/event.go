package check

import "time"

// Event is published on every checker transition (up/down or a dynamic
// weight change). RSChanged marks the events where the real server as a
// whole went up or down: those drive IPVS, notify_up/notify_down and the
// LVS FIFO.
type Event struct {
	Time          time.Time
	VirtualServer string // FormatVS form, e.g. "[198.51.100.1]:tcp:80"
	RealServer    string // FormatRS form, e.g. "[198.51.100.10]:tcp:80"
	Checker       string // checker name, e.g. "HTTP_GET" or a caller-chosen label
	Kind          Kind
	Up            bool          // checker state after this result
	Reason        string        // why it failed (empty on success)
	Latency       time.Duration // probe duration
	// Weight is the dynamic weight reported by MISC_CHECK misc_dynamic or
	// FILE_CHECK when HasWeight is set.
	Weight    int
	HasWeight bool
	RSUp      bool // real server state after this result (all its checkers up)
	RSChanged bool // the real server state changed with this result
	// CheckerChanged marks the events where this checker went up or down (false for an
	// event that only carries a new dynamic weight); SMTP alerts are sent on these.
	CheckerChanged bool
}
