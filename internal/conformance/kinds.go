package conformance

import (
	"regexp"
	"strings"
)

// kindRule maps messages matching re (case-insensitive) to a problem kind.
type kindRule struct {
	kind string
	re   *regexp.Regexp
}

// rules are tried in order; the first match wins. Each pattern is written to match keepalived 2.2.7's
// wording (quoted in the comment) and the wording gokeepalived uses or is likely to use for the same
// problem, so that a kind names a problem, not a sentence. Several keepalived lines that report one
// problem map to the same kind ("number '0' outside range" + "vrrp_garp_interval '0' is invalid").
var rules = []kindRule{
	// "SECURITY VIOLATION - scripts are being executed but script_security not enabled."
	{"script-security", re(`security violation|script_security not enabled|script security|enable_script_security`)},
	// "Config files missing '/x'." / ours: "cannot read configuration: ...", "no configuration file matched"
	{"config-missing", re(`config files? missing|cannot read config|no such file|no configuration file matched|expected a matching file`)},
	// "Unknown keyword 'VI_2'"
	{"unknown-keyword", re(`unknown keyword`)},
	// "\"gw\" for routes is deprecated. Please use \"via\"", "Specifying lvs_sync_daemon_interface ... is deprecated."
	{"deprecated", re(`deprecated`)},
	// "Warning - cannot track route 192.168.112.0/24 with no interface specified, not tracking"
	{"route-untracked", re(`cannot track route|route .*(no|without) (an )?interface`)},
	// "Rule has no preference specified - setting to 16384. ..."
	{"rule-no-preference", re(`rule has no preference|no preference specified`)},
	// "VRRP parsed invalid IP 192.168.100./24. skipping IP...", "Invalid rule to address 192.168.100./24"
	{"invalid-address", re(`invalid ip|invalid rule (to|from) address|invalid (\w+ )?address|expects an (ip )?address|not an ip address|bad address`)},
	// "(VI_1) Ignoring track_interface eth0 since own interface"
	{"track-own-interface", re(`track_interface .*own interface|own interface`)},
	// "WARNING - interface eth0.1 for vrrp_instance VI_1 doesn't exist", "Non-existent interface specified in configuration"
	{"interface-missing", re(`interface .*(doesn't|does not) exist|non-existent interface|no such interface|unknown interface`)},
	// "No script set for vrrp_script check_VI_0 - removing"
	{"script-no-command", re(`no script set|has no '?script'?|(vrrp_script|script) .*(has no|without|missing) (a )?(script|command)`)},
	// "(VI_0) track script check_VI_0 not found, ignoring..."
	{"track-script-missing", re(`track[_ ]script .*not found|unknown (vrrp_)?script|script .* not (found|defined)`)},
	// "Sync group VG1 has no virtual router(s). removing"
	{"sync-group-empty", re(`sync group .*(has no|without|no) (virtual router|instance|member)|empty sync group|sync group .*empty group`)},
	// "Warning: Virtual server FWM 1: protocol specified for fwmark - protocol will be ignored"
	{"fwmark-protocol", re(`protocol specified for fwmark|fwmark.*protocol.*ignored`)},
	// "(VI_1) Initial state master is incompatible with AH authentication - clearing"
	{"ah-master", re(`incompatible with ah|\bah\b.*(master|state)|master.*\bah\b`)},
	// "Virtual server FWM 7: no forwarding method set, setting default NAT"
	{"lb-kind-default", re(`no forwarding method|lb_kind .*default|default (lb_kind|forwarding)`)},
	// "(VI_1) the virtual router id must be set"
	{"vrid-missing", re(`virtual.router.id must be set|(no|missing) virtual_router_id|virtual_router_id .*(not set|missing|required)`)},
	// "(VI_1) State MASTER must match being address owner"
	{"strict-owner", re(`address owner|must match being|priority 255`)},
	// ours: "(VI_1) Unicast peers are not supported in strict mode - removing instance"
	{"strict-unicast", re(`unicast.*strict|strict.*unicast`)},
	// "(VI_1) Strict mode does not support authentication. Ignoring."
	{"strict-auth", re(`strict.*authentication|authentication.*strict`)},
	// "routerid name missing - ignoring" / ours: "'x' is missing a value"
	{"value-missing", re(`name missing|missing a value|missing (a |the )?(value|parameter|argument)|requires a value`)},
	// "number '0' outside range [0.000001, 4294.967295]", "vrrp_garp_interval '0' is invalid"
	{"invalid-value", re(`outside range|out of range|is invalid|invalid value|expects|must be|not a valid|invalid .* '|invalid number`)},
	// "Unterminated quote ...", "Unmatched quote: ...", "Extra '}' found",
	// "There are 1 missing '}'s or extra '{'s"; keepalived also reports a stray '}' as "Unknown keyword
	// '}'", which the unknown-keyword rule above takes.
	{"syntax", re(`unterminated quote|unmatched quote|extra '}'|missing '}'|missing its closing|'\{' without`)},
}

func re(s string) *regexp.Regexp { return regexp.MustCompile(`(?i)` + s) }

// Other is the kind of a message no rule recognises.
const Other = "other"

// Classify returns the problem kind of one message (without file/line prefix), Other when no rule
// matches, or "" for a continuation line that only completes the previous message (keepalived prints
// "        Please use global lvs_sync_daemon" as a second, indented line).
func Classify(msg string) string {
	if strings.TrimSpace(msg) == "" || strings.HasPrefix(msg, " ") || strings.HasPrefix(msg, "\t") {
		return ""
	}
	for _, r := range rules {
		if r.re.MatchString(msg) {
			return r.kind
		}
	}
	return Other
}

// Kinds returns the list of kinds the rules know, in rule order (for docs and tests).
func Kinds() []string {
	out := make([]string, len(rules))
	for i, r := range rules {
		out[i] = r.kind
	}
	return out
}
