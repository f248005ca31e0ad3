package config

import (
	"net/netip"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// CheckerType identifies a health checker block.
type CheckerType uint8

// Checker types, named after their block keyword.
const (
	CheckTCP CheckerType = iota
	CheckHTTP
	CheckSSL
	CheckMisc
	CheckSMTP
	CheckDNS
	CheckUDP
	CheckPing
	CheckFile
	CheckBFD
)

var checkerNames = [...]string{"TCP_CHECK", "HTTP_GET", "SSL_GET", "MISC_CHECK", "SMTP_CHECK",
	"DNS_CHECK", "UDP_CHECK", "PING_CHECK", "FILE_CHECK", "BFD_CHECK"}

// String returns the block keyword.
func (t CheckerType) String() string {
	if int(t) < len(checkerNames) {
		return checkerNames[t]
	}
	return "CHECK?"
}

// ConnOptions are the connection keywords common to the network checkers and SMTP host{} blocks
// (check_api.c install_checker_common_keywords()). Zero values mean "not given".
type ConnOptions struct {
	ConnectIP   netip.Addr
	ConnectPort uint16
	BindTo      netip.Addr
	BindPort    uint16
	BindIf      string
	// Fwmark is the SO_MARK of the checker's socket.
	Fwmark uint32
}

// Checker is one checker block of a real server.
type Checker struct {
	Pos  syntax.Pos
	Type CheckerType
	// Conn holds the connection options given in the block (not used by MISC, FILE and BFD).
	Conn           ConnOptions
	Timing         Timing
	Alpha          Setting[bool]
	LogAllFailures Setting[bool]

	// Exactly the one matching Type is set (none for TCP_CHECK and PING_CHECK).
	HTTP *HTTPCheck
	Misc *MiscCheck
	SMTP *SMTPCheck
	DNS  *DNSCheck
	UDP  *UDPCheck
	File *FileCheck
	BFD  *BFDCheck

	// Resolved holds the effective values after the virtual server → real server → checker cascade
	// and the per-checker defaults (filled by finishLVS), so the checker engine need not redo it.
	Resolved ResolvedCheck
}

// ResolvedCheck is a checker's effective settings.
type ResolvedCheck struct {
	DelayLoop        time.Duration
	ConnectTimeout   time.Duration
	Retry            int
	DelayBeforeRetry time.Duration
	// Warmup is the upper bound of the random delay before the first check (default delay_loop).
	Warmup time.Duration
	Alpha  bool
	// Target is where a network checker connects: connect_ip/connect_port, else the real server's
	// address and port (or the checker's well-known port when the real server has none).
	Target netip.AddrPort
	// Bind is the local address and port (bindto/bind_port); invalid when not given.
	Bind netip.AddrPort
	// Virtualhost is the Host for HTTP_GET/SSL_GET: checker, then real server, then virtual server.
	Virtualhost string
	// LogAllFailures is log_all_failures, else the global checker_log_all_failures.
	LogAllFailures bool
}

// HTTPProtocol is the request line version of HTTP_GET/SSL_GET.
type HTTPProtocol uint8

// HTTP protocol versions; 1.0C is 1.0 with "Connection: close".
const (
	HTTP10 HTTPProtocol = iota
	HTTP10Close
	HTTP11
)

// String returns the keyword value.
func (h HTTPProtocol) String() string {
	switch h {
	case HTTP10Close:
		return "1.0C"
	case HTTP11:
		return "1.1"
	}
	return "1.0"
}

// HTTPCheck holds HTTP_GET/SSL_GET options (check_http.c).
type HTTPCheck struct {
	URLs         []*URLCheck
	Virtualhost  string
	Protocol     HTTPProtocol
	EnableSNI    bool
	SNIName      string
	TLSCompliant bool
	FastRecovery bool
}

// StatusRange is an inclusive range of HTTP status codes.
type StatusRange struct{ Lo, Hi int }

// StatusCodes is a status_code list.
type StatusCodes []StatusRange

// Match reports whether code is in the list.
func (s StatusCodes) Match(code int) bool {
	for _, r := range s {
		if code >= r.Lo && code <= r.Hi {
			return true
		}
	}
	return false
}

// URLCheck is one url{} block. Every url of a checker must pass.
type URLCheck struct {
	Pos  syntax.Pos
	Path string
	// Digest is the expected MD5 of the body (16 bytes), nil when not checked.
	Digest []byte
	// StatusCodes defaults to 200-299.
	StatusCodes    StatusCodes
	Virtualhost    string
	Regex          string
	RegexNoMatch   bool
	RegexOptions   []string
	RegexMinOffset int
	RegexMaxOffset int
	RegexStack     int
	TLSCompliant   bool
}

// Host returns the Host header for u: the url's virtualhost, else the checker's resolved one (checker,
// real server, virtual server). Empty means the target address (with its port if not 80/443).
func (c *Checker) Host(u *URLCheck) string {
	if u.Virtualhost != "" {
		return u.Virtualhost
	}
	return c.Resolved.Virtualhost
}

// MiscCheck holds MISC_CHECK options (check_misc.c).
type MiscCheck struct {
	// Path is the command; nil is reported and the checker dropped.
	Path *CheckScript
	// Timeout kills the script; 0 means not given, and Resolved uses delay_loop.
	Timeout time.Duration
	// ResolvedTimeout is Timeout, or the checker's delay_loop (filled by finishLVS).
	ResolvedTimeout time.Duration
	Dynamic         bool
	User, Group     string
}

// SMTPCheck holds SMTP_CHECK options (check_smtp.c).
type SMTPCheck struct {
	HeloName string // default smtpchecker.keepalived.org
	Hosts    []*SMTPHost
	// Targets are the resolved addresses to check: the host{} blocks, or the checker itself.
	Targets []ResolvedHost
}

// SMTPHost is one host{} block; its options override the checker's.
type SMTPHost struct {
	Pos  syntax.Pos
	Conn ConnOptions
}

// ResolvedHost is one effective SMTP target.
type ResolvedHost struct {
	Target netip.AddrPort
	Bind   netip.AddrPort
	BindIf string
	Fwmark uint32
}

// DNSCheck holds DNS_CHECK options (check_dns.c).
type DNSCheck struct {
	// Type is the query type code (RFC 1035 §3.2.2, RFC 3596, RFC 4034); default SOA.
	Type uint16
	Name string // default "."
}

// dnsTypes are the query types keepalived accepts.
var dnsTypes = map[string]uint16{"A": 1, "NS": 2, "CNAME": 5, "SOA": 6, "MX": 15, "TXT": 16,
	"AAAA": 28, "RRSIG": 46, "DNSKEY": 48}

// UDPCheck holds UDP_CHECK options (check_udp.c).
type UDPCheck struct {
	// Payload is sent as is; nil means keepalived's random payload.
	Payload      []byte
	RequireReply bool
	// Reply and ReplyMask describe the expected reply: a byte matches when
	// reply[i]&ReplyMask[i] == Reply[i]&ReplyMask[i] ('X' nibbles are wildcards). Nil: any reply.
	Reply          []byte
	ReplyMask      []byte
	MinReplyLength int // default 0
	MaxReplyLength int // default 255
}

// FileCheck holds FILE_CHECK options (check_file.c).
type FileCheck struct {
	// TrackFile names a top-level track_file block.
	TrackFile string
	Weight    Setting[int]
	Reverse   bool
	// Path, EffectiveWeight and EffectiveReverse are resolved from the track_file block: its file,
	// and its weight when the checker gives none (filled by finishLVS).
	Path             string
	EffectiveWeight  int
	EffectiveReverse bool
}

// BFDCheck holds BFD_CHECK options (check_bfd.c).
type BFDCheck struct {
	Name string
}

// MarshalText renders the checker type by name.
func (t CheckerType) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// MarshalText renders the protocol version by name.
func (h HTTPProtocol) MarshalText() ([]byte, error) { return []byte(h.String()), nil }
