package config

import (
	"encoding/hex"
	"math"
	"regexp"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// Checker defaults (check_smtp.c, check_dns.c, check_udp.c).
const (
	defaultHeloName       = "smtpchecker.keepalived.org"
	defaultDNSType        = 6 // SOA
	defaultDNSName        = "."
	defaultMaxReplyLength = 255
	httpStatusMin         = 100
	httpStatusMax         = 599
)

// regexOptions are the PCRE2 option words regex_options accepts (check_http.c).
var regexOptions = map[string]bool{
	"allow_empty_class": true, "alt_bsux": true, "auto_callout": true, "caseless": true,
	"dollar_endonly": true, "dotall": true, "dupnames": true, "extended": true, "extended_more": true,
	"firstline": true, "match_unset_backref": true, "multiline": true, "never_backslash_c": true,
	"never_ucp": true, "never_utf": true, "no_auto_capture": true, "no_auto_possess": true,
	"no_dotstar_anchor": true, "no_start_optimize": true, "no_utf_check": true, "ucp": true,
	"ungreedy": true, "use_offset_limit": true, "utf": true, "alt_circumflex": true, "alt_verbnames": true,
	"literal": true, "match_invalid_utf": true,
}

// checkerKeywords are the checker blocks allowed in a real_server.
func (p *parser) checkerKeywords(rs *RealServer) keywords {
	add := func(t CheckerType) func(*syntax.Node) {
		return func(n *syntax.Node) {
			if c := p.checkerBlock(n, t); c != nil {
				rs.Checkers = append(rs.Checkers, c)
			}
		}
	}
	return keywords{
		"TCP_CHECK":  add(CheckTCP),
		"HTTP_GET":   add(CheckHTTP),
		"SSL_GET":    add(CheckSSL),
		"MISC_CHECK": add(CheckMisc),
		"SMTP_CHECK": add(CheckSMTP),
		"DNS_CHECK":  add(CheckDNS),
		"UDP_CHECK":  add(CheckUDP),
		"PING_CHECK": add(CheckPing),
		"FILE_CHECK": add(CheckFile),
		"BFD_CHECK":  add(CheckBFD),
	}
}

// connKeywords are the connection options of a network checker or an SMTP host{} block.
func (p *parser) connKeywords(c *ConnOptions) keywords {
	return keywords{
		"connect_ip": func(n *syntax.Node) {
			if a, ok := p.addr(n, 1); ok {
				c.ConnectIP = a
			}
		},
		"connect_port": func(n *syntax.Node) {
			if v, ok := p.port(n, 1); ok {
				c.ConnectPort = v
			}
		},
		"bindto": func(n *syntax.Node) {
			if a, ok := p.addr(n, 1); ok {
				c.BindTo = a
			}
		},
		"bind_port": func(n *syntax.Node) {
			if v, ok := p.port(n, 1); ok {
				c.BindPort = v
			}
		},
		"bind_if": func(n *syntax.Node) { p.str(n, &c.BindIf) },
		"fwmark": func(n *syntax.Node) {
			if v, ok := p.u32(n, 1, 0, math.MaxUint32); ok {
				c.Fwmark = v
			}
		},
	}
}

// checkerBlock parses one checker block; it returns nil when the checker cannot run.
func (p *parser) checkerBlock(n *syntax.Node, t CheckerType) *Checker {
	c := &Checker{Pos: n.Pos, Type: t}
	kws := keywords{}
	alpha := func(n *syntax.Node) { p.flagOpt(n, &c.Alpha) }
	switch t {
	case CheckFile:
		// FILE_CHECK has no common options (check_file.c).
	case CheckBFD:
		kws["alpha"] = alpha
	case CheckMisc:
		// MISC_CHECK has the retry-type options and alpha but no connection options (check_misc.c).
		kws.merge(p.timingKeywords(&c.Timing, false, 0))
		kws["alpha"] = alpha
		kws["log_all_failures"] = func(n *syntax.Node) { p.flagOpt(n, &c.LogAllFailures) }
	default:
		kws.merge(p.connKeywords(&c.Conn))
		kws.merge(p.timingKeywords(&c.Timing, true, 0))
		kws["alpha"] = alpha
		kws["log_all_failures"] = func(n *syntax.Node) { p.flagOpt(n, &c.LogAllFailures) }
	}
	switch t {
	case CheckHTTP, CheckSSL:
		c.HTTP = &HTTPCheck{}
		p.httpKeywords(kws, c)
	case CheckMisc:
		c.Misc = &MiscCheck{}
		p.miscKeywords(kws, c.Misc)
	case CheckSMTP:
		c.SMTP = &SMTPCheck{HeloName: defaultHeloName}
		s := c.SMTP
		kws["helo_name"] = func(n *syntax.Node) { p.str(n, &s.HeloName) }
		kws["host"] = func(n *syntax.Node) {
			h := &SMTPHost{Pos: n.Pos}
			hk := p.connKeywords(&h.Conn)
			// keepalived 2.2.7 accepts the checker's timer keywords in host{} too; they do nothing there.
			var ignored Timing
			for k := range p.timingKeywords(&ignored, true, 0) {
				hk[k] = func(n *syntax.Node) {
					p.infof(n, "'%s' has no effect in an SMTP_CHECK host{} block - ignored", n.Keyword())
				}
			}
			p.block(n, hk)
			s.Hosts = append(s.Hosts, h)
		}
	case CheckDNS:
		c.DNS = &DNSCheck{Type: defaultDNSType, Name: defaultDNSName}
		d := c.DNS
		kws["type"] = func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			v, ok := dnsTypes[strings.ToUpper(s)]
			if !ok {
				p.errorf(n, "DNS_CHECK 'type' expects A|NS|CNAME|SOA|MX|TXT|AAAA|RRSIG|DNSKEY, found '%s'", s)
				return
			}
			d.Type = v
		}
		kws["name"] = func(n *syntax.Node) { p.str(n, &d.Name) }
	case CheckUDP:
		c.UDP = &UDPCheck{MaxReplyLength: defaultMaxReplyLength}
		p.udpKeywords(kws, c.UDP)
	case CheckFile:
		c.File = &FileCheck{}
		f := c.File
		kws["track_file"] = func(n *syntax.Node) { p.str(n, &f.TrackFile) }
		kws["weight"] = func(n *syntax.Node) {
			var w int
			if !p.integer(n, 1, -maxIPVSWeight, maxIPVSWeight, &w) {
				return
			}
			f.Weight.set(w)
			if len(n.Args) > 2 {
				switch n.Args[2] {
				case "reverse":
					f.Reverse = true
				case "noreverse":
					f.Reverse = false
				default:
					p.errorf(n, "FILE_CHECK 'weight' expects reverse|noreverse after the weight, found '%s'", n.Args[2])
				}
			}
		}
	case CheckBFD:
		c.BFD = &BFDCheck{}
		b := c.BFD
		kws["name"] = func(n *syntax.Node) { p.str(n, &b.Name) }
	}
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	p.walk(n.Block, kws)
	return p.checkerComplete(n, c)
}

// checkerComplete runs the per-block checks at the closing brace; it returns nil to drop c.
func (p *parser) checkerComplete(n *syntax.Node, c *Checker) *Checker {
	switch c.Type {
	case CheckHTTP, CheckSSL:
		if len(c.HTTP.URLs) == 0 {
			p.warnf(n, "HTTP/SSL_GET checker has no urls specified - ignoring")
			return nil
		}
	case CheckMisc:
		if c.Misc.Path == nil {
			p.warnf(n, "No script path has been specified for MISC_CHECKER - skipping")
			return nil
		}
	case CheckUDP:
		u := c.UDP
		if u.MinReplyLength > u.MaxReplyLength {
			p.warnf(n, "UDP_CHECK min_reply length %d > max_reply_length %d - will always fail", u.MinReplyLength, u.MaxReplyLength)
		}
	case CheckFile:
		if c.File.TrackFile == "" {
			p.warnf(n, "FILE_CHECK has no track_file specified - ignoring")
			return nil
		}
	case CheckBFD:
		if c.BFD.Name == "" {
			p.warnf(n, "BFD_CHECK has no name specified - ignoring")
			return nil
		}
	}
	return c
}

// httpKeywords adds the HTTP_GET/SSL_GET keywords.
func (p *parser) httpKeywords(kws keywords, c *Checker) {
	h := c.HTTP
	kws["nb_get_retry"] = func(n *syntax.Node) {
		p.warnf(n, "'nb_get_retry' is deprecated - please use 'retry'")
		var v int
		if p.integer(n, 1, 0, math.MaxUint32, &v) {
			c.Timing.Retry.set(v)
		}
	}
	kws["virtualhost"] = func(n *syntax.Node) { p.str(n, &h.Virtualhost) }
	kws["http_protocol"] = func(n *syntax.Node) {
		s, ok := p.arg(n, 1)
		if !ok {
			return
		}
		switch s {
		case "1.0":
			h.Protocol = HTTP10
		case "1.0C", "1.0c":
			h.Protocol = HTTP10Close
		case "1.1":
			h.Protocol = HTTP11
		default:
			p.errorf(n, "'http_protocol' expects 1.0|1.0C|1.1, found '%s'", s)
		}
	}
	kws["enable_sni"] = func(n *syntax.Node) { p.boolean(n, &h.EnableSNI) }
	kws["sni_name"] = func(n *syntax.Node) { p.str(n, &h.SNIName) }
	kws["tls_compliant"] = func(n *syntax.Node) { p.boolean(n, &h.TLSCompliant) }
	kws["fast_recovery"] = func(n *syntax.Node) { p.boolean(n, &h.FastRecovery) }
	kws["url"] = func(n *syntax.Node) {
		u := &URLCheck{Pos: n.Pos}
		if !n.HasBlock {
			p.errorf(n, "'url' expects a block: 'url {'")
			return
		}
		p.walk(n.Block, p.urlKeywords(u))
		if u.Path == "" {
			p.warnf(n, "HTTP/SSL_GET checker url has no path - ignoring")
			return
		}
		if len(u.StatusCodes) == 0 {
			u.StatusCodes = StatusCodes{{200, 299}}
		}
		if u.RegexMaxOffset != 0 && u.RegexMinOffset > u.RegexMaxOffset {
			p.errorf(n, "url %s: regex_min_offset %d is greater than regex_max_offset %d", u.Path, u.RegexMinOffset, u.RegexMaxOffset)
		}
		h.URLs = append(h.URLs, u)
	}
}

// urlKeywords are the keywords of a url{} block.
func (p *parser) urlKeywords(u *URLCheck) keywords {
	return keywords{
		"path": func(n *syntax.Node) { p.str(n, &u.Path) },
		"digest": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			if len(s) != 32 {
				p.errorf(n, "digest '%s' character length should be 32 rather than %d", s, len(s))
				return
			}
			d, err := hex.DecodeString(s)
			if err != nil {
				p.errorf(n, "digest '%s' is not a hex MD5 sum", s)
				return
			}
			u.Digest = d
		},
		"status_code": func(n *syntax.Node) {
			if codes, ok := p.statusCodes(n); ok {
				u.StatusCodes = append(u.StatusCodes, codes...)
			}
		},
		"virtualhost": func(n *syntax.Node) { p.str(n, &u.Virtualhost) },
		"regex": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			if _, err := regexp.Compile(s); err != nil {
				p.errorf(n, "'regex' %q is not supported by Go's RE2 syntax: %v", s, err)
				return
			}
			u.Regex = s
		},
		"regex_no_match": func(n *syntax.Node) { p.boolean(n, &u.RegexNoMatch) },
		"regex_options": func(n *syntax.Node) {
			if len(n.Args) < 2 {
				p.errorf(n, "'regex_options' is missing a value")
				return
			}
			for _, o := range n.Args[1:] {
				if !regexOptions[o] {
					p.errorf(n, "'regex_options': unknown option '%s'", o)
					continue
				}
				u.RegexOptions = append(u.RegexOptions, o)
			}
		},
		"regex_min_offset": func(n *syntax.Node) { p.integer(n, 1, 0, math.MaxInt32, &u.RegexMinOffset) },
		"regex_max_offset": func(n *syntax.Node) { p.integer(n, 1, 0, math.MaxInt32, &u.RegexMaxOffset) },
		"regex_stack":      func(n *syntax.Node) { p.integer(n, 1, 0, math.MaxInt32, &u.RegexStack) },
		"tls_compliant":    func(n *syntax.Node) { p.boolean(n, &u.TLSCompliant) },
	}
}

// statusCodes parses "status_code CODE|LO-HI ..." with codes in [100, 599].
func (p *parser) statusCodes(n *syntax.Node) (StatusCodes, bool) {
	if len(n.Args) < 2 {
		p.errorf(n, "'status_code' is missing a value")
		return nil, false
	}
	// Like keepalived, each invalid word is reported and the valid ones are kept.
	var out StatusCodes
	for _, w := range n.Args[1:] {
		lo, hi, isRange := strings.Cut(w, "-")
		if !isRange {
			hi = lo
		}
		l, err1 := strconv.Atoi(lo)
		h, err2 := strconv.Atoi(hi)
		if err1 != nil || err2 != nil || l < httpStatusMin || h > httpStatusMax || l > h {
			p.errorf(n, "Invalid HTTP_GET status code '%s' (expected codes or ranges LO-HI within [%d, %d])", w, httpStatusMin, httpStatusMax)
			continue
		}
		out = append(out, StatusRange{l, h})
	}
	return out, len(out) > 0
}

// miscKeywords adds the MISC_CHECK keywords.
func (p *parser) miscKeywords(kws keywords, m *MiscCheck) {
	kws["misc_path"] = func(n *syntax.Node) {
		words, ok := p.quotedArgs(n)
		if !ok {
			return
		}
		// A single (quoted) word is the whole command line; several words are the argv.
		args := words
		if len(words) == 1 {
			var err error
			if args, err = lvsSplitQuoted(words[0]); err != nil || len(args) == 0 {
				p.errorf(n, "'misc_path' expects a command, found '%s'", words[0])
				return
			}
		}
		if m.Path != nil {
			p.infof(n, "'misc_path' already specified - replacing")
		}
		m.Path = &CheckScript{Pos: n.Pos, Command: strings.Join(words, " "), Args: args}
	}
	// 0 (as keepalived accepts) means the default, delay_loop.
	kws["misc_timeout"] = func(n *syntax.Node) { p.seconds(n, 1, 0, maxTimer, &m.Timeout) }
	kws["misc_dynamic"] = func(n *syntax.Node) { p.boolean(n, &m.Dynamic) }
	kws["user"] = func(n *syntax.Node) {
		if u, ok := p.arg(n, 1); ok {
			m.User = u
			if len(n.Args) > 2 {
				m.Group = n.Args[2]
			}
		}
	}
}

// udpKeywords adds the UDP_CHECK keywords.
func (p *parser) udpKeywords(kws keywords, u *UDPCheck) {
	kws["payload"] = func(n *syntax.Node) {
		if len(n.Args) < 2 {
			p.errorf(n, "'payload' is missing a value")
			return
		}
		// keepalived takes one word: "01 02" is an invalid hex string there too.
		s := strings.Join(n.Args[1:], " ")
		b, err := hex.DecodeString(s)
		if err != nil || len(b) == 0 {
			p.errorf(n, "Invalid hex string for UDP_CHECK payload: expected one word of an even number of hex digits, found '%s'", s)
			return
		}
		u.Payload = b
	}
	kws["require_reply"] = func(n *syntax.Node) {
		u.RequireReply = true
		if len(n.Args) < 2 {
			return
		}
		s := strings.Join(n.Args[1:], " ")
		reply, mask, ok := parseReplyPattern(s)
		if !ok {
			p.errorf(n, "Invalid hex string for UDP_CHECK require_reply: expected one word of an even number of hex digits or X wildcards, found '%s'", s)
			return
		}
		u.Reply, u.ReplyMask = reply, mask
	}
	kws["min_reply_length"] = func(n *syntax.Node) { p.integer(n, 1, 0, 65535, &u.MinReplyLength) }
	kws["max_reply_length"] = func(n *syntax.Node) { p.integer(n, 1, 0, 65535, &u.MaxReplyLength) }
}

// parseReplyPattern decodes hex with 'X'/'x' nibbles as wildcards into a value and a mask.
func parseReplyPattern(s string) (reply, mask []byte, ok bool) {
	if s == "" || len(s)%2 != 0 {
		return nil, nil, false
	}
	reply = make([]byte, len(s)/2)
	mask = make([]byte, len(s)/2)
	for i := 0; i < len(s); i++ {
		c := s[i]
		var v, m byte = 0, 0xf
		switch {
		case c == 'X' || c == 'x':
			m = 0
		case c >= '0' && c <= '9':
			v = c - '0'
		case c >= 'a' && c <= 'f':
			v = c - 'a' + 10
		case c >= 'A' && c <= 'F':
			v = c - 'A' + 10
		default:
			return nil, nil, false
		}
		shift := uint(4)
		if i%2 == 1 {
			shift = 0
		}
		reply[i/2] |= v << shift
		mask[i/2] |= m << shift
	}
	return reply, mask, true
}
