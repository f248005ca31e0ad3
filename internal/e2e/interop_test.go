package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// interopCases are the keepalived 2.2.7 interop matrix: v2 without and with
// PASS authentication, v3 over IPv4 multicast, IPv4 unicast and IPv6, each
// crashed and cleanly stopped (priority 0).
var interopCases = []Case{
	{Name: "v2-none-crash", Version: 2, Adv: time.Second, AdvText: "1", Family: 4},
	{Name: "v2-none-stop", Version: 2, Adv: time.Second, AdvText: "1", Family: 4, Stop: true},
	{Name: "v2-pass-crash", Version: 2, Adv: time.Second, AdvText: "1", Family: 4, AuthPass: "s3cret"},
	{Name: "v2-pass-stop", Version: 2, Adv: time.Second, AdvText: "1", Family: 4, AuthPass: "s3cret", Stop: true},
	{Name: "v3-ipv4-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4},
	{Name: "v3-ipv4-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Stop: true},
	{Name: "v3-unicast-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Unicast: true},
	{Name: "v3-unicast-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 4, Unicast: true, Stop: true},
	{Name: "v3-ipv6-crash", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 6},
	{Name: "v3-ipv6-stop", Version: 3, Adv: 100 * time.Millisecond, AdvText: "0.1", Family: 6, Stop: true},
}

// suspicious are log words that mean the peer rejected or misread our
// packets (checksum, authentication, interval or address-list mismatches).
var suspicious = []string{"checksum", "invalid", "mismatch", "auth", "bad ", "Setting unicast VRRPv3 checksum to old version"}

// TestInterop runs gokeepalived and keepalived 2.2.7 in one VRRP group in
// both directions. The slow v2 cases run in parallel, each in its own lab.
func TestInterop(t *testing.T) {
	requireImpl(t, Go)
	requireImpl(t, Keepalived)
	dirs := [][2]Impl{{Go, Keepalived}, {Keepalived, Go}}
	t.Run("v2", func(t *testing.T) {
		for _, c := range interopCases {
			if c.Version != 2 {
				continue
			}
			for _, d := range dirs {
				t.Run(fmt.Sprintf("%s/%s-master", c.Name, d[0]), func(t *testing.T) {
					t.Parallel()
					runInterop(t, NewLab(t, 2), d[0], d[1], c)
				})
			}
		}
	})
	l := NewLab(t, 2)
	for _, c := range interopCases {
		if c.Version == 2 {
			continue
		}
		for _, d := range dirs {
			t.Run(fmt.Sprintf("%s/%s-master", c.Name, d[0]), func(t *testing.T) {
				l.T = t
				runInterop(t, l, d[0], d[1], c)
			})
		}
	}
	for _, d := range dirs {
		t.Run(fmt.Sprintf("equal-priority/%s-lower-address", d[0]), func(t *testing.T) {
			RunTieBreak(t, NewLab(t, 2), d[0], d[1])
		})
	}
}

func runInterop(t *testing.T, l *Lab, master, backup Impl, c Case) {
	r := RunFailover(t, l, master, backup, c)
	t.Logf("%s %s→%s: kill→VIP %v, kill→advert %v, kill→GARP/NA %v, gap %v (RFC %v)", c.Name, master, backup, r.KillToVIP, r.KillToAdvert, r.KillToAnnounce, r.Gap, r.Want)
	for _, log := range []string{r.MasterLog, r.BackupLog} {
		for _, line := range strings.Split(log, "\n") {
			for _, w := range suspicious {
				if strings.Contains(strings.ToLower(line), strings.ToLower(w)) {
					t.Errorf("%s: log line mentions %q: %s", c.Name, w, line)
				}
			}
		}
	}
}
