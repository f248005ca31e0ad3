// Package control is the daemon's local control socket: an HTTP server on a Unix socket that
// serves the status report as JSON (/status) and the Prometheus metrics (/metrics), an optional
// TCP listener for the metrics alone, and the client that `gokeepalived status` uses.
//
// HTTP keeps the socket usable with the usual tools:
//
//	curl --unix-socket /run/gokeepalived.sock http://gokeepalived/status
package control
