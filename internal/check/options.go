package check

import (
	"net/netip"
	"time"
)

// Kind names a checker type with keepalived's keyword.
type Kind string

// Checker kinds, spelled as the configuration keywords.
const (
	KindTCP   Kind = "TCP_CHECK"
	KindHTTP  Kind = "HTTP_GET"
	KindSSL   Kind = "SSL_GET"
	KindMisc  Kind = "MISC_CHECK"
	KindSMTP  Kind = "SMTP_CHECK"
	KindDNS   Kind = "DNS_CHECK"
	KindUDP   Kind = "UDP_CHECK"
	KindPing  Kind = "PING_CHECK"
	KindFile  Kind = "FILE_CHECK"
	kindOther Kind = "CHECK"
)

// Keepalived's scheduling defaults (check_api.c, check_parser.c).
const (
	DefaultDelayLoop        = 60 * time.Second // delay_loop
	DefaultConnectTimeout   = 5 * time.Second  // connect_timeout
	DefaultRetry            = 1                // retry
	DefaultDelayBeforeRetry = 1 * time.Second  // delay_before_retry
	DefaultHTTPRetryDelay   = 3 * time.Second  // delay_before_retry for HTTP_GET/SSL_GET
	DefaultDNSRetry         = 3                // retry for DNS_CHECK
	DefaultSMTPHelo         = "smtpchecker.keepalived.org"
)

// Conn holds the options common to every network checker (connect_ip,
// connect_port, bindto, bind_port, bind_if, fwmark); zero values mean unset.
type Conn struct {
	ConnectIP   netip.Addr // connect_ip; defaults to the real server address
	ConnectPort uint16     // connect_port; defaults to the real server port
	BindTo      netip.Addr // bindto
	BindPort    uint16     // bind_port
	BindIf      string     // bind_if (SO_BINDTODEVICE; needed for link-local bindto)
	FWMark      uint32     // fwmark (SO_MARK)
	// ConnectTimeout is connect_timeout; it bounds connect and each later I/O step.
	ConnectTimeout time.Duration
}

// Target returns the address to probe: connect_ip/connect_port over the real server's.
func (c Conn) Target(rs netip.AddrPort) netip.AddrPort {
	ip, port := rs.Addr(), rs.Port()
	if c.ConnectIP.IsValid() {
		ip = c.ConnectIP
	}
	if c.ConnectPort != 0 {
		port = c.ConnectPort
	}
	// A link-local destination needs a scope; bind_if provides it, as in
	// keepalived where bind_if is required for link-local addresses.
	if ip.Is6() && ip.IsLinkLocalUnicast() && ip.Zone() == "" && c.BindIf != "" {
		ip = ip.WithZone(c.BindIf)
	}
	return netip.AddrPortFrom(ip, port)
}

// Schedule holds the timing options of one checker, already cascaded
// VS → RS → checker by the caller. Use DefaultSchedule for keepalived's values.
type Schedule struct {
	DelayLoop        time.Duration // delay_loop
	Warmup           time.Duration // warmup: first check at a random delay in [0, Warmup)
	Retry            int           // retry (nb_get_retry for HTTP)
	DelayBeforeRetry time.Duration // delay_before_retry
	ConnectTimeout   time.Duration // connect_timeout (MISC uses misc_timeout instead)
	Alpha            bool          // alpha: start down until the first success
	LogAllFailures   bool          // log_all_failures / checker_log_all_failures
}

// DefaultSchedule returns keepalived's defaults for a checker kind given the
// effective delay_loop (0 means 60 s). Per-checker exceptions (§1b.3): HTTP
// and SSL retry after 3 s; MISC does not retry; DNS retries 3 times after
// delay_loop. Warmup defaults to delay_loop, so checks are spread randomly
// over the first loop.
func DefaultSchedule(k Kind, delayLoop time.Duration) Schedule {
	if delayLoop <= 0 {
		delayLoop = DefaultDelayLoop
	}
	s := Schedule{
		DelayLoop:        delayLoop,
		Warmup:           delayLoop,
		Retry:            DefaultRetry,
		DelayBeforeRetry: DefaultDelayBeforeRetry,
		ConnectTimeout:   DefaultConnectTimeout,
	}
	switch k {
	case KindHTTP, KindSSL:
		s.DelayBeforeRetry = DefaultHTTPRetryDelay
	case KindMisc:
		s.Retry = 0
	case KindDNS:
		s.Retry = DefaultDNSRetry
		s.DelayBeforeRetry = delayLoop
	}
	return s
}

// HTTPProtocol is http_protocol.
type HTTPProtocol int

// http_protocol values: 1.0 (default), 1.0C (1.0 plus Connection: close), 1.1
// (which keepalived also sends with Connection: close).
const (
	HTTP10 HTTPProtocol = iota
	HTTP10C
	HTTP11
)

// URL is one url{} block of HTTP_GET/SSL_GET.
type URL struct {
	Path           string      // path
	Digest         string      // digest: 32 hex digits, MD5 of the body; empty = not checked
	StatusCodes    StatusCodes // status_code; empty means 200-299
	VirtualHost    string      // virtualhost (per url)
	Regex          string      // regex (Go RE2 syntax, see docs/checkers.md)
	RegexOptions   []string    // regex_options (PCRE2 names, see RegexFlags)
	RegexNoMatch   bool        // regex_no_match
	RegexMinOffset int         // regex_min_offset
	RegexMaxOffset int         // regex_max_offset (0 = no limit)
}

// TLSOptions is the top-level SSL{} block plus the SNI keywords.
type TLSOptions struct {
	CAFile    string // ca: verify the server against it; unset means no verification (keepalived's default)
	CertFile  string // certificate
	KeyFile   string // key
	Password  string // password (encrypted PEM keys are not supported; see docs)
	EnableSNI bool   // enable_sni
	SNIName   string // sni_name; defaults to the virtualhost
	// TLSCompliant (tls_compliant) makes the checker close with close_notify;
	// Go always sends close_notify, so it is accepted and ignored.
	TLSCompliant bool
}

// HTTPOptions is an HTTP_GET or SSL_GET block.
type HTTPOptions struct {
	Conn
	URLs         []URL        // url{} blocks; all must pass
	Protocol     HTTPProtocol // http_protocol
	VirtualHost  string       // virtualhost (checker, else RS, else VS: cascaded by the caller)
	FastRecovery bool         // fast_recovery
	TLS          *TLSOptions  // non-nil for SSL_GET
}

// MiscOptions is a MISC_CHECK block.
type MiscOptions struct {
	Argv    []string      // misc_path, tokenised by the caller
	Timeout time.Duration // misc_timeout; 0 means delay_loop as in keepalived
	Dynamic bool          // misc_dynamic: exit 2-255 sets the weight to status-2
	User    string        // user
	Group   string        // group after user
	// Secure applies enable_script_security's path check when running as root.
	Secure bool
}

// SMTPOptions is an SMTP_CHECK block; each host{} is its own Conn.
type SMTPOptions struct {
	Conn
	HeloName string // helo_name; default smtpchecker.keepalived.org
	Hosts    []Conn // host{} sub-blocks; empty means the checker's own Conn
}

// DNSOptions is a DNS_CHECK block.
type DNSOptions struct {
	Conn
	Type string // type: A NS CNAME SOA MX TXT AAAA RRSIG DNSKEY; default SOA
	Name string // name; default "."
}

// UDPOptions is a UDP_CHECK block.
type UDPOptions struct {
	Conn
	Payload        []byte        // payload; nil means random bytes
	RequireReply   bool          // require_reply present
	ReplyPattern   *ReplyPattern // require_reply HEX pattern; nil means any reply
	MinReplyLength int           // min_reply_length (0)
	MaxReplyLength int           // max_reply_length (255)
}

// FileOptions is a FILE_CHECK block with its track_file declaration.
type FileOptions struct {
	Path    string // track_file's file
	Weight  int    // weight W
	Reverse bool   // weight W reverse
}

// TCPOptions is a TCP_CHECK block (common options only).
type TCPOptions struct{ Conn }

// PingOptions is a PING_CHECK block (common options only).
type PingOptions struct{ Conn }
