//go:build !linux

package daemon

import "log/slog"

// enterNamespace is Linux-only.
func enterNamespace(name string, log *slog.Logger) (int, bool) {
	log.Error("network namespaces are only supported on Linux", "namespace", name)
	return exitFatal, true
}
