package cli

import (
	"fmt"
	"io"
	"strings"
)

// printUsage writes the -h text in keepalived's layout: one line per option, "-x, --long=ARG" in a
// 29-column field, continuation lines indented under the description.
func printUsage(w io.Writer) {
	fmt.Fprintln(w, "Usage: gokeepalived [OPTION...]")
	fmt.Fprintln(w, "   or: gokeepalived status [--socket PATH] [--instance NAME] [--json]   (see status --help)")
	for i := range options {
		o := &options[i]
		var b strings.Builder
		if o.short != 0 {
			fmt.Fprintf(&b, "  -%c, ", o.short)
		} else {
			b.WriteString("      ")
		}
		b.WriteString("--" + o.long)
		switch o.arg {
		case requiredArg:
			b.WriteString("=" + o.argName)
		case optionalArg:
			b.WriteString("[=" + o.argName + "]")
		}
		head := b.String()
		lines := strings.Split(o.usage, "\n")
		if o.status == notBuilt {
			lines[0] += " [not built yet]"
		}
		if len(head) < 31 {
			fmt.Fprintf(w, "%-31s%s\n", head, lines[0])
		} else {
			fmt.Fprintf(w, "%s\n%31s%s\n", head, "", lines[0])
		}
		for _, l := range lines[1:] {
			fmt.Fprintf(w, "%31s%s\n", "", strings.TrimSpace(l))
		}
	}
}
