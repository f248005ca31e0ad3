package packet

import (
	"bytes"
	"encoding/hex"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// readHex loads a testdata/*.hex file: hex digits, whitespace ignored, '#' starts a comment.
func readHex(t testing.TB, name string) []byte {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	for _, line := range strings.Split(string(raw), "\n") {
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		sb.WriteString(strings.Join(strings.Fields(line), ""))
	}
	b, err := hex.DecodeString(sb.String())
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return b
}

// checkGolden compares got with testdata/name, rewriting it under -update.
func checkGolden(t *testing.T, name, comment string, got []byte) {
	t.Helper()
	if *update {
		var sb strings.Builder
		for _, l := range strings.Split(comment, "\n") {
			sb.WriteString("# " + l + "\n")
		}
		for i := 0; i < len(got); i += 16 {
			sb.WriteString(hex.EncodeToString(got[i:min(i+16, len(got))]) + "\n")
		}
		if err := os.WriteFile(filepath.Join("testdata", name), []byte(sb.String()), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want := readHex(t, name)
	if !bytes.Equal(got, want) {
		t.Errorf("%s mismatch\ngot  %x\nwant %x", name, got, want)
	}
}

func addr(s string) netip.Addr { return netip.MustParseAddr(s) }

// naiveSum is a deliberately simple RFC 1071 sum used to cross-check the package.
func naiveSum(parts ...[]byte) uint16 {
	var all []byte
	for _, p := range parts {
		all = append(all, p...)
	}
	if len(all)%2 == 1 {
		all = append(all, 0)
	}
	s := 0
	for i := 0; i < len(all); i += 2 {
		s += int(all[i])<<8 | int(all[i+1])
	}
	for s > 0xffff {
		s = s&0xffff + s>>16
	}
	return uint16(s)
}
