package cli

import (
	"errors"
	"reflect"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want func(o *Options) // fills the expected non-default fields
	}{
		{"defaults", nil, func(o *Options) {}},
		{"combined shorts", []string{"-Dnl"}, func(o *Options) { o.LogDetail, o.DontFork, o.LogConsole = 1, true, true }},
		{"-D twice is extra detail", []string{"-DD"}, func(o *Options) { o.LogDetail = 2 }},
		{"-f separate", []string{"-f", "/x.conf"}, func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"-f attached", []string{"-f/x.conf"}, func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"-f ends a cluster", []string{"-nf/x.conf"}, func(o *Options) { o.DontFork, o.ConfigFile = true, "/x.conf" }},
		{"--use-file=", []string{"--use-file=/x.conf"}, func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"--use-file separate", []string{"--use-file", "/x.conf"}, func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"long prefix", []string{"--use", "/x.conf"}, func(o *Options) { o.ConfigFile = "/x.conf" }},
		{"-t alone", []string{"-t"}, func(o *Options) { o.ConfigTest = true }},
		{"-t attached log", []string{"-t/tmp/log"}, func(o *Options) { o.ConfigTest, o.ConfigTestLog = true, "/tmp/log" }},
		{"-t with separate word is an operand", []string{"-t", "/tmp/log"}, func(o *Options) {
			o.ConfigTest, o.Operands = true, []string{"/tmp/log"}
		}},
		{"-dt cluster", []string{"-dt"}, func(o *Options) { o.DumpConf, o.ConfigTest = true, true }},
		{"--config-test=", []string{"--config-test=/tmp/log"}, func(o *Options) { o.ConfigTest, o.ConfigTestLog = true, "/tmp/log" }},
		{"--config-test no value", []string{"--config-test"}, func(o *Options) { o.ConfigTest = true }},
		{"-g default", []string{"-g"}, func(o *Options) { o.LogFileSet = true }},
		{"-g file", []string{"-g/var/log/k.log"}, func(o *Options) { o.LogFileSet, o.LogFile = true, "/var/log/k.log" }},
		{"-M implies -m", []string{"-M"}, func(o *Options) {
			o.CoreDump, o.CoreDumpPattern, o.NotBuilt = true, "core", []string{"-M/--core-dump-pattern"}
		}},
		{"-M pattern", []string{"-M/tmp/core.%p"}, func(o *Options) {
			o.CoreDump, o.CoreDumpPattern, o.NotBuilt = true, "/tmp/core.%p", []string{"-M/--core-dump-pattern"}
		}},
		{"-i and -e", []string{"-e", "-i", "high"}, func(o *Options) { o.AllConfig, o.ConfigID = true, "high" }},
		{"--config-id=", []string{"--config-id=low"}, func(o *Options) { o.ConfigID = "low" }},
		{"signum", []string{"--signum=JSON"}, func(o *Options) { o.Signum = "JSON" }},
		{"operands permute", []string{"x", "-n", "--", "-d"}, func(o *Options) { o.DontFork, o.Operands = true, []string{"x", "-d"} }},
		{"umask octal", []string{"-u", "022"}, func(o *Options) { o.Umask, o.UmaskSet = 0o22, true }},
		{"facility ok", []string{"-S", "local3"}, func(o *Options) { o.LogFacility = "local3" }},
		{"facility bad is a warning", []string{"-S", "9"}, func(o *Options) { o.Warnings = []string{"Invalid log facility '9'"} }},
		{"pid files", []string{"-p", "/a", "-r", "/b", "-c", "/c", "-b", "/d"}, func(o *Options) {
			o.PIDFile, o.VRRPPIDFile, o.CheckersPIDFile, o.BFDPIDFile = "/a", "/b", "/c", "/d"
		}},
		{"daemon switches", []string{"-PCBXVIRa", "--all", "-G", "--flush-log-file", "--ignore-sigint", "-s", "ns1"}, func(o *Options) {
			o.VRRPOnly, o.CheckOnly, o.NoBFD, o.ReleaseVIPs, o.DontReleaseVRRP, o.DontReleaseIPVS = true, true, true, true, true, true
			o.DontRespawn, o.AddressMonitoring, o.AllChildren, o.NoSyslog, o.FlushLogFile, o.IgnoreSIGINT = true, true, true, true, true, true
			o.Namespace = "ns1"
		}},
		{"not built", []string{"-x", "-A", "/s", "--perf", "--no-mem-check"}, func(o *Options) {
			o.SNMP, o.SNMPSocket, o.NoMemCheck = true, "/s", true
			o.NotBuilt = []string{"-x/--snmp", "-A/--snmp-agent-socket", "--perf", "--no-mem-check"}
		}},
		// Run hands -T to genhash before Parse; Parse itself only records it.
		{"genhash recorded", []string{"-T"}, func(o *Options) { o.Genhash = true }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := Parse(tt.args, "node1")
			if err != nil {
				t.Fatalf("Parse(%q): %v", tt.args, err)
			}
			want := &Options{ConfigFile: DefaultConfigFile, ConfigID: "node1"}
			tt.want(want)
			if !reflect.DeepEqual(got, want) {
				t.Errorf("Parse(%q)\n got  %+v\n want %+v", tt.args, got, want)
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		args []string
		want []string
	}{
		{[]string{"-Z"}, []string{"Unknown option -Z"}},
		{[]string{"-nZq"}, []string{"Unknown option -Z", "Unknown option -q"}},
		{[]string{"--bogus"}, []string{"Unknown option --bogus"}},
		{[]string{"-f"}, []string{"Missing parameter for option -f"}},
		{[]string{"--use-file"}, []string{"Missing parameter for option --use-file"}},
		{[]string{"--use-file="}, []string{"Missing parameter for option --use-file"}},
		{[]string{"--signum"}, []string{"Missing parameter for option --signum"}},
		{[]string{"--dont-fork=yes"}, []string{"Option --dont-fork does not take a parameter"}},
		{[]string{"--d"}, []string{"Unknown option --d (ambiguous: --debug, --dont-fork, --dont-release-ipvs, --dont-release-vrrp, --dont-respawn, --dump-conf)"}},
		{[]string{"-u", "abc"}, []string{"Invalid umask 'abc'"}},
	}
	for _, tt := range tests {
		_, err := Parse(tt.args, "")
		var ue *UsageError
		if !errors.As(err, &ue) {
			t.Errorf("Parse(%q) error = %v, want a UsageError", tt.args, err)
			continue
		}
		if !reflect.DeepEqual(ue.Problems, tt.want) {
			t.Errorf("Parse(%q) problems = %q, want %q", tt.args, ue.Problems, tt.want)
		}
	}
}

// TestOptionTable checks the table against itself: unique names, and every option bound in pflag.
func TestOptionTable(t *testing.T) {
	var working []string
	for _, o := range options {
		if o.status == supported {
			working = append(working, o.long)
		}
	}
	want := []string{"use-file", "dump-conf", "json", "genhash", "all-config", "config-id", "signum", "config-test", "version", "help"}
	if !reflect.DeepEqual(working, want) {
		t.Errorf("supported options %q, want %q (update docs/cli.md when this changes)", working, want)
	}
	fs := newFlagSet(&Options{})
	shorts := map[byte]bool{}
	for _, o := range options {
		if o.short != 0 {
			if shorts[o.short] {
				t.Errorf("short option -%c used twice", o.short)
			}
			shorts[o.short] = true
		}
		f := fs.Lookup(o.long)
		if f == nil {
			t.Errorf("--%s has no pflag binding", o.long)
			continue
		}
		if o.short != 0 && f.Shorthand != string(o.short) {
			t.Errorf("--%s shorthand %q, want %q", o.long, f.Shorthand, string(o.short))
		}
		if o.status == notBuilt && o.feature == "" {
			t.Errorf("--%s is not built but names no feature", o.long)
		}
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{"-Dnl", "-t/tmp/x", "--use-file=a", "-f", "--", "--signum=JSON", "-M", "--d", "-i"} {
		f.Add(s, "-n")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		o, err := Parse([]string{a, b}, "id")
		if (o == nil) == (err == nil) {
			t.Fatalf("Parse(%q, %q) = %v, %v: want exactly one of options or error", a, b, o, err)
		}
		o2, err2 := Parse([]string{a, b}, "id")
		if !reflect.DeepEqual(o, o2) || (err == nil) != (err2 == nil) {
			t.Fatalf("Parse(%q, %q) is not deterministic", a, b)
		}
	})
}
