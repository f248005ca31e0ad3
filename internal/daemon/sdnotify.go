package daemon

import (
	"net"
	"os"
)

// sdNotify sends state to systemd when it started us with Type=notify (NOTIFY_SOCKET set), as
// keepalived does with READY=1, RELOADING=1 and STOPPING=1. It does nothing otherwise.
func sdNotify(state string) {
	path := os.Getenv("NOTIFY_SOCKET")
	if path == "" {
		return
	}
	if path[0] == '@' {
		path = "\x00" + path[1:] // abstract socket
	}
	conn, err := net.DialUnix("unixgram", nil, &net.UnixAddr{Name: path, Net: "unixgram"})
	if err != nil {
		return
	}
	defer conn.Close()
	_, _ = conn.Write([]byte(state))
}
