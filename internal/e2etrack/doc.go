// Package e2etrack holds root-only end-to-end tests of the real gokeepalived
// binary in throw-away network namespaces: vrrp_script/track_script,
// track_file and vrrp_track_process demoting a master, notify scripts and the
// vrrp_notify_fifo, script security, sync groups spanning two LANs and VMAC
// interfaces. Every test asserts what an operator would see: kernel addresses
// in the namespaces, the daemon's log lines, the files scripts write and the
// frames on the wire.
//
// The package has no code outside its tests; this file only carries the
// package documentation.
package e2etrack
