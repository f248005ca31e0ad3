package cli

// argKind says whether an option takes a value, as getopt_long's has_arg does.
type argKind int

const (
	noArg       argKind = iota // the option is a switch
	requiredArg                // "-f FILE", "-fFILE", "--use-file FILE", "--use-file=FILE"
	optionalArg                // "-t", "-tFILE", "--config-test", "--config-test=FILE" (never a separate word)
)

// support says how far gokeepalived implements an option, for the usage text, docs/cli.md and the
// note printed when a not-yet-built feature is asked for.
type support int

const (
	// supported options work today.
	supported support = iota
	// daemonOnly options are parsed and stored in Options; they take effect in the daemon.
	daemonOnly
	// notBuilt options are accepted so existing command lines keep working, but the feature does not
	// exist in gokeepalived yet; a note says so on stderr.
	notBuilt
)

// option describes one command-line option: its names, whether it takes a value, its usage text and
// its support status. The table mirrors keepalived 2.2.7 main.c usage()/parse_cmdline() plus the
// later additions listed in reference §1c.3.
type option struct {
	short   byte // 0 when the option is long-only
	long    string
	arg     argKind
	argName string // value placeholder in the usage text
	usage   string
	status  support
	feature string // what is missing, for notBuilt options
}

// options is the full keepalived option set, in keepalived's usage order.
var options = []option{
	{short: 'f', long: "use-file", arg: requiredArg, argName: "FILE", usage: "Use the specified configuration file\n default '" + DefaultConfigFile + "'"},
	{short: 'P', long: "vrrp", usage: "Only run with VRRP subsystem", status: daemonOnly},
	{short: 'C', long: "check", usage: "Only run with Health-checker subsystem", status: daemonOnly},
	{short: 'B', long: "no_bfd", usage: "Don't run BFD subsystem", status: daemonOnly},
	{long: "all", usage: "Force all child processes to run, even if have no configuration", status: daemonOnly},
	{short: 'l', long: "log-console", usage: "Log messages to local console", status: daemonOnly},
	{short: 'D', long: "log-detail", usage: "Detailed log messages (twice: extra detail)", status: daemonOnly},
	{short: 'S', long: "log-facility", arg: requiredArg, argName: "([0-7]|local[0-7]|user|daemon)", usage: "Set syslog facility to LOG_LOCAL[0-7], user or daemon (default)", status: daemonOnly},
	{short: 'g', long: "log-file", arg: optionalArg, argName: "FILE", usage: "Also log to FILE (default /tmp/keepalived.log)", status: daemonOnly},
	{long: "flush-log-file", usage: "Flush log file on write", status: daemonOnly},
	{short: 'G', long: "no-syslog", usage: "Don't log via syslog", status: daemonOnly},
	{short: 'u', long: "umask", arg: requiredArg, argName: "MASK", usage: "umask for file creation (in numeric form)", status: daemonOnly},
	{short: 'X', long: "release-vips", usage: "Drop VIP on transition from signal.", status: daemonOnly},
	{short: 'V', long: "dont-release-vrrp", usage: "Don't remove VRRP VIPs and VROUTEs on daemon stop", status: daemonOnly},
	{short: 'I', long: "dont-release-ipvs", usage: "Don't remove IPVS topology on daemon stop", status: daemonOnly},
	{short: 'R', long: "dont-respawn", usage: "Don't respawn child processes", status: daemonOnly},
	{short: 'n', long: "dont-fork", usage: "Don't fork the daemon process", status: daemonOnly},
	{short: 'd', long: "dump-conf", usage: "Dump the configuration data"},
	{long: "json", usage: "With -d: dump the configuration as JSON (gokeepalived extension)"},
	{short: 'p', long: "pid", arg: requiredArg, argName: "FILE", usage: "Use specified pidfile for parent process", status: daemonOnly},
	{short: 'r', long: "vrrp_pid", arg: requiredArg, argName: "FILE", usage: "Use specified pidfile for VRRP child process", status: daemonOnly},
	{short: 'T', long: "genhash", usage: "Enter into genhash utility mode (this should be the first option used)."},
	{short: 'c', long: "checkers_pid", arg: requiredArg, argName: "FILE", usage: "Use specified pidfile for checkers child process", status: daemonOnly},
	{short: 'a', long: "address-monitoring", usage: "Report all address additions/deletions notified via netlink", status: daemonOnly},
	{short: 'b', long: "bfd_pid", arg: requiredArg, argName: "FILE", usage: "Use specified pidfile for BFD child process", status: daemonOnly},
	{short: 'x', long: "snmp", usage: "Enable SNMP subsystem", status: notBuilt, feature: "SNMP"},
	{short: 'A', long: "snmp-agent-socket", arg: requiredArg, argName: "FILE", usage: "Use the specified socket for master agent", status: notBuilt, feature: "SNMP"},
	{short: 's', long: "namespace", arg: requiredArg, argName: "NAME", usage: "Run in network namespace NAME (overrides config)", status: daemonOnly},
	{short: 'm', long: "core-dump", usage: "Produce core dump if terminate abnormally", status: notBuilt, feature: "core dump control"},
	{short: 'M', long: "core-dump-pattern", arg: optionalArg, argName: "PATN", usage: "Also set /proc/sys/kernel/core_pattern to PATN (default 'core')", status: notBuilt, feature: "core dump control"},
	{short: 'e', long: "all-config", usage: "Error if any configuration file missing (same as includet)"},
	{short: 'i', long: "config-id", arg: requiredArg, argName: "id", usage: "Skip any configuration lines beginning '@' that don't match id\n or any lines beginning @^ that do match.\n The config-id defaults to the node name if option not used"},
	{long: "ignore-sigint", usage: "Don't terminate on SIGINT", status: daemonOnly},
	{long: "control-socket", arg: requiredArg, argName: "PATH", usage: "Serve status and metrics on this Unix socket, 'off' for none (gokeepalived extension)\n default '/run/gokeepalived.sock'", status: daemonOnly},
	{long: "metrics-listen", arg: requiredArg, argName: "ADDR", usage: "Also serve Prometheus metrics over TCP on ADDR, e.g. 127.0.0.1:9650\n (gokeepalived extension; off by default)", status: daemonOnly},
	{long: "signum", arg: requiredArg, argName: "SIGFUNC", usage: "Return signal number for STOP, RELOAD, DATA, STATS, STATS_CLEAR, JSON, TDUMP"},
	{short: 't', long: "config-test", arg: optionalArg, argName: "LOG_FILE", usage: "Check the configuration for obvious errors, output to\n stderr by default"},
	{long: "perf", arg: optionalArg, argName: "[a|r|e]", usage: "Collect perf data (keepalived debug builds)", status: notBuilt, feature: "perf collection"},
	{long: "debug", arg: optionalArg, argName: "[...]", usage: "Enable debug options (keepalived debug builds)", status: notBuilt, feature: "keepalived's compile-time debug options"},
	{long: "no-mem-check", usage: "Disable malloc checking (keepalived debug builds)", status: notBuilt, feature: "memory checking (not needed in Go)"},
	{short: 'v', long: "version", usage: "Display the version number"},
	{short: 'h', long: "help", usage: "Display this help message"},
}

// byShort and byLong index the option table.
var (
	byShort = map[byte]*option{}
	byLong  = map[string]*option{}
)

func init() {
	for i := range options {
		o := &options[i]
		if o.short != 0 {
			byShort[o.short] = o
		}
		byLong[o.long] = o
	}
}
