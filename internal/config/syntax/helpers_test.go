package syntax

import (
	"math/rand/v2"
	"strconv"
	"strings"
	"testing/fstest"
)

// dump renders a tree one node a line, indented by depth, with positions, so that golden files
// show both the structure and where every line came from.
func dump(nodes []*Node) string {
	var b strings.Builder
	var walk func([]*Node, int)
	walk = func(ns []*Node, depth int) {
		for _, n := range ns {
			b.WriteString(n.Pos.String())
			b.WriteString(": ")
			b.WriteString(strings.Repeat("  ", depth))
			for i, a := range n.Args {
				if i > 0 {
					b.WriteByte(' ')
				}
				b.WriteString(strconv.Quote(a))
			}
			if n.HasBlock {
				b.WriteString(" {")
			}
			b.WriteByte('\n')
			walk(n.Block, depth+1)
			if n.HasBlock {
				b.WriteString(strings.Repeat(" ", len(n.Pos.String())+2))
				b.WriteString(strings.Repeat("  ", depth))
				b.WriteString("}\n")
			}
		}
	}
	walk(nodes, 0)
	return b.String()
}

// testOptions returns options with everything injected: a fixed config-id, a seeded random
// source, a fake environment and an in-memory file system.
func testOptions(files fstest.MapFS) Options {
	if files == nil {
		files = fstest.MapFS{}
	}
	return Options{
		ConfigID: "main",
		FS:       FromFS(files),
		Rand:     rand.New(rand.NewPCG(1, 2)),
		LookupEnv: func(name string) (string, bool) {
			if name == "KA_TEST" {
				return "from-env", true
			}
			return "", false
		},
	}
}
