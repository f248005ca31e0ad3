package cli

import (
	"fmt"
	"io"
	"os"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// LoadOptions returns the configuration loading options the command line asks for (-i, -e).
func LoadOptions(opts *Options) config.LoadOptions {
	return config.LoadOptions{Syntax: syntax.Options{ConfigID: opts.ConfigID, AllConfig: opts.AllConfig}}
}

// Check loads the configuration and runs keepalived's script-security check on it, as both the
// config test and the daemon's start do: scripts that exist and would run without
// enable_script_security are a security violation (config-test exit code 6).
func Check(opts *Options) (*config.Config, syntax.Diagnostics) {
	cfg, diags := config.Load(opts.ConfigFile, LoadOptions(opts))
	if cfg != nil {
		diags = append(diags, policy.ConfigTest(cfg)...)
	}
	return cfg, diags
}

// ConfigTest implements -t/--config-test[=LOGFILE]: it loads the configuration, writes every
// diagnostic as "file:line: level: message" to LOGFILE (or stderr) and returns keepalived's
// config-test exit code: 0 clean, 4 cannot run, 5 errors it would work around, 6 script security.
// With -d as well, the model is dumped on stdout after the test.
func ConfigTest(opts *Options, stdout, stderr io.Writer) int {
	out := stderr
	if opts.ConfigTestLog != "" {
		f, err := os.OpenFile(opts.ConfigTestLog, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
		if err != nil {
			// keepalived: "Unable to open config-test log file" and exit 1.
			fmt.Fprintf(stderr, "Unable to open config-test log file %s: %v\n", opts.ConfigTestLog, err)
			return ExitUsage
		}
		defer f.Close()
		out = f
	}
	cfg, diags := Check(opts)
	for _, d := range diags {
		fmt.Fprintln(out, d.String())
	}
	if opts.DumpConf && cfg != nil {
		if err := writeDump(stdout, cfg, opts.JSON); err != nil {
			fmt.Fprintf(stderr, "gokeepalived: dump: %v\n", err)
		}
	}
	return diags.ExitCode()
}
