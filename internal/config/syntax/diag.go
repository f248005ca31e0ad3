package syntax

import (
	"fmt"
	"strings"
)

// Pos is a place in a configuration file: the file name and the 1-based line number.
type Pos struct {
	File string
	Line int
}

// String renders the position as "file:line", the form editors and grep understand.
func (p Pos) String() string {
	if p.File == "" {
		return fmt.Sprintf("<input>:%d", p.Line)
	}
	return fmt.Sprintf("%s:%d", p.File, p.Line)
}

// Severity classifies a diagnostic. The order matters: the config-test exit code is derived from the
// most severe diagnostic, as keepalived keeps the numerically largest config_err_t (reference §1c.3).
type Severity int

const (
	// Info is a note that does not affect the config-test exit code.
	Info Severity = iota
	// Warning is a problem keepalived reports as a configuration error but works around
	// (unknown keyword, deprecated alias). It makes `-t` exit 5, as keepalived does.
	Warning
	// Error is an invalid value or construct; the default is kept and parsing goes on. `-t` exits 5.
	Error
	// Fatal means the daemon cannot run with this configuration (missing file, ...). `-t` exits 4.
	Fatal
	// Security is a script-security violation. `-t` exits 6, which beats every other code.
	Security
)

// String returns the lower-case level word used in "file:line: level: message" output.
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	case Error:
		return "error"
	case Fatal:
		return "fatal"
	case Security:
		return "security"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Diagnostic is one problem found in a configuration, tied to the place it was found.
type Diagnostic struct {
	Pos      Pos
	Severity Severity
	Msg      string
}

// String renders the diagnostic as "file:line: level: message".
func (d Diagnostic) String() string {
	return fmt.Sprintf("%s: %s: %s", d.Pos, d.Severity, d.Msg)
}

// Diagnostics is an ordered list of problems.
type Diagnostics []Diagnostic

// Config-test exit codes (keepalived main.c config_test_exit(), reference §1c.3).
const (
	ExitOK       = 0
	ExitFatal    = 4
	ExitErrors   = 5
	ExitSecurity = 6
)

// ExitCode returns keepalived's config-test exit code for these diagnostics.
func (ds Diagnostics) ExitCode() int {
	code := ExitOK
	for _, d := range ds {
		c := ExitOK
		switch d.Severity {
		case Warning, Error:
			c = ExitErrors
		case Fatal:
			c = ExitFatal
		case Security:
			c = ExitSecurity
		}
		// keepalived keeps the numerically largest code: 6 > 5 > 4.
		if c > code {
			code = c
		}
	}
	return code
}

// Max returns the highest severity present, or Info for none.
func (ds Diagnostics) Max() Severity {
	m := Info
	for _, d := range ds {
		if d.Severity > m {
			m = d.Severity
		}
	}
	return m
}

// String renders one diagnostic a line.
func (ds Diagnostics) String() string {
	var b strings.Builder
	for _, d := range ds {
		b.WriteString(d.String())
		b.WriteByte('\n')
	}
	return b.String()
}
