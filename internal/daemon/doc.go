// Package daemon is gokeepalived's process layer: it loads the configuration, writes keepalived's
// pid files, sets up logging, runs the VRRP engine, and maps keepalived's signals (TERM/INT stop,
// HUP reload, USR1/USR2/JSON dumps) onto it.
//
// keepalived forks a parent and one child per subsystem; gokeepalived is one process with one
// goroutine per subsystem. The pid files keepalived users and tools read (/run/keepalived.pid,
// /run/vrrp.pid, ...) are still written, all with this process's pid, so `kill -HUP $(cat
// /run/vrrp.pid)` keeps working.
package daemon
