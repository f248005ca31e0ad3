package conformance

import (
	"bufio"
	"fmt"
	"slices"
	"strings"
)

// Difference is one way gokeepalived's answer differs from keepalived's for a case.
type Difference struct {
	// Case names the sample run (see Case.Name).
	Case string
	// Item is "exit" (different exit codes), "-KIND" (keepalived reports a kind we do not),
	// "+KIND" (we report a kind keepalived does not), or, for a kind both report, "-KIND@LINE"
	// (keepalived reports it on a line we do not) and "+KIND@LINE" (the reverse).
	Item string
	// Detail says what each side said, for the test log and the report.
	Detail string
}

// Compare lists the differences between keepalived's record and ours for one case.
func Compare(name string, keepalived, ours Record) []Difference {
	var diffs []Difference
	if keepalived.Exit != ours.Exit {
		diffs = append(diffs, Difference{Case: name, Item: "exit",
			Detail: fmt.Sprintf("keepalived exits %d, we exit %d", keepalived.Exit, ours.Exit)})
	}
	kk, ok := keepalived.Kinds(), ours.Kinds()
	for _, k := range kk {
		if !slices.Contains(ok, k) {
			diffs = append(diffs, Difference{Case: name, Item: "-" + k,
				Detail: "keepalived: " + strings.Join(messagesOf(keepalived, k), " | ")})
		}
	}
	for _, k := range ok {
		if !slices.Contains(kk, k) {
			diffs = append(diffs, Difference{Case: name, Item: "+" + k,
				Detail: "we: " + strings.Join(messagesOf(ours, k), " | ")})
		}
	}
	return append(diffs, compareLines(name, keepalived, ours, kk, ok)...)
}

// compareLines compares, for the kinds both sides report, where they report them: a kind on the
// same set of lines hides a second problem of that kind (keepalived rejects vrrp_garp_interval 0 on
// line 15 and vrrp_gna_interval 0 on line 16; reporting only line 15 is a difference). keepalived
// gives no line for some messages, so "-KIND@LINE" is checked for each of its lines that has one,
// and "+KIND@LINE" only when every keepalived message of that kind has a line.
func compareLines(name string, keepalived, ours Record, kk, ok []string) []Difference {
	var diffs []Difference
	for _, k := range kk {
		if !slices.Contains(ok, k) {
			continue
		}
		kl, kAll := linesOf(keepalived, k)
		ol, _ := linesOf(ours, k)
		for _, n := range kl {
			if !slices.Contains(ol, n) {
				diffs = append(diffs, Difference{Case: name, Item: fmt.Sprintf("-%s@%d", k, n),
					Detail: fmt.Sprintf("keepalived: %s; we: %s", strings.Join(messagesAt(keepalived, k, n), " | "),
						strings.Join(messagesOf(ours, k), " | "))})
			}
		}
		if !kAll {
			continue
		}
		for _, n := range ol {
			if !slices.Contains(kl, n) {
				diffs = append(diffs, Difference{Case: name, Item: fmt.Sprintf("+%s@%d", k, n),
					Detail: fmt.Sprintf("we: %s; keepalived: %s", strings.Join(messagesAt(ours, k, n), " | "),
						strings.Join(messagesOf(keepalived, k), " | "))})
			}
		}
	}
	return diffs
}

// linesOf returns the distinct line numbers r reports kind k on, in order, and whether every
// message of that kind had a line number.
func linesOf(r Record, k string) ([]int, bool) {
	var out []int
	all := true
	for _, l := range r.Lines {
		if Classify(l.Msg) != k {
			continue
		}
		if l.Line == 0 {
			all = false
			continue
		}
		if !slices.Contains(out, l.Line) {
			out = append(out, l.Line)
		}
	}
	return out, all
}

// messagesAt returns r's messages of kind k on line n.
func messagesAt(r Record, k string, n int) []string {
	var out []string
	for _, l := range r.Lines {
		if l.Line == n && Classify(l.Msg) == k {
			out = append(out, l.Msg)
		}
	}
	return out
}

// messagesOf returns r's messages of kind k, with their line numbers when known.
func messagesOf(r Record, k string) []string {
	var out []string
	for _, l := range r.Lines {
		if Classify(l.Msg) != k {
			continue
		}
		if l.Line > 0 {
			out = append(out, fmt.Sprintf("%d: %s", l.Line, l.Msg))
		} else {
			out = append(out, l.Msg)
		}
	}
	return out
}

// Tags a known difference may carry.
const (
	// TagModelIncomplete marks a difference that exists only because the configuration model does not
	// cover the keyword or check yet; remove the entry when the model catches up.
	TagModelIncomplete = "model-incomplete"
	// TagDeliberate marks a difference gokeepalived keeps on purpose (docs/compat.md says why).
	TagDeliberate = "deliberate"
	// TagUpstreamBug marks keepalived 2.2.7 behaviour that is a bug gokeepalived does not copy.
	TagUpstreamBug = "upstream-bug"
	// TagEnvironment marks a difference caused by the test environment, not by either program.
	TagEnvironment = "environment"
	// TagVersionDelta marks gokeepalived following a later keepalived (2.4) where 2.2.7 differs.
	TagVersionDelta = "version-delta"
)

// Known is one entry of known-differences.txt.
type Known struct {
	Case, Item, Tag, Reason string
}

// Key identifies the difference an entry excuses.
func (k Known) Key() string { return k.Case + " " + k.Item }

// Key identifies a difference.
func (d Difference) Key() string { return d.Case + " " + d.Item }

// ParseKnown reads known-differences.txt: "CASE ITEM TAG reason..." per line, '#' comments. Every
// entry must carry a tag and a reason.
func ParseKnown(text string) (map[string]Known, error) {
	out := map[string]Known{}
	sc := bufio.NewScanner(strings.NewReader(text))
	for n := 1; sc.Scan(); n++ {
		s := strings.TrimSpace(sc.Text())
		if s == "" || strings.HasPrefix(s, "#") {
			continue
		}
		f := strings.Fields(s)
		if len(f) < 4 {
			return nil, fmt.Errorf("known-differences line %d: want CASE ITEM TAG REASON, found %q", n, s)
		}
		k := Known{Case: f[0], Item: f[1], Tag: f[2], Reason: strings.Join(f[3:], " ")}
		switch k.Tag {
		case TagModelIncomplete, TagDeliberate, TagUpstreamBug, TagEnvironment, TagVersionDelta:
		default:
			return nil, fmt.Errorf("known-differences line %d: unknown tag %q", n, k.Tag)
		}
		if k.Item != "exit" && (len(k.Item) < 2 || (k.Item[0] != '-' && k.Item[0] != '+')) {
			return nil, fmt.Errorf("known-differences line %d: item %q is not exit, -KIND[@LINE] or +KIND[@LINE]", n, k.Item)
		}
		if _, dup := out[k.Key()]; dup {
			return nil, fmt.Errorf("known-differences line %d: %s listed twice", n, k.Key())
		}
		out[k.Key()] = k
	}
	return out, sc.Err()
}

// KnownLine renders a difference as a known-differences.txt line with tag and reason to fill in.
func (d Difference) KnownLine(tag, reason string) string {
	return fmt.Sprintf("%-26s %-24s %-17s %s", d.Case, d.Item, tag, reason)
}
