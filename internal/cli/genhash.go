package cli

import (
	"context"
	"fmt"
	"io"
	"net/netip"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
)

// genhashIndex returns the index of -T/--genhash in args, or -1. keepalived switches to genhash
// mode when getopt meets -T; options before it are ignored with a warning (main.c).
func genhashIndex(args []string) int {
	for i, a := range args {
		switch {
		case a == "--":
			return -1
		case a == "-T" || a == "--genhash":
			return i
		}
	}
	return -1
}

// genhashOpt is one option of keepalived's genhash command line (check_genhash.c long_options).
type genhashOpt struct {
	short byte
	long  string
	arg   bool // takes a required value
}

var genhashOpts = []genhashOpt{
	{'h', "help", false}, {'T', "genhash", false}, {'v', "verbose", false}, {'S', "use-ssl", false},
	{'I', "use-sni", false}, {'s', "server", true}, {'H', "hash", true}, {'V', "use-virtualhost", true},
	{'p', "port", true}, {'u', "url", true}, {'m', "fwmark", true}, {'P', "protocol", true},
	{'t', "timeout", true},
}

// genhashUsage is keepalived's genhash_usage() text.
func genhashUsage(w io.Writer) {
	fmt.Fprint(w, `Usage: gokeepalived --genhash COMMAND [OPTIONS]
Commands:
   -s server-address -p port -u url
   -S -s server-address -p port -u url
   -h

Options:
Either long or short options are allowed.
   --use-ssl         -S       Use SSL connection to remote server.
   --use-sni         -I       Use SNI during SSL handshake (uses virtualhost setting; see -V).
   --server          -s       Use the specified remote server address.
   --port            -p       Use the specified remote server port.
   --url             -u       Use the specified remote server url.
   --use-virtualhost -V       Use the specified virtualhost in GET query.
   --hash            -H       Use the specified hash algorithm.
   --verbose         -v       Use verbose mode output.
   --help            -h       Display this short inlined help screen.
   --fwmark          -m       Use the specified FW mark.
   --protocol        -P       Use the specified HTTP protocol - '1.0', 1.0c', '1.1'.
                                1.0c means 1.0 with 'Connection: close'
   --timeout         -t       Timeout in seconds
`)
}

// errGenhashHelp asks for the usage text with exit status 0.
var errGenhashHelp = fmt.Errorf("help")

// parseGenhash reads genhash's options (GNU getopt_long rules: combined short options, attached or
// separate values, unique long prefixes) into check.GenhashOptions. Messages are keepalived's.
func parseGenhash(args []string) (check.GenhashOptions, error) {
	var o check.GenhashOptions
	var haveServer, havePort, haveURL, help bool
	var operands []string
	set := func(opt genhashOpt, v string) error {
		switch opt.short {
		case 'h':
			help = true
		case 'v':
			o.Verbose = true
		case 'S':
			o.SSL = true
		case 'I':
			o.SNI = true
		case 's':
			a, err := netip.ParseAddr(v)
			if err != nil {
				return fmt.Errorf("server should be an IP, not %s", v)
			}
			o.Server, haveServer = a, true
		case 'H':
			// keepalived only ever computes MD5.
			if !strings.EqualFold(v, "md5") {
				return fmt.Errorf("invalid hash algorithm '%s' (only md5 is supported)", v)
			}
		case 'V':
			o.VirtualHost = v
		case 'p':
			n, err := strconv.Atoi(v)
			if err != nil || n <= 0 || n > 65535 {
				return fmt.Errorf("invalid port number '%s'", v)
			}
			o.Port, havePort = uint16(n), true
		case 'u':
			o.URL, haveURL = v, true
		case 'm':
			n, err := strconv.ParseUint(strings.TrimLeft(v, " \t"), 10, 32)
			if err != nil {
				return fmt.Errorf("invalid fwmark '%s'", v)
			}
			o.FWMark = uint32(n)
		case 'P':
			p, err := check.ParseHTTPProtocol(v)
			if err != nil {
				return fmt.Errorf("invalid HTTP protocol version '%s'", v)
			}
			o.Protocol = p
		case 't':
			n, err := strconv.ParseUint(strings.TrimLeft(v, " \t"), 10, 32)
			if err != nil {
				return fmt.Errorf("invalid timeout '%s'", v)
			}
			o.Timeout = time.Duration(n) * time.Second
		}
		return nil
	}
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			operands = append(operands, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "--"):
			name, val, hasVal := strings.Cut(a[2:], "=")
			opt, err := genhashLong(name)
			if err != nil {
				return o, err
			}
			if opt.arg && !hasVal {
				if i+1 >= len(args) {
					return o, fmt.Errorf("option '--%s' requires an argument", opt.long)
				}
				i++
				val = args[i]
			} else if !opt.arg && hasVal {
				return o, fmt.Errorf("option '--%s' doesn't allow an argument", opt.long)
			}
			if err := set(opt, val); err != nil {
				return o, err
			}
		case len(a) > 1 && a[0] == '-':
			for j := 1; j < len(a); j++ {
				opt, ok := genhashShort(a[j])
				if !ok {
					return o, fmt.Errorf("invalid option -- '%c'", a[j])
				}
				val := ""
				if opt.arg {
					switch {
					case j+1 < len(a):
						val = a[j+1:]
					case i+1 < len(args):
						i++
						val = args[i]
					default:
						return o, fmt.Errorf("option requires an argument -- '%c'", a[j])
					}
					j = len(a)
				}
				if err := set(opt, val); err != nil {
					return o, err
				}
			}
		default:
			operands = append(operands, a)
		}
	}
	if len(operands) > 0 {
		return o, unexpectedArgs(operands)
	}
	if help {
		return o, errGenhashHelp
	}
	if !haveServer || !havePort || !haveURL {
		return o, fmt.Errorf("server (-s), port (-p) and url (-u) are required")
	}
	return o, nil
}

// unexpectedArgs reports operands, which genhash does not take, in keepalived's words.
type unexpectedArgs []string

func (u unexpectedArgs) Error() string { return "Unexpected argument(s): " + strings.Join(u, " ") }

// genhashShort finds a short option.
func genhashShort(c byte) (genhashOpt, bool) {
	for _, o := range genhashOpts {
		if o.short == c {
			return o, true
		}
	}
	return genhashOpt{}, false
}

// genhashLong finds a long option by exact name or unique prefix, as getopt_long does.
func genhashLong(name string) (genhashOpt, error) {
	var found []genhashOpt
	for _, o := range genhashOpts {
		if o.long == name {
			return o, nil
		}
		if name != "" && strings.HasPrefix(o.long, name) {
			found = append(found, o)
		}
	}
	switch len(found) {
	case 1:
		return found[0], nil
	case 0:
		return genhashOpt{}, fmt.Errorf("unrecognized option '--%s'", name)
	}
	return genhashOpt{}, fmt.Errorf("option '--%s' is ambiguous", name)
}

// Genhash runs keepalived's genhash utility (-T/--genhash): args is the whole command line and at
// the index of -T. It prints the MD5 digest of the URL's body on env.Stdout and returns the exit
// status: 0 on success, 1 for a bad command line (with the usage on stderr) or a failed fetch
// (keepalived prints the failure on stdout and exits 0; see docs/checkers.md).
func Genhash(args []string, at int, env Env) int {
	if at > 0 {
		fmt.Fprintf(env.Stderr, "Warning -- `%s` not used as first option, previous options ignored\n", args[at])
	}
	rest := args[at+1:]
	if len(rest) == 0 {
		genhashUsage(env.Stderr)
		return ExitUsage
	}
	o, err := parseGenhash(rest)
	if err == errGenhashHelp {
		genhashUsage(env.Stderr)
		return ExitOK
	}
	if err != nil {
		fmt.Fprintln(env.Stderr, err)
		genhashUsage(env.Stderr)
		return ExitUsage
	}
	// keepalived's genhash stops on SIGINT/SIGTERM.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := check.Genhash(ctx, o, env.Stdout); err != nil {
		fmt.Fprintln(env.Stderr, err)
		return ExitUsage
	}
	return ExitOK
}
