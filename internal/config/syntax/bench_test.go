package syntax

import (
	"fmt"
	"strings"
	"testing"
)

// largeConfig generates a realistic large configuration: 3,000 virtual servers with 10 TCP-checked
// real servers each, and 500 VRRP instances: 113,504 lines, 2.8 MB.
func largeConfig() string {
	var b strings.Builder
	b.WriteString("! generated\nglobal_defs {\n    router_id bench # the router\n}\n")
	for i := range 500 {
		fmt.Fprintf(&b, `vrrp_instance VI_%d {
    state BACKUP
    interface eth0
    virtual_router_id %d
    priority 100
    advert_int 1
    virtual_ipaddress {
        203.0.113.%d/24 dev eth0
    }
    notify_master "/etc/keepalived/notify.sh MASTER VI_%d"
}
`, i, i%255+1, i%254+1, i)
	}
	for v := range 3000 {
		fmt.Fprintf(&b, "virtual_server 198.51.%d.%d 80 {\n    delay_loop 6\n    lb_algo rr\n    lb_kind NAT\n    protocol TCP\n", v/250, v%250+1)
		for r := range 10 {
			fmt.Fprintf(&b, "    real_server 10.%d.%d.%d 80 {\n        TCP_CHECK { connect_timeout 3 }\n    }\n", v/250, v%250, r+1)
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// BenchmarkParse preprocesses the generated 113,504-line configuration.
func BenchmarkParse(b *testing.B) {
	src := largeConfig()
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		nodes, diags := ParseString("bench.conf", src, Options{ConfigID: "main"})
		if len(diags) != 0 || len(nodes) != 3501 {
			b.Fatalf("%d nodes, diags %s", len(nodes), diags)
		}
	}
}

// BenchmarkManPageSeq expands keepalived.conf(5)'s largest example: ~SEQ over 8 x 32 x 254
// values of a 14-line definition, 65,024 VRRP instances and as many track_file blocks.
func BenchmarkManPageSeq(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		nodes, diags := ParseString("seq.conf", manPageSeqBig, Options{ConfigID: "main"})
		if len(diags) != 0 || len(nodes) != 2*65024 {
			b.Fatalf("%d nodes, diags %s", len(nodes), diags)
		}
	}
}

const manPageSeqBig = `$VI4= \
track_file offset_instance_4.${IF}.${NUM}.${ID} { \
    file "${_PWD}/679/track_files/4.${IF}.${NUM}.${ID}" \
    weight -100 \
} \
vrrp_instance vrrp4.${IF}.${NUM}.${ID} { \
    interface bond${IF}.${NUM} \
    use_vmac vrrp4.${IF}.${NUM}.${ID} \
    virtual_router_id ${ID} \
    priority 130 \
    virtual_ipaddress { \
        10.${IF}.${NUM}.${ID}/24 \
    } \
    track_file { \
        offset_instance_4.${IF}.${NUM}.${ID} \
    } \
}

~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) $VI4
`

// TestManPageSeqNames checks the first and last names of the man page's 65,024-instance example,
// on a smaller range so that it stays quick under the race detector.
func TestManPageSeqNames(t *testing.T) {
	src := strings.Replace(manPageSeqBig, "~SEQ(IF,0,7) ~SEQ(NUM,0,31)", "~SEQ(IF,6,7) ~SEQ(NUM,30,31)", 1)
	nodes, diags := ParseString("seq.conf", src, testOptions(nil))
	if len(diags) != 0 {
		t.Fatal(diags)
	}
	if len(nodes) != 2*4*254 {
		t.Fatalf("%d nodes, want %d", len(nodes), 2*4*254)
	}
	first, last := nodes[1], nodes[len(nodes)-1]
	if got := compact([]*Node{first}); !strings.HasPrefix(got, "vrrp_instance vrrp4.6.30.1 {interface bond6.30; use_vmac vrrp4.6.30.1; virtual_router_id 1;") {
		t.Errorf("first instance %s", got)
	}
	if got := last.Args[1]; got != "vrrp4.7.31.254" {
		t.Errorf("last instance %s", got)
	}
	if got := nodes[0].Block[0].Args[1]; got != "./679/track_files/4.6.30.1" {
		t.Errorf("track file %s", got)
	}
}
