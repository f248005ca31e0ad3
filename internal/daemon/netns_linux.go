package daemon

import (
	"log/slog"
	"os"
	"os/exec"
	"syscall"
)

// netnsMarker tells a re-executed daemon that it already runs in the namespace of -s.
const netnsMarker = "GOKEEPALIVED_NETNS"

// enterNamespace makes the daemon run inside the named network namespace (keepalived -s). A Go
// process cannot move all its threads into a namespace after start, so the daemon re-executes
// itself under `ip netns exec NAME`, which also remounts /sys for that namespace. It returns
// handled=false when already inside.
func enterNamespace(name string, log *slog.Logger) (int, bool) {
	if os.Getenv(netnsMarker) == name {
		return 0, false
	}
	ip, err := exec.LookPath("ip")
	if err != nil {
		log.Error("cannot enter network namespace: the ip command (iproute2) is needed", "namespace", name, "err", err)
		return exitFatal, true
	}
	self, err := os.Executable()
	if err != nil {
		log.Error("cannot enter network namespace", "namespace", name, "err", err)
		return exitFatal, true
	}
	args := append([]string{ip, "netns", "exec", name, self}, os.Args[1:]...)
	env := append(os.Environ(), netnsMarker+"="+name)
	err = syscall.Exec(ip, args, env)
	log.Error("cannot enter network namespace", "namespace", name, "err", err)
	return exitFatal, true
}
