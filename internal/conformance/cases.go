package conformance

import (
	"path/filepath"
	"sort"
	"strings"
)

// SamplesDir is where Debian's keepalived package installs keepalived's sample configurations.
const SamplesDir = "/usr/share/doc/keepalived/samples"

// DefaultConfigSample is the default configuration Debian installs (keepalived's
// keepalived/etc/keepalived/keepalived.conf), which differs from samples/keepalived.conf.sample.
const DefaultConfigSample = "/etc/keepalived/keepalived.conf.sample"

// Case is one config-test run: a file and the config-id to use ("" = the default, the host name).
type Case struct {
	Name     string
	File     string
	ConfigID string
}

// Args returns the config-test command-line arguments (without the program name).
func (c Case) Args() []string {
	a := []string{"-t", "-f", c.File}
	if c.ConfigID != "" {
		a = append(a, "-i", c.ConfigID)
	}
	return a
}

// Cases returns the runs the conformance test makes: every keepalived.conf.* file in samplesDir
// (named by its suffix, "vrrp.routes"), the conditional sample again with -i high and -i low, the
// default configuration as "etc-default", and, when ownDir is not "", every *.conf there as
// "x-NAME" plus "x-missing-file" for a file that does not exist.
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
		cs = append(cs, Case{Name: "x-" + strings.TrimSuffix(filepath.Base(f), ".conf"), File: f})
	}
	cs = append(cs, Case{Name: "x-missing-file", File: filepath.Join(abs, "does-not-exist.conf")})
	return cs, nil
}
