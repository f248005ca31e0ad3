package conformance

import (
	"reflect"
	"strings"
	"testing"
)

func TestParseKeepalivedOutput(t *testing.T) {
	out := "(/usr/share/doc/keepalived/samples/keepalived.conf.vrrp.rules: Line 10) Rule has no preference\n" +
		"(Line 15) number '0' outside range\n" +
		"(VI_1) Strict mode does not support authentication. Ignoring.\n" +
		"(/x: Line 11)         Please use global lvs_sync_daemon\n\n"
	want := []Line{
		{10, "Rule has no preference"},
		{15, "number '0' outside range"},
		{0, "(VI_1) Strict mode does not support authentication. Ignoring."},
		{11, "        Please use global lvs_sync_daemon"},
	}
	if got := ParseKeepalivedOutput(out); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	r := Record{Exit: 5, Lines: []Line{{29, "Warning - cannot track route"}, {0, "Sync group VG1 has no virtual router(s). removing"}}}
	text := FormatRecord([]string{"keepalived -t -f x"}, r)
	if !strings.HasPrefix(text, "# keepalived -t -f x\nexit: 5\n29\tWarning") {
		t.Errorf("FormatRecord = %q", text)
	}
	back, err := ParseRecord(text)
	if err != nil || !reflect.DeepEqual(back, r) {
		t.Errorf("ParseRecord(FormatRecord(r)) = %+v, %v; want %+v", back, err, r)
	}
	if k := r.Kinds(); !reflect.DeepEqual(k, []string{"route-untracked", "sync-group-empty"}) {
		t.Errorf("Kinds = %q", k)
	}
}

func TestParseRecordErrors(t *testing.T) {
	for _, text := range []string{
		"",
		"# only a comment\n",
		"exit: x\n",
		"exit: 300\n",
		"exit: 5\nno tab here\n",
		"exit: 5\n0\tline zero\n",
		"5\tmessage before exit\n",
	} {
		if _, err := ParseRecord(text); err == nil {
			t.Errorf("ParseRecord(%q) succeeded, want an error", text)
		}
	}
}

func FuzzParseRecord(f *testing.F) {
	f.Add("# c\nexit: 5\n10\tUnknown keyword 'x'\n-\tSECURITY VIOLATION\n")
	f.Add("exit: 0\n")
	f.Add("exit: 143\n-\t\n")
	f.Fuzz(func(t *testing.T, text string) {
		r, err := ParseRecord(text)
		if err != nil {
			return
		}
		// Whatever parses must survive a round trip unchanged.
		back, err := ParseRecord(FormatRecord(nil, r))
		if err != nil || !reflect.DeepEqual(back, r) {
			t.Fatalf("round trip of %q: %+v, %v; want %+v", text, back, err, r)
		}
	})
}

func FuzzParseKeepalivedOutput(f *testing.F) {
	f.Add("(/x.conf: Line 10) Rule has no preference\n(Line 15) n\nplain\n")
	f.Add("(a: b: Line 3) x")
	f.Add("(Line 99999999999999999999) overflow")
	f.Fuzz(func(t *testing.T, out string) {
		for _, l := range ParseKeepalivedOutput(out) {
			if l.Line < 0 {
				t.Fatalf("negative line number from %q", out)
			}
			if !strings.Contains(out, l.Msg) || strings.Contains(l.Msg, "\n") {
				t.Fatalf("message %q is not one line of the input %q", l.Msg, out)
			}
		}
	})
}
