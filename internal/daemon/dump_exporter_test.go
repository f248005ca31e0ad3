package daemon

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// This file re-implements the parsing rules of mehdy/keepalived-exporter, to prove that an
// unchanged exporter deployment reads our dumps. The logic is ported from
// internal/collector/parser.go (commit a1d64371a41fc514688cce6c8b29dc5b8607339e: ParseVRRPData,
// ParseVRRPScript, ParseStats, ParseJSON, ParseVIP), internal/collector/setter.go (commit
// 6c595b47ab1e937a248c8dbbf7e1135e56b8f0f2) and the VRRPData/VRRPStats types of
// internal/collector/collector.go (commit b8475da2bc4290e5e1a8998b473301cea5c809ee). It is a
// re-implementation of the rules, not a copy: failures the exporter logs and turns into
// keepalived_up 0 are errors here.

type expStats struct {
	AdvertRcvd        int `json:"advert_rcvd"`
	AdvertSent        int `json:"advert_sent"`
	BecomeMaster      int `json:"become_master"`
	ReleaseMaster     int `json:"release_master"`
	PacketLenErr      int `json:"packet_len_err"`
	AdvertIntervalErr int `json:"advert_interval_err"`
	IPTTLErr          int `json:"ip_ttl_err"`
	InvalidTypeRcvd   int `json:"invalid_type_rcvd"`
	AddrListErr       int `json:"addr_list_err"`
	InvalidAuthType   int `json:"invalid_authtype"`
	AuthTypeMismatch  int `json:"authtype_mismatch"`
	AuthFailure       int `json:"auth_failure"`
	PRIZeroRcvd       int `json:"pri_zero_rcvd"`
	PRIZeroSent       int `json:"pri_zero_sent"`
}

type expData struct {
	IName        string   `json:"iname"`
	State        int      `json:"state"`
	WantState    int      `json:"wantstate"`
	Intf         string   `json:"ifp_ifname"`
	GArpDelay    int      `json:"garp_delay"`
	VRID         int      `json:"vrid"`
	VIPs         []string `json:"vips"`
	ExcludedVIPs []string `json:"excluded_vips"`
}

type expVRRP struct {
	Data  expData  `json:"data"`
	Stats expStats `json:"stats"`
}

type expScript struct{ Name, Status, State string }

var expStates = []string{"INIT", "BACKUP", "MASTER", "FAULT"}

func expState(s string) (int, error) {
	if i := slices.Index(expStates, s); i >= 0 {
		return i, nil
	}
	return -1, fmt.Errorf("unknown state found: %s", s)
}

// expParseData is ParseVRRPData.
func expParseData(r io.Reader) (map[string]*expData, error) {
	data := map[string]*expData{}
	var instance, key, val string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, " VRRP Instance") && strings.Contains(l, "="):
			instance = strings.TrimSpace(strings.Split(strings.TrimSpace(l), "=")[1])
			data[instance] = &expData{IName: instance}
		case strings.HasPrefix(l, "   ") && instance != "":
			if strings.HasPrefix(l, "     ") {
				val = strings.TrimSpace(l)
			} else {
				var args []string
				switch {
				case strings.Contains(l, "="):
					args = strings.Split(strings.TrimSpace(l), "=")
				case strings.Contains(l, ":"):
					args = strings.Split(strings.TrimSpace(l), ":")
				default:
					continue
				}
				key = strings.TrimSpace(args[0])
				if key == "Virtual IP" { // isKeyArray
					continue
				}
				val = strings.TrimSpace(args[1])
			}
			d := data[instance]
			if (strings.HasPrefix(key, "Virtual IP (") || key == "Virtual IP") && val != "" {
				d.VIPs = append(d.VIPs, strings.TrimSpace(val))
			}
			if strings.HasPrefix(key, "Virtual IP Excluded") && val != "" {
				d.ExcludedVIPs = append(d.ExcludedVIPs, strings.TrimSpace(val))
			}
			var err error
			switch key {
			case "State":
				d.State, err = expState(val)
			case "Wantstate":
				d.WantState, err = expState(val)
			case "Interface", "Listening device":
				d.Intf = val
			case "Gratuitous ARP delay":
				d.GArpDelay, err = strconv.Atoi(val)
			case "Virtual Router ID":
				d.VRID, err = strconv.Atoi(val)
			}
			if err != nil {
				return data, err
			}
		case strings.HasPrefix(l, " VRRP Version") || strings.HasPrefix(l, " VRRP Script"):
			continue
		default:
			instance = ""
		}
	}
	return data, nil
}

// expParseScripts is ParseVRRPScript.
func expParseScripts(r io.Reader) []expScript {
	var out []expScript
	var s expScript
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, " VRRP Script") && strings.Contains(l, "="):
			if s.Name != "" {
				out = append(out, s)
				s = expScript{}
			}
			s.Name = strings.TrimSpace(strings.Split(strings.TrimSpace(l), "=")[1])
		case strings.HasPrefix(l, "   ") && s.Name != "":
			if !strings.Contains(l, "=") {
				continue
			}
			kv := strings.Split(strings.TrimSpace(l), "=")
			switch strings.TrimSpace(kv[0]) {
			case "Status":
				s.Status = strings.TrimSpace(kv[1])
			case "State":
				s.State = strings.TrimSpace(kv[1])
			}
		case !strings.HasPrefix(l, "    "):
			if s.Name != "" {
				out = append(out, s)
				s = expScript{}
			}
		}
	}
	if s.Name != "" {
		out = append(out, s)
	}
	return out
}

// expParseStats is ParseStats.
func expParseStats(r io.Reader) (map[string]*expStats, error) {
	stats := map[string]*expStats{}
	var instance, section string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		l := sc.Text()
		switch {
		case strings.HasPrefix(l, "VRRP Instance") && strings.Contains(l, ":"):
			instance = strings.TrimSpace(strings.Split(strings.TrimSpace(l), ":")[1])
			stats[instance] = &expStats{}
		case strings.HasPrefix(l, "  ") && strings.HasSuffix(l, ":"):
			section = strings.TrimSpace(strings.Split(strings.TrimSpace(l), ":")[0])
		case strings.HasPrefix(l, "    ") && section != "":
			sp := strings.Split(strings.TrimSpace(l), ":")
			key := strings.TrimSpace(sp[0])
			v, err := strconv.Atoi(strings.TrimSpace(sp[1]))
			if err != nil {
				return stats, err
			}
			st := stats[instance]
			switch section + "/" + key {
			case "Advertisements/Received":
				st.AdvertRcvd = v
			case "Advertisements/Sent":
				st.AdvertSent = v
			case "Packet Errors/Length":
				st.PacketLenErr = v
			case "Packet Errors/TTL":
				st.IPTTLErr = v
			case "Packet Errors/Invalid Type":
				st.InvalidTypeRcvd = v
			case "Packet Errors/Advertisement Interval":
				st.AdvertIntervalErr = v
			case "Packet Errors/Address List":
				st.AddrListErr = v
			case "Authentication Errors/Invalid Type":
				st.InvalidAuthType = v
			case "Authentication Errors/Type Mismatch":
				st.AuthTypeMismatch = v
			case "Authentication Errors/Failure":
				st.AuthFailure = v
			case "Priority Zero/Received":
				st.PRIZeroRcvd = v
			case "Priority Zero/Sent":
				st.PRIZeroSent = v
			}
		case strings.HasPrefix(l, "  ") && !strings.HasSuffix(l, ":") && !strings.HasPrefix(l, "    "):
			sp := strings.Split(strings.TrimSpace(l), ":")
			key := strings.TrimSpace(sp[0])
			section = ""
			v, err := strconv.Atoi(strings.TrimSpace(sp[1]))
			if err != nil {
				return stats, err
			}
			switch key {
			case "Became master":
				stats[instance].BecomeMaster = v
			case "Released master":
				stats[instance].ReleaseMaster = v
			}
		}
	}
	return stats, nil
}

// expParseVIP is ParseVIP: the address and the device label of keepalived_vrrp_state.
func expParseVIP(vip string) (ip, dev string, ok bool) {
	args := strings.Split(vip, " ")
	if len(args) < 3 {
		return "", "", false
	}
	return args[0], args[2], true
}

// expCollect is getKeepalivedStats in text mode: data and stats must name the same instances.
func expCollect(data, stats string) (map[string]expVRRP, error) {
	d, err := expParseData(strings.NewReader(data))
	if err != nil {
		return nil, err
	}
	s, err := expParseStats(strings.NewReader(stats))
	if err != nil {
		return nil, err
	}
	if len(d) != len(s) {
		return nil, fmt.Errorf("keepalived.data and keepalived.stats datas are not synced")
	}
	out := map[string]expVRRP{}
	for name, v := range d {
		st, ok := s[name]
		if !ok {
			return nil, fmt.Errorf("there is no stats found for instance %s", name)
		}
		out[name] = expVRRP{Data: *v, Stats: *st}
	}
	return out, nil
}

// wantExported is what the exporter must see for dumpFixture, worked out by hand from
// keepalived's rules: STOP shows as INIT (0); TTL errors are DropTTL+DropUnicastTTL (3+14);
// length errors DropTooShort+DropIPLength (1+12); checksum drops count nowhere.
var wantExported = map[string]expVRRP{
	"VI_1": {
		Data: expData{IName: "VI_1", State: 2, WantState: 2, Intf: "eth0", GArpDelay: 10, VRID: 51,
			VIPs: []string{
				"198.51.100.10/24 dev eth0 scope global set",
				"203.0.113.7/32 dev eth1 scope global label eth1:vip set",
			},
			ExcludedVIPs: []string{"203.0.113.99/32 dev eth2 scope link set"},
		},
		Stats: expStats{AdvertRcvd: 56, AdvertSent: 1234, BecomeMaster: 4, ReleaseMaster: 5,
			PacketLenErr: 13, AdvertIntervalErr: 6, IPTTLErr: 17, InvalidTypeRcvd: 15, AddrListErr: 11,
			InvalidAuthType: 8, AuthTypeMismatch: 9, AuthFailure: 10, PRIZeroRcvd: 31, PRIZeroSent: 21},
	},
	"VI_6": {
		Data:  expData{IName: "VI_6", State: 1, WantState: 1, Intf: "eth0", GArpDelay: 5, VRID: 52, VIPs: []string{"2001:db8::10/64 dev eth0 scope global"}},
		Stats: expStats{AdvertRcvd: 77},
	},
	"VI_gone": {
		Data: expData{IName: "VI_gone", State: 0, WantState: 0, Intf: "eth3", GArpDelay: 5, VRID: 53, VIPs: []string{"198.51.100.53/32 dev eth3 scope global"}},
	},
}

func TestExporterParsesTextDumps(t *testing.T) {
	in := dumpFixture()
	data := formatData(in)
	got, err := expCollect(data, formatStats(in))
	if err != nil {
		t.Fatalf("the exporter rejects our dumps: %v", err)
	}
	if !reflect.DeepEqual(got, wantExported) {
		t.Errorf("exporter view:\n got  %+v\n want %+v", got, wantExported)
	}
	wantScripts := []expScript{{"chk_nginx", "GOOD", "idle"}, {"chk_slow", "BAD", "running"}}
	if got := expParseScripts(strings.NewReader(data)); !reflect.DeepEqual(got, wantScripts) {
		t.Errorf("scripts = %+v, want %+v", got, wantScripts)
	}
}

func TestExporterParsesJSONDump(t *testing.T) {
	js, err := formatJSON(dumpFixture())
	if err != nil {
		t.Fatal(err)
	}
	var list []expVRRP // ParseJSON
	if err := json.NewDecoder(strings.NewReader(js)).Decode(&list); err != nil {
		t.Fatalf("the exporter rejects our JSON: %v", err)
	}
	got := map[string]expVRRP{}
	for _, v := range list {
		got[v.Data.IName] = v
	}
	// keepalived's JSON names excluded VIPs "evips", which the exporter's "excluded_vips" never
	// matches: the exporter sees none in JSON mode, with keepalived as with us.
	want := maps.Clone(wantExported)
	for k, v := range want {
		v.Data.ExcludedVIPs = nil
		want[k] = v
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("exporter view:\n got  %+v\n want %+v", got, want)
	}
}

// TestExporterVIPLabels: every VIP gives keepalived_vrrp_state the right ip_address and intf.
func TestExporterVIPLabels(t *testing.T) {
	d, err := expParseData(strings.NewReader(formatData(dumpFixture())))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string][][2]string{
		"VI_1":    {{"198.51.100.10/24", "eth0"}, {"203.0.113.7/32", "eth1"}},
		"VI_6":    {{"2001:db8::10/64", "eth0"}},
		"VI_gone": {{"198.51.100.53/32", "eth3"}},
	}
	for name, vips := range want {
		var got [][2]string
		for _, v := range d[name].VIPs {
			ip, dev, ok := expParseVIP(v)
			if !ok {
				t.Errorf("%s: VIP %q does not parse", name, v)
			}
			got = append(got, [2]string{ip, dev})
		}
		if !reflect.DeepEqual(got, vips) {
			t.Errorf("%s: VIP labels %v, want %v", name, got, vips)
		}
	}
}

// TestExporterParsesKeepalivedSample checks the port itself against the keepalived 2.2.7 data
// sample the exporter tests with (test_files/v2.2.7/keepalived.data, commit
// 73cbb6fab04354cf6c901b22c8a6945bdbbe2130), cut to the lines the parser uses.
func TestExporterParsesKeepalivedSample(t *testing.T) {
	sample := `------< VRRP Topology >------
 VRRP Instance = VI_1
   VRRP Version = 3
   State = MASTER
   Flags: none
   Wantstate = MASTER
   Interface = ens3
   Using src_ip = 10.1.0.166
   Multicast address 224.0.0.18
   Gratuitous ARP delay = 5
   Virtual Router ID = 52
   Virtual IP (1):
     10.1.0.1/24 dev ens3 scope global set
   Tracked scripts :
     chk_script weight 100
------< VRRP Scripts >------
 VRRP Script = check_script
   Status = GOOD
   VRRP instances :
   Tracking instances :
     VI_1, weight 100
   State = idle
`
	d, err := expParseData(strings.NewReader(sample))
	if err != nil {
		t.Fatal(err)
	}
	want := &expData{IName: "VI_1", State: 2, WantState: 2, Intf: "ens3", GArpDelay: 5, VRID: 52, VIPs: []string{"10.1.0.1/24 dev ens3 scope global set"}}
	if len(d) != 1 || !reflect.DeepEqual(d["VI_1"], want) {
		t.Errorf("data = %+v, want %+v", d["VI_1"], want)
	}
	if got := expParseScripts(strings.NewReader(sample)); !reflect.DeepEqual(got, []expScript{{"check_script", "GOOD", "idle"}}) {
		t.Errorf("scripts = %+v", got)
	}
}
