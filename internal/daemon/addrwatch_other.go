//go:build !linux

package daemon

import (
	"errors"
	"log/slog"
	"net/netip"
)

// watchAddresses needs rtnetlink; elsewhere the caller falls back to a one-time listing.
func watchAddresses(log *slog.Logger, fn func([]netip.Addr)) (stop func(), err error) {
	return nil, errors.ErrUnsupported
}
