package cli

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
)

// DefaultConfigFile is keepalived's default configuration path (-f/--use-file).
const DefaultConfigFile = "/etc/keepalived/keepalived.conf"

// Options is the parsed command line. It is what the daemon receives: every keepalived option has a
// field, whether or not gokeepalived acts on it yet.
type Options struct {
	// ConfigFile is -f/--use-file.
	ConfigFile string
	// ConfigID is -i/--config-id, or the host name up to the first dot when not given.
	ConfigID string
	// AllConfig is -e/--all-config: a missing include file is an error.
	AllConfig bool

	// ConfigTest is -t/--config-test; ConfigTestLog is its optional LOGFILE ("" = stderr).
	ConfigTest    bool
	ConfigTestLog string
	// DumpConf is -d/--dump-conf; JSON (--json, a gokeepalived extension) selects JSON output.
	DumpConf bool
	JSON     bool
	// Version is -v/--version and Help is -h/--help.
	Version bool
	Help    bool
	// Signum is --signum's SIGFUNC name ("" when not given).
	Signum string

	// VRRPOnly is -P/--vrrp, CheckOnly -C/--check, NoBFD -B/--no_bfd, AllChildren --all.
	VRRPOnly    bool
	CheckOnly   bool
	NoBFD       bool
	AllChildren bool

	// LogConsole is -l/--log-console.
	LogConsole bool
	// LogDetail counts -D/--log-detail: 1 is detailed, 2 or more extra detail.
	LogDetail int
	// LogFacility is -S/--log-facility as given ("" = daemon).
	LogFacility string
	// LogFile is -g/--log-file; LogFileSet tells whether -g was given (its value is optional).
	LogFile    string
	LogFileSet bool
	// FlushLogFile is --flush-log-file.
	FlushLogFile bool
	// NoSyslog is -G/--no-syslog.
	NoSyslog bool
	// Umask is -u/--umask; UmaskSet tells whether it was given.
	Umask    uint32
	UmaskSet bool

	// ReleaseVIPs is -X, DontReleaseVRRP -V, DontReleaseIPVS -I, DontRespawn -R, DontFork -n.
	ReleaseVIPs     bool
	DontReleaseVRRP bool
	DontReleaseIPVS bool
	DontRespawn     bool
	DontFork        bool

	// PIDFile is -p, VRRPPIDFile -r, CheckersPIDFile -c, BFDPIDFile -b ("" = default).
	PIDFile         string
	VRRPPIDFile     string
	CheckersPIDFile string
	BFDPIDFile      string

	// AddressMonitoring is -a/--address-monitoring.
	AddressMonitoring bool
	// Namespace is -s/--namespace.
	Namespace string
	// IgnoreSIGINT is --ignore-sigint.
	IgnoreSIGINT bool
	// ControlSocket is --control-socket: the status/metrics Unix socket; "" means the default
	// path, "off" none.
	ControlSocket string
	// MetricsListen is --metrics-listen: a TCP address serving /metrics; "" serves none.
	MetricsListen string

	// Genhash is -T/--genhash; SNMP -x; SNMPSocket -A; CoreDump -m; CoreDumpPattern -M (value
	// optional, "core" by default); Perf, Debug and NoMemCheck the debug-build options. None of these
	// features exist in gokeepalived yet; see NotBuilt.
	Genhash         bool
	SNMP            bool
	SNMPSocket      string
	CoreDump        bool
	CoreDumpPattern string
	Perf            string
	Debug           string
	NoMemCheck      bool

	// Operands are the non-option words; keepalived reports and ignores them.
	Operands []string
	// NotBuilt lists the given options whose feature gokeepalived does not have yet, as "-x/--snmp".
	NotBuilt []string
	// Warnings are non-fatal problems found while parsing (invalid log facility, ...).
	Warnings []string
}

// UsageError is returned by Parse for a command line keepalived would refuse (exit 1).
type UsageError struct {
	// Problems are keepalived-worded messages, one per bad option.
	Problems []string
}

func (e *UsageError) Error() string { return strings.Join(e.Problems, "; ") }

// Parse reads a keepalived command line (without the program name). defaultConfigID is used when -i
// is not given. A *UsageError reports unknown options or missing values.
func Parse(args []string, defaultConfigID string) (*Options, error) {
	c := normalise(args)
	if len(c.errs) > 0 {
		return nil, &UsageError{Problems: c.errs}
	}
	o := &Options{}
	fs := newFlagSet(o)
	if err := fs.Parse(c.flags); err != nil {
		// normalise has checked the option names and values, so this is a bug; report it as usage.
		return nil, &UsageError{Problems: []string{err.Error()}}
	}
	o.Operands = c.operands
	for _, p := range []*string{&o.LogFile, &o.CoreDumpPattern, &o.ConfigTestLog, &o.Perf, &o.Debug} {
		if *p == noValue {
			*p = ""
		}
	}
	o.LogFileSet = fs.Changed("log-file")
	o.ConfigTest = fs.Changed("config-test")
	if !fs.Changed("config-id") {
		o.ConfigID = defaultConfigID
	}
	if fs.Changed("core-dump-pattern") {
		// keepalived: -M implies -m, and an empty pattern means "core".
		o.CoreDump = true
		if o.CoreDumpPattern == "" {
			o.CoreDumpPattern = "core"
		}
	}
	if fs.Changed("umask") {
		if err := o.setUmask(fs); err != nil {
			return nil, err
		}
	}
	if o.LogFacility != "" && !validFacility(o.LogFacility) {
		// keepalived logs this and keeps the default facility.
		o.Warnings = append(o.Warnings, fmt.Sprintf("Invalid log facility '%s'", o.LogFacility))
		o.LogFacility = ""
	}
	fs.Visit(func(f *pflag.Flag) {
		if opt := byLong[f.Name]; opt != nil && opt.status == notBuilt {
			o.NotBuilt = append(o.NotBuilt, optionName(opt))
		}
	})
	return o, nil
}

// setUmask parses -u as keepalived does (strtoul with base 0: 022, 0x12 and 18 all work).
func (o *Options) setUmask(fs *pflag.FlagSet) error {
	s, _ := fs.GetString("umask")
	v, err := strconv.ParseUint(s, 0, 32)
	if err != nil || v > 0o777 {
		return &UsageError{Problems: []string{fmt.Sprintf("Invalid umask '%s'", s)}}
	}
	o.Umask, o.UmaskSet = uint32(v), true
	return nil
}

// validFacility accepts what -S accepts: 0-7, local0-7, user, daemon.
func validFacility(s string) bool {
	switch s {
	case "user", "daemon":
		return true
	}
	s = strings.TrimPrefix(s, "local")
	return len(s) == 1 && s[0] >= '0' && s[0] <= '7'
}

// optionName renders an option as "-x/--snmp" or "--perf".
func optionName(o *option) string {
	if o.short != 0 {
		return fmt.Sprintf("-%c/--%s", o.short, o.long)
	}
	return "--" + o.long
}

// newFlagSet binds every option of the table to its Options field. pflag is the typed store and
// the single description of the flags; normalise has already applied getopt's rules.
func newFlagSet(o *Options) *pflag.FlagSet {
	fs := pflag.NewFlagSet("gokeepalived", pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.SortFlags = false
	str := func(p *string, name, def string) { fs.StringVar(p, name, def, byLong[name].usage) }
	boolean := func(p *bool, name string) { fs.BoolVar(p, name, false, byLong[name].usage) }
	optional := func(p *string, name string) { fs.StringVar(p, name, "", byLong[name].usage) }
	str(&o.ConfigFile, "use-file", DefaultConfigFile)
	boolean(&o.VRRPOnly, "vrrp")
	boolean(&o.CheckOnly, "check")
	boolean(&o.NoBFD, "no_bfd")
	boolean(&o.AllChildren, "all")
	boolean(&o.LogConsole, "log-console")
	fs.CountVar(&o.LogDetail, "log-detail", byLong["log-detail"].usage)
	str(&o.LogFacility, "log-facility", "")
	optional(&o.LogFile, "log-file")
	boolean(&o.FlushLogFile, "flush-log-file")
	boolean(&o.NoSyslog, "no-syslog")
	fs.String("umask", "", byLong["umask"].usage)
	boolean(&o.ReleaseVIPs, "release-vips")
	boolean(&o.DontReleaseVRRP, "dont-release-vrrp")
	boolean(&o.DontReleaseIPVS, "dont-release-ipvs")
	boolean(&o.DontRespawn, "dont-respawn")
	boolean(&o.DontFork, "dont-fork")
	boolean(&o.DumpConf, "dump-conf")
	boolean(&o.JSON, "json")
	str(&o.PIDFile, "pid", "")
	str(&o.VRRPPIDFile, "vrrp_pid", "")
	boolean(&o.Genhash, "genhash")
	str(&o.CheckersPIDFile, "checkers_pid", "")
	boolean(&o.AddressMonitoring, "address-monitoring")
	str(&o.BFDPIDFile, "bfd_pid", "")
	boolean(&o.SNMP, "snmp")
	str(&o.SNMPSocket, "snmp-agent-socket", "")
	str(&o.Namespace, "namespace", "")
	boolean(&o.CoreDump, "core-dump")
	optional(&o.CoreDumpPattern, "core-dump-pattern")
	boolean(&o.AllConfig, "all-config")
	str(&o.ConfigID, "config-id", "")
	boolean(&o.IgnoreSIGINT, "ignore-sigint")
	str(&o.ControlSocket, "control-socket", "")
	str(&o.MetricsListen, "metrics-listen", "")
	str(&o.Signum, "signum", "")
	optional(&o.ConfigTestLog, "config-test")
	optional(&o.Perf, "perf")
	optional(&o.Debug, "debug")
	boolean(&o.NoMemCheck, "no-mem-check")
	boolean(&o.Version, "version")
	boolean(&o.Help, "help")
	for i := range options {
		if f := fs.Lookup(options[i].long); f != nil && options[i].short != 0 {
			f.Shorthand = string(options[i].short)
		}
		if options[i].arg == optionalArg {
			// pflag treats an empty NoOptDefVal as "value required"; a lone space is never a
			// meaningful file name or pattern, and Parse maps it back to "".
			fs.Lookup(options[i].long).NoOptDefVal = noValue
		}
	}
	return fs
}

// noValue marks an optional-value option given without a value.
const noValue = " "
