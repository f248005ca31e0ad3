// Package cli implements gokeepalived's command line: keepalived's flags (GNU getopt style, read
// into an Options the daemon takes), the config test (-t), the configuration dump (-d) and --signum.
//
// The daemon itself is plugged in through Env.Daemon; until it exists, a run that would start it
// says so and exits 1.
package cli

import (
	"fmt"
	"io"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Env is what a run needs from its surroundings.
type Env struct {
	// Stdout receives data output (--signum, -d); Stderr receives messages, as with keepalived.
	Stdout, Stderr io.Writer
	// Daemon runs the daemon with the parsed options and returns the process exit code. When nil,
	// a run that would start the daemon reports that it is not built and exits 1.
	Daemon func(*Options) int
	// ConfigID returns the default config-id; nil means the host name up to the first dot.
	ConfigID func() string
}

// Main runs gokeepalived with args (without the program name) and returns the process exit code.
func Main(args []string, stdout, stderr io.Writer) int {
	return Run(args, Env{Stdout: stdout, Stderr: stderr})
}

// Exit codes of the command line itself (keepalived main.c parse_cmdline()).
const (
	// ExitOK is a successful run.
	ExitOK = 0
	// ExitUsage is a bad command line, an unknown --signum name or a feature that is not built.
	ExitUsage = 1
)

// Run is Main with an explicit environment.
func Run(args []string, env Env) int {
	if isStatusCommand(args) { // gokeepalived status: a subcommand of its own (status.go)
		return Status(args[1:], env)
	}
	if i := genhashIndex(args); i >= 0 { // -T/--genhash: a mode of its own (genhash.go)
		return Genhash(args, i, env)
	}
	idFn := env.ConfigID
	if idFn == nil {
		idFn = syntax.DefaultConfigID
	}
	opts, err := Parse(args, idFn())
	if err != nil {
		if ue, ok := err.(*UsageError); ok {
			for _, p := range ue.Problems {
				fmt.Fprintln(env.Stderr, p)
			}
		} else {
			fmt.Fprintln(env.Stderr, err)
		}
		printUsage(env.Stderr)
		return ExitUsage
	}
	// keepalived acts on -v, -h and --signum as getopt meets them, so the first one given wins.
	switch firstTerminal(args) {
	case "version":
		printVersion(env.Stderr)
		return ExitOK
	case "help":
		printUsage(env.Stderr)
		return ExitOK
	case "signum":
		n, ok := Signum(opts.Signum)
		if !ok {
			fmt.Fprintf(env.Stderr, "Unknown sigfunc %s\n", opts.Signum)
			return ExitUsage
		}
		fmt.Fprintln(env.Stdout, n)
		return ExitOK
	}
	if len(opts.Operands) > 0 {
		// keepalived prints this on stdout and carries on; stdout is for data here.
		fmt.Fprintf(env.Stderr, "Unexpected argument(s): %s\n", strings.Join(opts.Operands, " "))
	}
	for _, w := range opts.Warnings {
		fmt.Fprintln(env.Stderr, w)
	}
	for _, n := range opts.NotBuilt {
		fmt.Fprintf(env.Stderr, "gokeepalived: %s: %s is not built yet; option ignored\n", n, byLong[longName(n)].feature)
	}
	switch {
	case opts.ConfigTest:
		return ConfigTest(opts, env.Stdout, env.Stderr)
	case opts.DumpConf:
		return Dump(opts, env.Stdout, env.Stderr)
	case env.Daemon != nil:
		return env.Daemon(opts)
	}
	fmt.Fprintln(env.Stderr, "gokeepalived: the daemon is not built yet; use -t to test a configuration or -d to dump it")
	return ExitUsage
}

// firstTerminal returns the long name of the first of --version, --help and --signum on the
// command line, or "".
func firstTerminal(args []string) string {
	for _, f := range normalise(args).flags {
		name, _, _ := strings.Cut(strings.TrimPrefix(f, "--"), "=")
		switch name {
		case "version", "help", "signum":
			return name
		}
	}
	return ""
}

// longName extracts "snmp" from "-x/--snmp" or "--snmp".
func longName(display string) string {
	_, l, ok := strings.Cut(display, "--")
	if !ok {
		return display
	}
	return l
}
