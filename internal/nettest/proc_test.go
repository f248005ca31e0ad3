package nettest

import "golang.org/x/sys/unix"

// processAlive reports nil when pid exists (signal 0 is accepted).
func processAlive(pid int) error { return unix.Kill(pid, 0) }
