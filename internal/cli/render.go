package cli

import (
	"bufio"
	"io"
	"strconv"
	"strings"
)

// WriteText renders a dump tree as indented "Name: value" lines; list items start with "- ".
// Strings that are empty, carry blanks or could be misread are quoted Go-style.
func WriteText(w io.Writer, v *Value) error {
	bw := bufio.NewWriter(w)
	if v != nil {
		for _, l := range textLines(v) {
			bw.WriteString(l)
			bw.WriteByte('\n')
		}
	}
	return bw.Flush()
}

// textLines renders v as lines without a trailing newline, at indent 0.
func textLines(v *Value) []string {
	switch v.Kind {
	case Object:
		if len(v.Fields) == 0 {
			return []string{"{}"}
		}
		var out []string
		for _, f := range v.Fields {
			out = append(out, fieldLines(quoteText(f.Name), f.Value)...)
		}
		return out
	case List:
		if len(v.Items) == 0 {
			return []string{"[]"}
		}
		var out []string
		for _, it := range v.Items {
			sub := textLines(it)
			out = append(out, "- "+sub[0])
			for _, l := range sub[1:] {
				out = append(out, "  "+l)
			}
		}
		return out
	}
	return []string{quoteText(v.Text)}
}

// fieldLines renders "name: scalar" on one line, or "name:" followed by the indented composite.
func fieldLines(name string, v *Value) []string {
	if v.Kind == Scalar {
		return []string{name + ": " + quoteText(v.Text)}
	}
	out := []string{name + ":"}
	for _, l := range textLines(v) {
		out = append(out, "  "+l)
	}
	return out
}

// quoteText quotes s when printing it bare would be ambiguous: empty, with blanks, quotes or
// backslashes, or looking like a list item or a field name. "eth0:vip" and IPv6 addresses stay bare.
func quoteText(s string) string {
	if s == "" || strings.ContainsAny(s, " \t\n\"\\") || strings.HasPrefix(s, "- ") || strings.HasSuffix(s, ":") {
		return strconv.Quote(s)
	}
	return s
}

// WriteJSON renders a dump tree as indented JSON with fields in dump order.
func WriteJSON(w io.Writer, v *Value) error {
	bw := bufio.NewWriter(w)
	if v == nil {
		bw.WriteString("null\n")
		return bw.Flush()
	}
	writeJSON(bw, v, "")
	bw.WriteByte('\n')
	return bw.Flush()
}

func writeJSON(w *bufio.Writer, v *Value, indent string) {
	in := indent + "  "
	switch v.Kind {
	case Scalar:
		w.WriteString(v.JSON)
	case Object:
		if len(v.Fields) == 0 {
			w.WriteString("{}")
			return
		}
		w.WriteString("{\n")
		for i, f := range v.Fields {
			w.WriteString(in)
			w.WriteString(scalarString(f.Name).JSON)
			w.WriteString(": ")
			writeJSON(w, f.Value, in)
			if i < len(v.Fields)-1 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
		}
		w.WriteString(indent + "}")
	case List:
		if len(v.Items) == 0 {
			w.WriteString("[]")
			return
		}
		w.WriteString("[\n")
		for i, it := range v.Items {
			w.WriteString(in)
			writeJSON(w, it, in)
			if i < len(v.Items)-1 {
				w.WriteByte(',')
			}
			w.WriteByte('\n')
		}
		w.WriteString(indent + "]")
	}
}
