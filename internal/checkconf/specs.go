package checkconf

import (
	"encoding/hex"
	"errors"
	"fmt"
	"net/netip"
	"strconv"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// errNoPinger is returned for a PING_CHECK when the raw ICMP sockets could not be opened.
var errNoPinger = errors.New("no ICMP socket (PING_CHECK needs root or CAP_NET_RAW)")

// errBFD is returned for BFD_CHECK, which needs the BFD process gokeepalived does not have.
var errBFD = errors.New("BFD_CHECK is not supported by gokeepalived")

// Specs builds the scheduler Specs of one checker block of the real server rs.
func Specs(cfg *config.Config, rs netip.AddrPort, c *config.Checker, deps check.Deps, pol policy.Policy) ([]check.Spec, error) {
	if c.Type == config.CheckPing && deps.Pinger == nil {
		return nil, errNoPinger
	}
	opts, err := CheckerOptions(cfg, c, pol)
	if err != nil {
		return nil, err
	}
	return check.BuildSpecs(rs, Schedule(c), opts, deps)
}

// Schedule is the checker's timing, copied from the resolved cascade.
func Schedule(c *config.Checker) check.Schedule {
	r := c.Resolved
	return check.Schedule{
		DelayLoop:        r.DelayLoop,
		Warmup:           r.Warmup,
		Retry:            r.Retry,
		DelayBeforeRetry: r.DelayBeforeRetry,
		ConnectTimeout:   r.ConnectTimeout,
		Alpha:            r.Alpha,
		LogAllFailures:   r.LogAllFailures,
	}
}

// CheckerOptions returns the check option struct for c (check.TCPOptions, check.HTTPOptions, ...).
func CheckerOptions(cfg *config.Config, c *config.Checker, pol policy.Policy) (any, error) {
	switch c.Type {
	case config.CheckTCP:
		return check.TCPOptions{Conn: conn(c)}, nil
	case config.CheckHTTP, config.CheckSSL:
		return httpOptions(cfg, c)
	case config.CheckMisc:
		return miscOptions(c, pol)
	case config.CheckSMTP:
		return smtpOptions(c), nil
	case config.CheckDNS:
		return check.DNSOptions{Conn: conn(c), Type: dnsTypeName(c.DNS.Type), Name: c.DNS.Name}, nil
	case config.CheckUDP:
		return udpOptions(c)
	case config.CheckPing:
		return check.PingOptions{Conn: conn(c)}, nil
	case config.CheckFile:
		f := c.File
		return check.FileOptions{Path: f.Path, Weight: f.EffectiveWeight, Reverse: f.EffectiveReverse}, nil
	case config.CheckBFD:
		return nil, errBFD
	}
	return nil, fmt.Errorf("unknown checker type %s", c.Type)
}

// conn turns the resolved target and bind address into check.Conn. The target is always
// explicit (connect_ip/connect_port, else the real server, else the well-known port), so
// the check package never falls back on its own defaults.
func conn(c *config.Checker) check.Conn {
	r := c.Resolved
	cc := check.Conn{
		ConnectIP:      r.Target.Addr(),
		ConnectPort:    r.Target.Port(),
		BindIf:         c.Conn.BindIf,
		FWMark:         c.Conn.Fwmark,
		ConnectTimeout: r.ConnectTimeout,
	}
	if r.Bind.IsValid() {
		cc.BindTo, cc.BindPort = r.Bind.Addr(), r.Bind.Port()
	}
	return cc
}

// httpOptions maps HTTP_GET/SSL_GET; SSL_GET takes the top-level SSL block.
func httpOptions(cfg *config.Config, c *config.Checker) (check.HTTPOptions, error) {
	h := c.HTTP
	o := check.HTTPOptions{
		Conn:         conn(c),
		Protocol:     httpProtocol(h.Protocol),
		VirtualHost:  c.Resolved.Virtualhost,
		FastRecovery: h.FastRecovery,
	}
	for _, u := range h.URLs {
		cu := check.URL{
			Path:           u.Path,
			VirtualHost:    u.Virtualhost,
			Regex:          u.Regex,
			RegexOptions:   u.RegexOptions,
			RegexNoMatch:   u.RegexNoMatch,
			RegexMinOffset: u.RegexMinOffset,
			RegexMaxOffset: u.RegexMaxOffset,
		}
		if u.Digest != nil {
			cu.Digest = hex.EncodeToString(u.Digest)
		}
		if len(u.StatusCodes) > 0 {
			args := make([]string, len(u.StatusCodes))
			for i, r := range u.StatusCodes {
				args[i] = strconv.Itoa(r.Lo) + "-" + strconv.Itoa(r.Hi)
			}
			sc, err := check.ParseStatusCodes(args)
			if err != nil {
				return o, fmt.Errorf("url %s: %w", u.Path, err)
			}
			cu.StatusCodes = sc
		}
		o.URLs = append(o.URLs, cu)
	}
	if c.Type == config.CheckSSL {
		t := &check.TLSOptions{EnableSNI: h.EnableSNI, SNIName: h.SNIName, TLSCompliant: h.TLSCompliant}
		if s := cfg.SSL; s != nil {
			t.CAFile, t.CertFile, t.KeyFile, t.Password = s.CA, s.Certificate, s.Key, s.Password
		}
		o.TLS = t
	}
	return o, nil
}

// httpProtocol maps http_protocol.
func httpProtocol(p config.HTTPProtocol) check.HTTPProtocol {
	switch p {
	case config.HTTP10Close:
		return check.HTTP10C
	case config.HTTP11:
		return check.HTTP11
	}
	return check.HTTP10
}

// miscOptions maps MISC_CHECK. The user is the block's "user", else the script's own, else
// script_user, else keepalived_script when it exists (root otherwise), as for every script.
func miscOptions(c *config.Checker, pol policy.Policy) (check.MiscOptions, error) {
	m := c.Misc
	if m.Path == nil || len(m.Path.Args) == 0 {
		return check.MiscOptions{}, errors.New("misc_path missing")
	}
	o := check.MiscOptions{
		Argv:    append([]string(nil), m.Path.Args...),
		Timeout: m.ResolvedTimeout,
		Dynamic: m.Dynamic,
		Secure:  pol.Secure,
	}
	switch {
	case m.User != "":
		o.User, o.Group = m.User, m.Group
	case m.Path.User != "":
		o.User, o.Group = m.Path.User, m.Path.Group
	case pol.User != "":
		o.User, o.Group = pol.User, pol.Group
	case pol.Lookup != nil:
		if _, err := pol.Lookup(policy.DefaultUser, ""); err == nil {
			o.User = policy.DefaultUser
		}
	}
	return o, nil
}

// smtpOptions maps SMTP_CHECK: one Conn per resolved host{} (or the checker itself).
func smtpOptions(c *config.Checker) check.SMTPOptions {
	o := check.SMTPOptions{Conn: conn(c), HeloName: c.SMTP.HeloName}
	for _, t := range c.SMTP.Targets {
		h := check.Conn{
			ConnectIP:      t.Target.Addr(),
			ConnectPort:    t.Target.Port(),
			BindIf:         t.BindIf,
			FWMark:         t.Fwmark,
			ConnectTimeout: c.Resolved.ConnectTimeout,
		}
		if t.Bind.IsValid() {
			h.BindTo, h.BindPort = t.Bind.Addr(), t.Bind.Port()
		}
		o.Hosts = append(o.Hosts, h)
	}
	return o
}

// udpOptions maps UDP_CHECK; the reply pattern is rebuilt from the parsed value and mask.
func udpOptions(c *config.Checker) (check.UDPOptions, error) {
	u := c.UDP
	o := check.UDPOptions{
		Conn:           conn(c),
		Payload:        u.Payload,
		RequireReply:   u.RequireReply,
		MinReplyLength: u.MinReplyLength,
		MaxReplyLength: u.MaxReplyLength,
	}
	if len(u.Reply) > 0 {
		p, err := check.ParseReplyPattern(replyPattern(u.Reply, u.ReplyMask))
		if err != nil {
			return o, fmt.Errorf("require_reply: %w", err)
		}
		o.ReplyPattern = p
	}
	return o, nil
}

// replyPattern renders a value and nibble mask back into require_reply's hex with X wildcards.
func replyPattern(val, mask []byte) string {
	const digits = "0123456789abcdef"
	var b strings.Builder
	for i, v := range val {
		m := byte(0xff)
		if i < len(mask) {
			m = mask[i]
		}
		for _, shift := range []uint{4, 0} {
			if (m>>shift)&0xf == 0 {
				b.WriteByte('X')
			} else {
				b.WriteByte(digits[(v>>shift)&0xf])
			}
		}
	}
	return b.String()
}

// dnsTypes names the query types config accepts (RFC 1035 §3.2.2, RFC 3596, RFC 4034).
var dnsTypes = map[uint16]string{1: "A", 2: "NS", 5: "CNAME", 6: "SOA", 15: "MX", 16: "TXT",
	28: "AAAA", 46: "RRSIG", 48: "DNSKEY"}

// dnsTypeName returns the type keyword; 0 (not given) leaves the check default (SOA).
func dnsTypeName(t uint16) string { return dnsTypes[t] }
