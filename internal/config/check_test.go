package config

import (
	"net/netip"
	"testing"
	"time"
)

// rsWith wraps checker lines in a virtual server (203.0.113.1:80) and real server (198.51.100.1:8080)
// so that the checker block starts on line 3.
func rsWith(vsLines, body string) string {
	return "virtual_server 203.0.113.1 80 {" + vsLines + "\n real_server 198.51.100.1 8080 {\n" + body + " }\n}\n"
}

// onlyChecker returns the single checker of the single real server.
func onlyChecker(t *testing.T, c *Config) *Checker {
	t.Helper()
	vs := onlyVS(t, c)
	if len(vs.RealServers) != 1 || len(vs.RealServers[0].Checkers) != 1 {
		t.Fatalf("want one real server with one checker, got %+v", vs.RealServers)
	}
	return vs.RealServers[0].Checkers[0]
}

func TestCheckerCascade(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "VS to RS to checker",
			src: "virtual_server 203.0.113.1 80 {\n delay_loop 10\n retry 7\n warmup 2\n alpha\n" +
				" real_server 198.51.100.1 8080 {\n  retry 2\n  delay_before_retry 0.25\n  connect_timeout 4\n" +
				"  TCP_CHECK {\n   connect_timeout 3\n  }\n }\n}\n",
			check: func(t *testing.T, c *Config) {
				eq(t, "resolved", onlyChecker(t, c).Resolved, ResolvedCheck{DelayLoop: 10 * time.Second,
					ConnectTimeout: 3 * time.Second, Retry: 2, DelayBeforeRetry: 250 * time.Millisecond,
					Warmup: 2 * time.Second, Alpha: true, Target: netip.MustParseAddrPort("198.51.100.1:8080")})
			},
		},
		{
			name: "checker alpha overrides",
			src:  rsWith("\n alpha", "  alpha off\n  TCP_CHECK {\n   alpha\n  }\n"),
			check: func(t *testing.T, c *Config) {
				eq(t, "alpha", onlyChecker(t, c).Resolved.Alpha, true)
			},
		},
		{
			name: "HTTP delay_before_retry default 3s",
			src:  rsWith("", "  HTTP_GET {\n   url {\n    path /\n   }\n  }\n"),
			check: func(t *testing.T, c *Config) {
				r := onlyChecker(t, c).Resolved
				eq(t, "retry", r.Retry, 1)
				eq(t, "delay_before_retry", r.DelayBeforeRetry, 3*time.Second)
			},
		},
		{
			name: "HTTP delay_before_retry from VS",
			src:  rsWith("\n delay_before_retry 2", "  SSL_GET {\n   url {\n    path /\n   }\n  }\n"),
			check: func(t *testing.T, c *Config) {
				eq(t, "delay_before_retry", onlyChecker(t, c).Resolved.DelayBeforeRetry, 2*time.Second)
			},
		},
		{
			name: "MISC retry 0 and timeout delay_loop",
			src:  rsWith("\n delay_loop 9", "  MISC_CHECK {\n   misc_path '/bin/check a'\n  }\n"),
			check: func(t *testing.T, c *Config) {
				ch := onlyChecker(t, c)
				eq(t, "retry", ch.Resolved.Retry, 0)
				eq(t, "timeout", ch.Misc.ResolvedTimeout, 9*time.Second)
				eq(t, "args", ch.Misc.Path.Args, []string{"/bin/check", "a"})
			},
		},
		{
			name: "DNS retry 3 and delay_before_retry = delay_loop",
			src:  rsWith("\n delay_loop 12", "  DNS_CHECK {\n  }\n"),
			check: func(t *testing.T, c *Config) {
				ch := onlyChecker(t, c)
				eq(t, "retry", ch.Resolved.Retry, 3)
				eq(t, "delay_before_retry", ch.Resolved.DelayBeforeRetry, 12*time.Second)
				eq(t, "dns", *ch.DNS, DNSCheck{Type: 6, Name: "."})
			},
		},
		{
			name: "connection target and bind",
			src: rsWith("", "  TCP_CHECK {\n   connect_ip 198.51.100.7\n   connect_port 81\n   bindto 198.51.100.200\n"+
				"   bind_port 4000\n   bind_if eth0\n   fwmark 5\n  }\n"),
			check: func(t *testing.T, c *Config) {
				ch := onlyChecker(t, c)
				eq(t, "target", ch.Resolved.Target, netip.MustParseAddrPort("198.51.100.7:81"))
				eq(t, "bind", ch.Resolved.Bind, netip.MustParseAddrPort("198.51.100.200:4000"))
				eq(t, "conn", ch.Conn.BindIf+"/"+string(rune('0'+ch.Conn.Fwmark)), "eth0/5")
			},
		},
		{
			name: "bind_port without bindto",
			src:  rsWith("", "  TCP_CHECK {\n   bind_port 4000\n  }\n"),
			check: func(t *testing.T, c *Config) {
				eq(t, "bind", onlyChecker(t, c).Resolved.Bind, netip.MustParseAddrPort("0.0.0.0:4000"))
			},
		},
		{
			name: "link-local bindto needs bind_if",
			src: "virtual_server 2001:db8::1 80 {\n real_server 2001:db8::2 80 {\n  TCP_CHECK {\n   bindto fe80::1\n  }\n" +
				"  TCP_CHECK {\n   bindto fe80::1\n   bind_if eth0\n  }\n }\n}\n",
			diags: []string{"3 info: bindto fe80::1 is a link-local address: bind_if is needed"},
		},
		{
			name:  "bindto of another family is dropped",
			src:   rsWith("", "  TCP_CHECK {\n   bindto 2001:db8::5\n  }\n"),
			diags: []string{"3 warning: bindto address 2001:db8::5 does not match address family of connect_ip 198.51.100.1 - skipping"},
			check: func(t *testing.T, c *Config) {
				eq(t, "bind", onlyChecker(t, c).Resolved.Bind.IsValid(), false)
			},
		},
		{
			name:  "fwmark service: port needed",
			src:   "virtual_server fwmark 1 {\n real_server 198.51.100.1 {\n  TCP_CHECK {\n  }\n  PING_CHECK {\n  }\n  SMTP_CHECK {\n  }\n }\n}\n",
			diags: []string{"3 info: virtual server FWM 1: TCP_CHECK of real server 198.51.100.1 has no port to connect to (the real server has none) - set connect_port"},
			check: func(t *testing.T, c *Config) {
				ch := onlyVS(t, c).RealServers[0].Checkers
				eq(t, "smtp default port", ch[2].Resolved.Target, netip.MustParseAddrPort("198.51.100.1:25"))
			},
		},
		{
			name:  "checker timing errors",
			src:   rsWith("", "  TCP_CHECK {\n   delay_loop 0\n   retry x\n   warmup -1\n   connect_timeout 0\n  }\n"),
			diags: []string{"4 error: 'delay_loop' expects seconds", "5 error: 'retry' expects an integer", "6 error: 'warmup' expects seconds", "7 error: 'connect_timeout' expects seconds"},
			check: func(t *testing.T, c *Config) {
				eq(t, "defaults kept", onlyChecker(t, c).Resolved.DelayLoop, 60*time.Second)
			},
		},
	})
}

func TestHTTPCheck(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "urls and options",
			src: rsWith("\n virtualhost vs.example.org", "  HTTP_GET {\n   nb_get_retry 4\n   http_protocol 1.0C\n   url {\n    path /a\n"+
				"    status_code 200-299 404 503\n    digest 640205B7B0FC66C1EA91C463FAC6334D\n   }\n   url {\n    path /b\n    virtualhost b.example.org\n   }\n  }\n"),
			diags: []string{"5 warning: 'nb_get_retry' is deprecated - please use 'retry'"},
			check: func(t *testing.T, c *Config) {
				ch := onlyChecker(t, c)
				eq(t, "retry", ch.Resolved.Retry, 4)
				eq(t, "protocol", ch.HTTP.Protocol, HTTP10Close)
				eq(t, "virtualhost", ch.Resolved.Virtualhost, "vs.example.org")
				u := ch.HTTP.URLs
				eq(t, "urls", len(u), 2)
				eq(t, "codes", u[0].StatusCodes, StatusCodes{{200, 299}, {404, 404}, {503, 503}})
				eq(t, "digest len", len(u[0].Digest), 16)
				eq(t, "default codes", u[1].StatusCodes, StatusCodes{{200, 299}})
				eq(t, "url vhost", u[1].Virtualhost, "b.example.org")
			},
		},
		{
			name: "status_code errors",
			src:  rsWith("", "  HTTP_GET {\n   url {\n    path /\n    status_code 99\n    status_code 300-200\n    status_code 600\n    status_code abc\n   }\n  }\n"),
			diags: []string{
				"6 error: Invalid HTTP_GET status code '99' (expected codes or ranges LO-HI within [100, 599])",
				"7 error: Invalid HTTP_GET status code '300-200'",
				"8 error: Invalid HTTP_GET status code '600'",
				"9 error: Invalid HTTP_GET status code 'abc'",
			},
			check: func(t *testing.T, c *Config) {
				eq(t, "default", onlyChecker(t, c).HTTP.URLs[0].StatusCodes, StatusCodes{{200, 299}})
			},
		},
		{
			name: "regex and TLS",
			src: rsWith("", "  SSL_GET {\n   enable_sni\n   sni_name s.example.org\n   tls_compliant\n   fast_recovery\n   url {\n    path /\n"+
				"    regex \"ok$\"\n    regex_no_match\n    regex_options caseless bogus\n    regex_min_offset 5\n    regex_max_offset 4\n    regex_stack 100\n    tls_compliant\n   }\n  }\n"),
			diags: []string{
				"12 error: 'regex_options': unknown option 'bogus'",
				"8 error: url /: regex_min_offset 5 is greater than regex_max_offset 4",
			},
			check: func(t *testing.T, c *Config) {
				h := onlyChecker(t, c).HTTP
				eq(t, "sni", h.EnableSNI && h.TLSCompliant && h.FastRecovery, true)
				eq(t, "sni_name", h.SNIName, "s.example.org")
				u := h.URLs[0]
				eq(t, "regex", u.Regex, "ok$")
				eq(t, "options", u.RegexOptions, []string{"caseless"})
				eq(t, "no match", u.RegexNoMatch && u.TLSCompliant, true)
			},
		},
		{
			name: "regex not supported by RE2",
			src:  rsWith("", "  HTTP_GET {\n   url {\n    path /\n    regex \"(?<=a)b\"\n   }\n  }\n"),
			diags: []string{
				"6 error: 'regex' \"(?<=a)b\" is not supported by Go's RE2 syntax",
			},
		},
		{
			name: "no url drops the checker",
			src:  rsWith("", "  HTTP_GET {\n   url {\n    digest zz\n   }\n  }\n"),
			diags: []string{
				"5 error: digest 'zz' character length should be 32 rather than 2",
				"4 warning: HTTP/SSL_GET checker url has no path - ignoring",
				"3 warning: HTTP/SSL_GET checker has no urls specified - ignoring",
			},
			check: func(t *testing.T, c *Config) { eq(t, "checkers", len(onlyVS(t, c).RealServers[0].Checkers), 0) },
		},
		{
			name:  "http_protocol invalid",
			src:   rsWith("", "  HTTP_GET {\n   http_protocol 2\n   url {\n    path /\n   }\n  }\n"),
			diags: []string{"4 error: 'http_protocol' expects 1.0|1.0C|1.1, found '2'"},
		},
	})
}

func TestLVSGlobalDefaults(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "smtp_alert_checker and checker_log_all_failures",
			src: "global_defs {\n smtp_alert_checker off\n checker_log_all_failures\n}\n" +
				rsWith("", "  TCP_CHECK {\n  }\n  TCP_CHECK {\n   log_all_failures off\n  }\n"),
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				rs := vs.RealServers[0]
				eq(t, "vs smtp_alert", vs.ResolvedSMTPAlert, false)
				eq(t, "rs smtp_alert", rs.Resolved.SMTPAlert, false)
				eq(t, "log_all_failures", []bool{rs.Checkers[0].Resolved.LogAllFailures, rs.Checkers[1].Resolved.LogAllFailures}, []bool{true, false})
			},
		},
		{
			name: "smtp_alert defaults: off for services, on for real servers",
			src:  rsWith("", "  TCP_CHECK {\n  }\n"),
			check: func(t *testing.T, c *Config) {
				vs := onlyVS(t, c)
				eq(t, "vs/rs", [2]bool{vs.ResolvedSMTPAlert, vs.RealServers[0].Resolved.SMTPAlert}, [2]bool{false, true})
			},
		},
		{
			name: "global smtp_alert",
			src:  "global_defs {\n smtp_alert\n}\n" + rsWith("", "  TCP_CHECK {\n  }\n"),
			check: func(t *testing.T, c *Config) {
				eq(t, "vs", onlyVS(t, c).ResolvedSMTPAlert, true)
			},
		},
	})
}

func TestURLHost(t *testing.T) {
	cfg, _ := LoadString("t.conf", rsWith("\n virtualhost vs.example.org", "  HTTP_GET {\n   url {\n    path /a\n   }\n"+
		"   url {\n    path /b\n    virtualhost b.example.org\n   }\n  }\n"), LoadOptions{})
	c := onlyChecker(t, cfg)
	eq(t, "hosts", []string{c.Host(c.HTTP.URLs[0]), c.Host(c.HTTP.URLs[1])}, []string{"vs.example.org", "b.example.org"})
}

func TestLVSScripts(t *testing.T) {
	src := "virtual_server 203.0.113.1 80 {\n quorum_up /q\n real_server 198.51.100.1 80 {\n  notify_down /d\n" +
		"  MISC_CHECK {\n   misc_path \"/m a\"\n  }\n }\n}\n"
	cfg, _ := LoadString("t.conf", src, LoadOptions{})
	var got []string
	for _, s := range cfg.CheckerScripts() {
		got = append(got, s.Command)
	}
	eq(t, "scripts", got, []string{"/q", "/d", "/m a"})
}

func TestStatusCodesMatch(t *testing.T) {
	s := StatusCodes{{200, 299}, {404, 404}}
	for _, tc := range []struct {
		code int
		want bool
	}{{199, false}, {200, true}, {299, true}, {300, false}, {404, true}, {405, false}} {
		if got := s.Match(tc.code); got != tc.want {
			t.Errorf("Match(%d) = %v, want %v", tc.code, got, tc.want)
		}
	}
}

func TestOtherCheckers(t *testing.T) {
	runLVSCases(t, []lvsCase{
		{
			name: "MISC_CHECK options",
			src: rsWith("", "  MISC_CHECK {\n   misc_path /bin/check --flag \"two words\"\n   misc_timeout 2.5\n   misc_dynamic\n"+
				"   user nobody nogroup\n   connect_port 80\n  }\n"),
			diags: []string{"8 warning: unknown keyword 'connect_port'"},
			check: func(t *testing.T, c *Config) {
				m := onlyChecker(t, c).Misc
				eq(t, "args", m.Path.Args, []string{"/bin/check", "--flag", "two words"})
				eq(t, "timeout", m.ResolvedTimeout, 2500*time.Millisecond)
				eq(t, "dynamic", m.Dynamic, true)
				eq(t, "user", m.User+":"+m.Group, "nobody:nogroup")
			},
		},
		{
			name:  "MISC_CHECK without path",
			src:   rsWith("", "  MISC_CHECK {\n   misc_dynamic\n  }\n"),
			diags: []string{"3 warning: No script path has been specified for MISC_CHECKER - skipping"},
		},
		{
			name: "SMTP_CHECK hosts",
			src: rsWith("", "  SMTP_CHECK {\n   connect_port 587\n   bindto 198.51.100.200\n   host {\n    connect_ip 198.51.100.20\n   }\n"+
				"   host {\n    connect_ip 198.51.100.21\n    connect_port 25\n    bindto 198.51.100.201\n   }\n  }\n"),
			check: func(t *testing.T, c *Config) {
				s := onlyChecker(t, c).SMTP
				eq(t, "helo", s.HeloName, "smtpchecker.keepalived.org")
				eq(t, "targets", s.Targets, []ResolvedHost{
					{Target: netip.MustParseAddrPort("198.51.100.20:587"), Bind: netip.MustParseAddrPort("198.51.100.200:0")},
					{Target: netip.MustParseAddrPort("198.51.100.21:25"), Bind: netip.MustParseAddrPort("198.51.100.201:0")},
				})
			},
		},
		{
			name: "SMTP_CHECK without hosts checks the real server",
			src:  rsWith("", "  SMTP_CHECK {\n   helo_name \"mx.example.org\"\n  }\n"),
			check: func(t *testing.T, c *Config) {
				s := onlyChecker(t, c).SMTP
				eq(t, "helo", s.HeloName, "mx.example.org")
				eq(t, "targets", s.Targets, []ResolvedHost{{Target: netip.MustParseAddrPort("198.51.100.1:8080")}})
			},
		},
		{
			name:  "DNS_CHECK type and name",
			src:   rsWith("", "  DNS_CHECK {\n   type mx\n   name example.org\n   type ANY\n  }\n"),
			diags: []string{"6 error: DNS_CHECK 'type' expects A|NS|CNAME|SOA|MX|TXT|AAAA|RRSIG|DNSKEY, found 'ANY'"},
			check: func(t *testing.T, c *Config) {
				eq(t, "dns", *onlyChecker(t, c).DNS, DNSCheck{Type: 15, Name: "example.org"})
			},
		},
		{
			name: "UDP_CHECK payload and reply pattern",
			src: rsWith("", "  UDP_CHECK {\n   payload 48454c4c4f\n   require_reply 4fXb\n   min_reply_length 2\n"+
				"   max_reply_length 1\n  }\n"),
			diags: []string{"3 warning: UDP_CHECK min_reply length 2 > max_reply_length 1 - will always fail"},
			check: func(t *testing.T, c *Config) {
				u := onlyChecker(t, c).UDP
				eq(t, "payload", string(u.Payload), "HELLO")
				eq(t, "require", u.RequireReply, true)
				eq(t, "reply", u.Reply, []byte{0x4f, 0x0b})
				eq(t, "mask", u.ReplyMask, []byte{0xff, 0x0f})
			},
		},
		{
			name: "UDP_CHECK defaults and errors",
			src:  rsWith("", "  UDP_CHECK {\n   payload abc\n   require_reply 4g\n  }\n"),
			diags: []string{
				"4 error: Invalid hex string for UDP_CHECK payload: expected one word of an even number of hex digits, found 'abc'",
				"5 error: Invalid hex string for UDP_CHECK require_reply: expected one word of an even number of hex digits or X wildcards, found '4g'",
			},
			check: func(t *testing.T, c *Config) {
				u := onlyChecker(t, c).UDP
				eq(t, "defaults", [2]int{u.MinReplyLength, u.MaxReplyLength}, [2]int{0, 255})
				eq(t, "payload", u.Payload == nil, true)
				eq(t, "require without pattern", u.RequireReply && u.Reply == nil, true)
			},
		},
		{
			name:  "FILE_CHECK",
			src:   rsWith("", "  FILE_CHECK {\n   track_file f1\n   weight -5 reverse\n   retry 3\n  }\n") + "track_file f1 {\n file /run/f1\n weight 3\n}\n",
			diags: []string{"6 warning: unknown keyword 'retry'"},
			check: func(t *testing.T, c *Config) {
				eq(t, "file", *onlyChecker(t, c).File, FileCheck{TrackFile: "f1", Weight: Setting[int]{-5, true}, Reverse: true,
					Path: "/run/f1", EffectiveWeight: -5, EffectiveReverse: true})
			},
		},
		{
			name: "FILE_CHECK weight from the track_file",
			src:  rsWith("", "  FILE_CHECK {\n   track_file f1\n  }\n") + "track_file f1 {\n file /run/f1\n weight 3 reverse\n}\n",
			check: func(t *testing.T, c *Config) {
				f := onlyChecker(t, c).File
				eq(t, "weight", [2]any{f.EffectiveWeight, f.EffectiveReverse}, [2]any{3, true})
			},
		},
		{
			name:  "FILE_CHECK of an unknown track_file",
			src:   rsWith("", "  FILE_CHECK {\n   track_file nosuch\n  }\n"),
			diags: []string{"3 warning: track_file nosuch not found - FILE_CHECK ignored"},
			check: func(t *testing.T, c *Config) { eq(t, "checkers", len(onlyVS(t, c).RealServers[0].Checkers), 0) },
		},
		{
			name:  "BFD_CHECK of an unknown bfd_instance",
			src:   rsWith("", "  BFD_CHECK {\n   name nosuch\n  }\n"),
			diags: []string{"3 warning: ([198.51.100.1]:udp:8080) BFD_CHECK - BFD nosuch not configured - ignored"},
		},
		{
			name:  "BFD_CHECK",
			src:   rsWith("", "  BFD_CHECK {\n   name b1\n   alpha\n   connect_ip 198.51.100.3\n  }\n") + "bfd_instance b1 {\n neighbor_ip 198.51.100.1\n}\n",
			diags: []string{"6 warning: unknown keyword 'connect_ip'"},
			check: func(t *testing.T, c *Config) {
				ch := onlyChecker(t, c)
				eq(t, "bfd", ch.BFD.Name, "b1")
				eq(t, "alpha", ch.Resolved.Alpha, true)
			},
		},
		{
			name:  "checker without block",
			src:   rsWith("", "  TCP_CHECK\n"),
			diags: []string{"3 error: 'TCP_CHECK' expects a block: 'TCP_CHECK {'"},
		},
	})
}
