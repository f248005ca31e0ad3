package check

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"strconv"
)

// FileProber is FILE_CHECK over a track_file: the file holds an integer; the
// value times weight (negated with reverse) is the dynamic weight change.
// With weight 0 any non-zero value means down. A product of -254 or less is
// down, as for VRRP track_file (trackers/track_file.c). An unreadable or
// non-numeric file counts as 0, as keepalived does.
type FileProber struct{ opts FileOptions }

// NewFile builds a FILE_CHECK prober.
func NewFile(o FileOptions) (*FileProber, error) {
	if o.Path == "" {
		return nil, fmt.Errorf("FILE_CHECK: track_file has no file")
	}
	return &FileProber{opts: o}, nil
}

// Probe reads the file. keepalived watches it with inotify; here it is read
// on every delay_loop.
func (p *FileProber) Probe(ctx context.Context) Outcome {
	v := 0
	if b, err := os.ReadFile(p.opts.Path); err == nil {
		f := bytes.Fields(b)
		if len(f) > 0 {
			if n, err := strconv.Atoi(string(f[0])); err == nil {
				v = n
			}
		}
	}
	return FileOutcome(v, p.opts)
}

// FileOutcome applies weight and reverse to the value read.
func FileOutcome(v int, o FileOptions) Outcome {
	if o.Weight == 0 {
		if v != 0 {
			return Fail(fmt.Errorf("track_file %s value %d", o.Path, v))
		}
		return Outcome{}
	}
	w := v * o.Weight
	if o.Reverse {
		w = -w
	}
	if w <= -254 {
		return Fail(fmt.Errorf("track_file %s value %d gives weight %d", o.Path, v, w))
	}
	return Outcome{Weight: w, HasWeight: true}
}
