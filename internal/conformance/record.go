package conformance

import (
	"bufio"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// Record is what one config-test run said: its exit code and its messages.
type Record struct {
	// Exit is the process exit code; 128+N when the process was killed by signal N (keepalived
	// 2.2.7 -t kills itself with SIGTERM, 143, for some script users).
	Exit int
	// Lines are the messages in order.
	Lines []Line
}

// Line is one message with the line number keepalived or gokeepalived gave it (0 when none).
type Line struct {
	Line int
	Msg  string
}

// Kinds returns the sorted set of problem kinds in r.
func (r Record) Kinds() []string {
	set := map[string]bool{}
	for _, l := range r.Lines {
		if k := Classify(l.Msg); k != "" {
			set[k] = true
		}
	}
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// keepalivedPrefix matches 2.2.7's "(FILE: Line N) " and "(Line N) " message prefixes.
var keepalivedPrefix = regexp.MustCompile(`^\((?:[^()]*: )?Line (\d+)\) ?`)

// ParseKeepalivedOutput splits keepalived -t output into lines, taking the line number from the
// "(file: Line N)" prefix when there is one.
func ParseKeepalivedOutput(out string) []Line {
	var lines []Line
	for _, s := range strings.Split(strings.TrimRight(out, "\n"), "\n") {
		if s == "" {
			continue
		}
		l := Line{Msg: s}
		if m := keepalivedPrefix.FindStringSubmatch(s); m != nil {
			l.Line, _ = strconv.Atoi(m[1])
			l.Msg = s[len(m[0]):]
		}
		lines = append(lines, l)
	}
	return lines
}

// FormatRecord renders a golden record: comment lines, "exit: N", then one "LINE<TAB>message" per
// message (LINE is "-" when the message has no line number).
func FormatRecord(comment []string, r Record) string {
	var b strings.Builder
	for _, c := range comment {
		fmt.Fprintf(&b, "# %s\n", c)
	}
	fmt.Fprintf(&b, "exit: %d\n", r.Exit)
	for _, l := range r.Lines {
		n := "-"
		if l.Line > 0 {
			n = strconv.Itoa(l.Line)
		}
		fmt.Fprintf(&b, "%s\t%s\n", n, l.Msg)
	}
	return b.String()
}

// ParseRecord reads a golden record written by FormatRecord.
func ParseRecord(text string) (Record, error) {
	var r Record
	sawExit := false
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		s := sc.Text()
		switch {
		case s == "" || strings.HasPrefix(s, "#"):
			continue
		case !sawExit:
			v, ok := strings.CutPrefix(s, "exit: ")
			code, err := strconv.Atoi(v)
			if !ok || err != nil || code < 0 || code > 255 {
				return Record{}, fmt.Errorf("record line %d: want \"exit: N\", found %q", n, s)
			}
			r.Exit, sawExit = code, true
		default:
			num, msg, ok := strings.Cut(s, "\t")
			if !ok {
				return Record{}, fmt.Errorf("record line %d: want \"LINE<TAB>message\", found %q", n, s)
			}
			l := Line{Msg: msg}
			if num != "-" {
				v, err := strconv.Atoi(num)
				if err != nil || v <= 0 {
					return Record{}, fmt.Errorf("record line %d: bad line number %q", n, num)
				}
				l.Line = v
			}
			r.Lines = append(r.Lines, l)
		}
	}
	if err := sc.Err(); err != nil {
		return Record{}, fmt.Errorf("reading record: %w", err)
	}
	if !sawExit {
		return Record{}, fmt.Errorf("record has no \"exit: N\" line")
	}
	return r, nil
}
