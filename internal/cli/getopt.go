package cli

import (
	"fmt"
	"sort"
	"strings"
)

// canonical is the result of reading a command line the way GNU getopt_long reads it.
type canonical struct {
	// flags holds every option found, rewritten as "--long" or "--long=value", in order. pflag parses
	// this form identically to getopt, which it does not do for every raw form (see normalise).
	flags []string
	// operands are the non-option words, which keepalived reports as unexpected and ignores.
	operands []string
	// errs are keepalived-worded problems ("Unknown option -Z"); any of them makes the run exit 1.
	errs []string
}

// normalise reads args with GNU getopt_long rules for keepalived's option table:
//   - short options combine ("-Dnl"); a required value may be attached ("-fFILE") or the next word;
//   - an optional value (-t, -g, -M) must be attached ("-t/tmp/log"); "-t /tmp/log" is -t plus an
//     operand, as with getopt. pflag alone would read "-tFILE" as -t -F -I -L -E, hence this pass;
//   - long options take "--name=value" or, when the value is required, "--name value"; a unique
//     prefix of a long name is accepted ("--use" is --use-file), an exact name always wins;
//   - operands may be mixed with options (getopt permutes them); "--" ends the options.
func normalise(args []string) canonical {
	var c canonical
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			c.operands = append(c.operands, args[i+1:]...)
			return c
		case strings.HasPrefix(a, "--"):
			i = c.long(args, i)
		case len(a) > 1 && a[0] == '-':
			i = c.shorts(args, i)
		default:
			c.operands = append(c.operands, a)
		}
	}
	return c
}

// long reads the long option args[i] and returns the index of the last word it used.
func (c *canonical) long(args []string, i int) int {
	name, value, hasValue := strings.Cut(args[i][2:], "=")
	o, err := lookupLong(name)
	if err != "" {
		c.errs = append(c.errs, err)
		return i
	}
	switch o.arg {
	case noArg:
		if hasValue {
			// getopt_long: "option '--x' doesn't allow an argument"; keepalived reports it as unknown.
			c.errs = append(c.errs, fmt.Sprintf("Option --%s does not take a parameter", o.long))
			return i
		}
		c.flags = append(c.flags, "--"+o.long)
	case optionalArg:
		if hasValue {
			c.flags = append(c.flags, "--"+o.long+"="+value)
		} else {
			c.flags = append(c.flags, "--"+o.long)
		}
	case requiredArg:
		if !hasValue {
			if i+1 < len(args) {
				i++
				value, hasValue = args[i], true
			}
		}
		// keepalived rejects an empty required value ("--use-file=") as missing.
		if !hasValue || value == "" {
			c.errs = append(c.errs, "Missing parameter for option --"+o.long)
			return i
		}
		c.flags = append(c.flags, "--"+o.long+"="+value)
	}
	return i
}

// shorts reads the cluster of short options args[i] and returns the index of the last word it used.
func (c *canonical) shorts(args []string, i int) int {
	a := args[i]
	for j := 1; j < len(a); j++ {
		o, ok := byShort[a[j]]
		if !ok {
			c.errs = append(c.errs, fmt.Sprintf("Unknown option -%c", a[j]))
			continue
		}
		rest := a[j+1:]
		switch o.arg {
		case noArg:
			c.flags = append(c.flags, "--"+o.long)
			continue
		case optionalArg:
			if rest != "" {
				c.flags = append(c.flags, "--"+o.long+"="+rest)
			} else {
				c.flags = append(c.flags, "--"+o.long)
			}
		case requiredArg:
			switch {
			case rest != "":
				c.flags = append(c.flags, "--"+o.long+"="+rest)
			case i+1 < len(args):
				i++
				c.flags = append(c.flags, "--"+o.long+"="+args[i])
			default:
				c.errs = append(c.errs, fmt.Sprintf("Missing parameter for option -%c", o.short))
			}
		}
		// A value-taking option ends the cluster.
		return i
	}
	return i
}

// lookupLong finds a long option by exact name or unique prefix; it returns a keepalived-worded
// error otherwise.
func lookupLong(name string) (*option, string) {
	if o, ok := byLong[name]; ok {
		return o, ""
	}
	var matches []string
	if name != "" {
		for n := range byLong {
			if strings.HasPrefix(n, name) {
				matches = append(matches, n)
			}
		}
	}
	switch len(matches) {
	case 0:
		return nil, "Unknown option --" + name
	case 1:
		return byLong[matches[0]], ""
	}
	sort.Strings(matches)
	// keepalived says "Unknown option --d"; the candidates are added after the same words.
	return nil, fmt.Sprintf("Unknown option --%s (ambiguous: --%s)", name, strings.Join(matches, ", --"))
}
