//go:build !linux

package track

import (
	"context"
	"errors"
)

// procEvents is Linux-only; elsewhere the trackers scan periodically.
func procEvents(ctx context.Context, kick func()) (func(), error) {
	return nil, errors.ErrUnsupported
}
