//go:build !linux

package ipvs

// Open reports ErrNotAvailable: IPVS exists only on Linux.
func Open() (Client, error) { return nil, ErrNotAvailable }
