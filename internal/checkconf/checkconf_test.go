package checkconf

import (
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// noUser is a Lookup under which no user exists, so scripts run as the daemon's user.
func noUser(string, string) (*script.Credential, error) { return nil, errors.New("no such user") }

// load parses src and fails the test on any error diagnostic.
func load(t *testing.T, src string) *config.Config {
	t.Helper()
	cfg, diags := config.LoadString("test.conf", src, config.LoadOptions{})
	for _, d := range diags {
		if d.Severity >= syntax.Error {
			t.Fatalf("config: %s: %s", d.Pos, d.Msg)
		}
	}
	if cfg == nil {
		t.Fatal("config: nil")
	}
	return cfg
}

// vs wraps checker blocks into one virtual server with one real server.
func vs(rsBody string) string {
	return `virtual_server 198.51.100.1 80 {
  protocol TCP
  delay_loop 10
  real_server 198.51.100.10 8080 {
` + rsBody + `
  }
}
`
}

// firstChecker returns the first checker of the first real server.
func firstChecker(t *testing.T, cfg *config.Config) *config.Checker {
	t.Helper()
	if len(cfg.VirtualServers) == 0 || len(cfg.VirtualServers[0].RealServers) == 0 || len(cfg.VirtualServers[0].RealServers[0].Checkers) == 0 {
		t.Fatal("no checker in config")
	}
	return cfg.VirtualServers[0].RealServers[0].Checkers[0]
}

var target = netip.MustParseAddr("198.51.100.10")

func TestCheckerOptions(t *testing.T) {
	pol := policy.Policy{Lookup: noUser}
	tests := []struct {
		name string
		src  string
		want any
	}{
		{"tcp", vs(`TCP_CHECK { connect_timeout 3 }`),
			check.TCPOptions{Conn: check.Conn{ConnectIP: target, ConnectPort: 8080, ConnectTimeout: 3 * time.Second}}},
		{"tcp connect_ip bindto fwmark", vs(`TCP_CHECK { connect_ip 203.0.113.5
connect_port 9000
bindto 198.51.100.2
bind_port 4000
fwmark 7 }`),
			check.TCPOptions{Conn: check.Conn{ConnectIP: netip.MustParseAddr("203.0.113.5"), ConnectPort: 9000,
				BindTo: netip.MustParseAddr("198.51.100.2"), BindPort: 4000, FWMark: 7, ConnectTimeout: 5 * time.Second}}},
		{"http", vs(`HTTP_GET {
  url { path /health
        digest 9b3a0c85a887a256d6939da88aabd8cd
        status_code 200 301-302 }
  url { path /b
        virtualhost b.example
        regex "^ok"
        regex_no_match }
  virtualhost www.example
  http_protocol 1.1
  fast_recovery
}`),
			check.HTTPOptions{
				Conn:         check.Conn{ConnectIP: target, ConnectPort: 8080, ConnectTimeout: 5 * time.Second},
				Protocol:     check.HTTP11,
				VirtualHost:  "www.example",
				FastRecovery: true,
				URLs: []check.URL{
					{Path: "/health", Digest: "9b3a0c85a887a256d6939da88aabd8cd", StatusCodes: mustCodes(t, "200", "301-302")},
					{Path: "/b", VirtualHost: "b.example", Regex: "^ok", RegexNoMatch: true, StatusCodes: mustCodes(t, "200-299")},
				},
			}},
		{"ssl sni", `SSL { ca /etc/ca.pem
certificate /etc/c.pem
key /etc/k.pem }
` + vs(`SSL_GET { url { path / }
enable_sni
sni_name api.example
http_protocol 1.0C }`),
			check.HTTPOptions{
				Conn:     check.Conn{ConnectIP: target, ConnectPort: 8080, ConnectTimeout: 5 * time.Second},
				Protocol: check.HTTP10C,
				URLs:     []check.URL{{Path: "/", StatusCodes: mustCodes(t, "200-299")}},
				TLS:      &check.TLSOptions{CAFile: "/etc/ca.pem", CertFile: "/etc/c.pem", KeyFile: "/etc/k.pem", EnableSNI: true, SNIName: "api.example"},
			}},
		{"misc", vs(`MISC_CHECK { misc_path "/bin/check arg1 arg2"
misc_timeout 4
misc_dynamic }`),
			check.MiscOptions{Argv: []string{"/bin/check", "arg1", "arg2"}, Timeout: 4 * time.Second, Dynamic: true}},
		{"misc timeout defaults to delay_loop, user", vs(`MISC_CHECK { misc_path /bin/true
user nobody nogroup }`),
			check.MiscOptions{Argv: []string{"/bin/true"}, Timeout: 10 * time.Second, User: "nobody", Group: "nogroup"}},
		{"smtp hosts", vs(`SMTP_CHECK { helo_name me.example
connect_timeout 2
host { connect_ip 198.51.100.20 }
host { connect_ip 198.51.100.21
connect_port 2525 } }`),
			check.SMTPOptions{
				Conn:     check.Conn{ConnectIP: target, ConnectPort: 8080, ConnectTimeout: 2 * time.Second},
				HeloName: "me.example",
				Hosts: []check.Conn{
					{ConnectIP: netip.MustParseAddr("198.51.100.20"), ConnectPort: 8080, ConnectTimeout: 2 * time.Second},
					{ConnectIP: netip.MustParseAddr("198.51.100.21"), ConnectPort: 2525, ConnectTimeout: 2 * time.Second},
				},
			}},
		{"dns", vs(`DNS_CHECK { type AAAA
name www.example. }`),
			check.DNSOptions{Conn: check.Conn{ConnectIP: target, ConnectPort: 8080, ConnectTimeout: 5 * time.Second}, Type: "AAAA", Name: "www.example."}},
		{"ping", vs(`PING_CHECK { connect_ip 198.51.100.11 }`),
			check.PingOptions{Conn: check.Conn{ConnectIP: netip.MustParseAddr("198.51.100.11"), ConnectPort: 8080, ConnectTimeout: 5 * time.Second}}},
		{"file", `track_file tf { file /run/w
weight 3 }
` + vs(`FILE_CHECK { track_file tf
weight -2 reverse }`),
			check.FileOptions{Path: "/run/w", Weight: -2, Reverse: true}},
		{"file weight from track_file", `track_file tf { file /run/w
weight 3 reverse }
` + vs(`FILE_CHECK { track_file tf }`),
			check.FileOptions{Path: "/run/w", Weight: 3, Reverse: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, tt.src)
			got, err := CheckerOptions(cfg, firstChecker(t, cfg), pol)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("options\n got %#v\nwant %#v", got, tt.want)
			}
		})
	}
}

func mustCodes(t *testing.T, args ...string) check.StatusCodes {
	t.Helper()
	sc, err := check.ParseStatusCodes(args)
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func TestUDPOptions(t *testing.T) {
	cfg := load(t, vs(`UDP_CHECK { payload 0102ab
require_reply 0aXbXX
min_reply_length 3
max_reply_length 100 }`))
	got, err := CheckerOptions(cfg, firstChecker(t, cfg), policy.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	o := got.(check.UDPOptions)
	if string(o.Payload) != "\x01\x02\xab" || !o.RequireReply || o.MinReplyLength != 3 || o.MaxReplyLength != 100 {
		t.Errorf("udp options %+v", o)
	}
	if o.ReplyPattern == nil || o.ReplyPattern.Len() != 3 {
		t.Fatalf("pattern %+v", o.ReplyPattern)
	}
	for _, m := range []struct {
		reply string
		ok    bool
	}{{"\x0a\x1b\xff", true}, {"\x0a\xfb\x00", true}, {"\x0b\x1b\xff", false}, {"\x0a\x1c\xff", false}} {
		if got := o.ReplyPattern.Match([]byte(m.reply)); got != m.ok {
			t.Errorf("Match(%x) = %v, want %v", m.reply, got, m.ok)
		}
	}
	if got := replyPattern([]byte{0x0a, 0x0b, 0}, []byte{0xff, 0xf0 >> 4, 0}); got != "0aXbXX" {
		t.Errorf("replyPattern = %q", got)
	}
}

func TestSchedule(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want check.Schedule
	}{
		{"tcp defaults", vs(`TCP_CHECK {}`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 1, DelayBeforeRetry: time.Second, ConnectTimeout: 5 * time.Second}},
		{"http retries after 3s", vs(`HTTP_GET { url { path / } }`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 1, DelayBeforeRetry: 3 * time.Second, ConnectTimeout: 5 * time.Second}},
		{"misc does not retry", vs(`MISC_CHECK { misc_path /bin/true }`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 0, DelayBeforeRetry: time.Second, ConnectTimeout: 5 * time.Second}},
		{"dns retries 3 after delay_loop", vs(`DNS_CHECK {}`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 3, DelayBeforeRetry: 10 * time.Second, ConnectTimeout: 5 * time.Second}},
		{"checker overrides", vs(`TCP_CHECK { delay_loop 2
retry 4
delay_before_retry 7
warmup 0
connect_timeout 1
alpha
log_all_failures }`),
			check.Schedule{DelayLoop: 2 * time.Second, Warmup: 0, Retry: 4, DelayBeforeRetry: 7 * time.Second, ConnectTimeout: time.Second, Alpha: true, LogAllFailures: true}},
		{"real server cascade", `virtual_server 198.51.100.1 80 {
  protocol TCP
  delay_loop 20
  retry 2
  alpha
  real_server 198.51.100.10 80 {
    delay_loop 5
    warmup 1
    HTTP_GET { url { path / } }
  }
}
`, check.Schedule{DelayLoop: 5 * time.Second, Warmup: time.Second, Retry: 2, DelayBeforeRetry: 3 * time.Second, ConnectTimeout: 5 * time.Second, Alpha: true}},
		{"global checker_log_all_failures", "global_defs { checker_log_all_failures }\n" + vs(`TCP_CHECK {}`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 1, DelayBeforeRetry: time.Second, ConnectTimeout: 5 * time.Second, LogAllFailures: true}},
		{"checker log_all_failures off beats global", "global_defs { checker_log_all_failures }\n" + vs(`TCP_CHECK { log_all_failures false }`),
			check.Schedule{DelayLoop: 10 * time.Second, Warmup: 10 * time.Second, Retry: 1, DelayBeforeRetry: time.Second, ConnectTimeout: 5 * time.Second}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, tt.src)
			if got := Schedule(firstChecker(t, cfg)); got != tt.want {
				t.Errorf("schedule\n got %+v\nwant %+v", got, tt.want)
			}
		})
	}
}

func TestBuild(t *testing.T) {
	cfg := load(t, `global_defs { enable_script_security }
virtual_server 198.51.100.1 80 {
  protocol TCP
  delay_loop 10
  real_server 198.51.100.10 80 {
    notify_up "/bin/echo up"
    notify_down "/bin/echo down"
    TCP_CHECK {}
    TCP_CHECK { connect_port 81 }
    PING_CHECK {}
  }
  real_server 198.51.100.11 80 {
    weight 2
  }
  real_server 198.51.100.12 80 {
    PING_CHECK {}
  }
}
virtual_server fwmark 7 {
  delay_loop 10
  lvs_method DR
  real_server 2001:db8::10 {
    SMTP_CHECK { host { connect_ip 2001:db8::20 }
      host { connect_ip 2001:db8::21 } }
  }
}
`)
	res, err := Build(cfg, Options{Lookup: noUser})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rs := range res.Servers {
		var names []string
		for _, sp := range rs.Checkers {
			names = append(names, sp.Name)
		}
		got = append(got, rs.VirtualServer+" | "+rs.ID+" | "+strings.Join(names, ","))
	}
	want := []string{
		"[198.51.100.1]:tcp:80 | [198.51.100.10]:tcp:80 | TCP_CHECK,TCP_CHECK#2",
		"FWM 7 | [2001:db8::10]:none:0 | SMTP_CHECK[0],SMTP_CHECK[1]",
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("servers\n got %q\nwant %q", got, want)
	}
	if len(res.Warnings) != 2 || !strings.Contains(res.Warnings[0], "PING_CHECK") || !strings.Contains(res.Warnings[0], "CAP_NET_RAW") {
		t.Errorf("warnings %q", res.Warnings)
	}
	ns, ok := res.Scripts[check.ScriptKey("[198.51.100.1]:tcp:80", "[198.51.100.10]:tcp:80")]
	if !ok || !reflect.DeepEqual(ns.Up, []string{"/usr/bin/echo", "up"}) && !reflect.DeepEqual(ns.Up, []string{"/bin/echo", "up"}) ||
		len(ns.Down) != 2 || ns.Down[1] != "down" {
		t.Errorf("scripts %+v", res.Scripts)
	}
	if len(res.Scripts) != 1 {
		t.Errorf("scripts for servers without notify: %+v", res.Scripts)
	}
}

func TestBuildInsecureNotifyDropped(t *testing.T) {
	dir := t.TempDir() // 0700 owned by us, but the script is world-writable
	p := dir + "/notify.sh"
	if err := writeScript(p, 0o777); err != nil {
		t.Fatal(err)
	}
	cfg := load(t, "global_defs { enable_script_security }\n"+vs(`notify_up `+p+`
TCP_CHECK {}`))
	res, err := Build(cfg, Options{Lookup: noUser})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Scripts) != 0 || len(res.Warnings) != 1 || !strings.Contains(res.Warnings[0], "notify_up") {
		t.Errorf("scripts %+v warnings %q", res.Scripts, res.Warnings)
	}
	if len(res.Servers) != 1 {
		t.Errorf("the checker must still run: %+v", res.Servers)
	}
}

func TestMiscUserFallback(t *testing.T) {
	exists := func(u, g string) (*script.Credential, error) {
		if u == policy.DefaultUser {
			return &script.Credential{UID: 999, GID: 999}, nil
		}
		return nil, errors.New("no such user")
	}
	tests := []struct {
		name, global, block string
		lookup              func(string, string) (*script.Credential, error)
		user, group         string
	}{
		{"keepalived_script exists", "", "", exists, policy.DefaultUser, ""},
		{"no keepalived_script user: root", "", "", noUser, "", ""},
		{"script_user", "global_defs { script_user www www }\n", "", exists, "www", "www"},
		{"block user wins", "global_defs { script_user www }\n", "user daemon", exists, "daemon", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := load(t, tt.global+vs("MISC_CHECK { misc_path /bin/true\n"+tt.block+" }"))
			pol := policy.FromGlobal(&cfg.Global)
			pol.Lookup = tt.lookup
			got, err := CheckerOptions(cfg, firstChecker(t, cfg), pol)
			if err != nil {
				t.Fatal(err)
			}
			o := got.(check.MiscOptions)
			if o.User != tt.user || o.Group != tt.group {
				t.Errorf("user %q group %q, want %q %q", o.User, o.Group, tt.user, tt.group)
			}
		})
	}
}
