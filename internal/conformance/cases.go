package conformance

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// SamplesDir is where Debian's keepalived package installs keepalived's sample configurations.
const SamplesDir = "/usr/share/doc/keepalived/samples"

// DefaultConfigSample is the default configuration Debian installs (keepalived's
// keepalived/etc/keepalived/keepalived.conf), which differs from samples/keepalived.conf.sample.
const DefaultConfigSample = "/etc/keepalived/keepalived.conf.sample"

// Case is one config-test run: a file, the config-id to use ("" = the default, the host name) and
// any further options.
type Case struct {
	Name     string
	File     string
	ConfigID string
	Extra    []string
}

// Args returns the config-test command-line arguments (without the program name).
func (c Case) Args() []string {
	a := []string{"-t", "-f", c.File}
	if c.ConfigID != "" {
		a = append(a, "-i", c.ConfigID)
	}
	return append(a, c.Extra...)
}

// argsMarker starts a first line that gives an own configuration extra options ("# args: -e").
const argsMarker = "# args:"

// extraArgs reads the "# args: ..." first line of an own configuration, if any.
func extraArgs(file string) ([]string, error) {
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	first, _, _ := strings.Cut(string(b), "\n")
	rest, ok := strings.CutPrefix(first, argsMarker)
	if !ok {
		return nil, nil
	}
	return strings.Fields(rest), nil
}

// Cases returns the runs the conformance test makes: every keepalived.conf.* file in samplesDir
// (named by its suffix, "vrrp.routes"), the conditional sample again with -i high and -i low, the
// default configuration as "etc-default", and, when ownDir is not "", every *.conf there as
// "x-NAME" (a first line "# args: -e" adds options) plus "x-missing-file" for a file that does not
// exist.
func Cases(samplesDir, defaultConfig, ownDir string) ([]Case, error) {
	files, err := filepath.Glob(filepath.Join(samplesDir, "keepalived.conf.*"))
	if err != nil {
		return nil, err
	}
	sort.Strings(files)
	var cs []Case
	for _, f := range files {
		name := strings.TrimPrefix(filepath.Base(f), "keepalived.conf.")
		cs = append(cs, Case{Name: name, File: f})
		if name == "conditional_conf" {
			cs = append(cs, Case{Name: name + "@high", File: f, ConfigID: "high"},
				Case{Name: name + "@low", File: f, ConfigID: "low"})
		}
	}
	if defaultConfig != "" {
		cs = append(cs, Case{Name: "etc-default", File: defaultConfig})
	}
	if ownDir == "" {
		return cs, nil
	}
	abs, err := filepath.Abs(ownDir)
	if err != nil {
		return nil, err
	}
	own, err := filepath.Glob(filepath.Join(abs, "*.conf"))
	if err != nil {
		return nil, err
	}
	sort.Strings(own)
	for _, f := range own {
		extra, err := extraArgs(f)
		if err != nil {
			return nil, err
		}
		cs = append(cs, Case{Name: "x-" + strings.TrimSuffix(filepath.Base(f), ".conf"), File: f, Extra: extra})
	}
	cs = append(cs, Case{Name: "x-missing-file", File: filepath.Join(abs, "does-not-exist.conf")})
	return cs, nil
}
