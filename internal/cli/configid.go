package cli

import (
	"os"
	"strings"
)

// defaultConfigID is keepalived's default config-id: the node name up to the first dot
// (main.c uses uname().nodename, which is what os.Hostname returns on Linux).
func defaultConfigID() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	id, _, _ := strings.Cut(h, ".")
	return id
}
