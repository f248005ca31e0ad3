package script

import "strings"

// removedEnv are the variables keepalived unsets before running a script, so
// that a script cannot be subverted through the daemon's environment
// (core/notify.c, ~L260).
var removedEnv = []string{"IFS", "LD_PRELOAD", "LD_LIBRARY_PATH"}

// CleanEnv returns env without IFS, LD_PRELOAD and LD_LIBRARY_PATH.
func CleanEnv(env []string) []string {
	out := make([]string, 0, len(env))
next:
	for _, kv := range env {
		for _, name := range removedEnv {
			if strings.HasPrefix(kv, name+"=") || kv == name {
				continue next
			}
		}
		out = append(out, kv)
	}
	return out
}
