package track

import (
	"bytes"
	"slices"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

// commLen is the kernel's TASK_COMM_LEN minus the NUL: /proc/PID/comm holds at most
// 15 bytes of the program name.
const commLen = 15

// ProcSpec is what a vrrp_track_process matches (core/track_process.c).
type ProcSpec struct {
	// Name is the "process" word: a comm name, or the exact argv[0] with FullCommand,
	// when it holds a '/', or when it is longer than the 15 bytes comm can hold.
	Name string
	// Params are the parameters to match; none means any.
	Params      []string
	ParamMatch  config.ParamMatch
	FullCommand bool
}

// Match reports whether a process with the given comm and argv is one of ours.
//
// param_match: exact (default) needs the parameters to be exactly the process's;
// initial needs them to be its first parameters; partial needs them to appear as a
// contiguous run of its parameters.
func (p ProcSpec) Match(comm string, argv []string) bool {
	if p.usesArgv0() {
		if len(argv) == 0 || argv[0] != p.Name {
			return false
		}
	} else if comm != p.Name {
		return false
	}
	if len(p.Params) == 0 {
		return true
	}
	var args []string
	if len(argv) > 1 {
		args = argv[1:]
	}
	switch p.ParamMatch {
	case config.ParamMatchInitial:
		return len(args) >= len(p.Params) && slices.Equal(args[:len(p.Params)], p.Params)
	case config.ParamMatchPartial:
		for i := 0; i+len(p.Params) <= len(args); i++ {
			if slices.Equal(args[i:i+len(p.Params)], p.Params) {
				return true
			}
		}
		return false
	}
	return slices.Equal(args, p.Params)
}

// ParseCmdline splits /proc/PID/cmdline (NUL-separated, usually NUL-terminated).
// A kernel thread's empty cmdline gives nil.
func ParseCmdline(b []byte) []string {
	b = bytes.TrimSuffix(b, []byte{0})
	if len(b) == 0 {
		return nil
	}
	return strings.Split(string(b), "\x00")
}

// ParseComm trims /proc/PID/comm's trailing newline.
func ParseComm(b []byte) string {
	return strings.TrimSuffix(string(b), "\n")
}

// usesArgv0 reports whether Name is compared with argv[0] rather than comm.
func (p ProcSpec) usesArgv0() bool {
	return p.FullCommand || len(p.Name) > commLen || strings.Contains(p.Name, "/")
}
