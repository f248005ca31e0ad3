package nftables

import (
	"errors"
	"net"
	"net/netip"
	"os"
	"slices"
	"testing"
	"time"

	nft "github.com/google/nftables"

	"github.com/gokeepalived/gokeepalived/internal/nettest"
)

// netns creates a namespace with 198.51.100.1/24 and 2001:db8::1/64 on lo and returns it with
// an open handle for nftables connections.
func netns(t *testing.T) (*nettest.NS, int) {
	t.Helper()
	ns := nettest.NewNS(t, "nft")
	ns.IP("addr", "add", "198.51.100.1/24", "dev", "lo")
	ns.IP("addr", "add", "198.51.100.2/24", "dev", "lo")
	ns.IP("addr", "add", "2001:db8::1/64", "dev", "lo")
	f, err := os.Open(ns.Path())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return ns, int(f.Fd())
}

// inspect reads what the kernel holds for table name: per family, the sorted keys of every set.
func inspect(t *testing.T, fd int, name string) map[nft.TableFamily]map[string][]string {
	t.Helper()
	c, err := nft.New(nft.WithNetNSFd(fd))
	if err != nil {
		t.Fatal(err)
	}
	tables, err := c.ListTables()
	if err != nil {
		t.Fatal(err)
	}
	out := map[nft.TableFamily]map[string][]string{}
	for _, tb := range tables {
		if tb.Name != name {
			continue
		}
		sets, err := c.GetSets(tb)
		if err != nil {
			t.Fatal(err)
		}
		out[tb.Family] = map[string][]string{}
		for _, s := range sets {
			els, err := c.GetSetElements(s)
			if err != nil {
				t.Fatal(err)
			}
			keys := []string{}
			for _, e := range els {
				keys = append(keys, string(e.Key))
			}
			slices.Sort(keys)
			out[tb.Family][s.Name] = keys
		}
	}
	return out
}

func key(t *testing.T, a Addr) string {
	t.Helper()
	e, err := elemOf(a)
	if err != nil {
		t.Fatal(err)
	}
	return e.key
}

func TestFilterAddRemoveClose(t *testing.T) {
	ns, fd := netns(t)
	lo := ns.Ifindex("lo")
	v4 := Addr{IP: netip.MustParseAddr("198.51.100.1")}
	v6 := Addr{IP: netip.MustParseAddr("2001:db8::1")}
	ll := Addr{IP: netip.MustParseAddr("fe80::1"), Ifindex: lo}
	f := New(Options{NetNS: fd})
	t.Cleanup(func() { f.Close() })

	if err := f.Add([]Addr{v4, v6, ll, v4}); err != nil {
		t.Fatalf("Add: %v", err)
	}
	if err := f.Add([]Addr{v4}); err != nil { // already there: no-op
		t.Fatalf("Add again: %v", err)
	}
	got := inspect(t, fd, DefaultTable)
	if k := got[nft.TableFamilyIPv4]["vips"]; !slices.Equal(k, []string{key(t, v4)}) {
		t.Errorf("ip vips = %q", k)
	}
	if k := got[nft.TableFamilyIPv6]["vips"]; !slices.Equal(k, []string{key(t, v6)}) {
		t.Errorf("ip6 vips = %q", k)
	}
	if k := got[nft.TableFamilyIPv6]["vips_link_local"]; !slices.Equal(k, []string{key(t, ll)}) {
		t.Errorf("ip6 vips_link_local = %q", k)
	}
	if k := got[nft.TableFamilyIPv6]["neighbor-discovery"]; !slices.Equal(k, []string{"\x87", "\x88"}) {
		t.Errorf("neighbor-discovery = %q", k)
	}

	// Removal is per address and idempotent, and never-added addresses are ignored.
	other := Addr{IP: netip.MustParseAddr("203.0.113.9")}
	for range 2 {
		if err := f.Remove([]Addr{v6, other}); err != nil {
			t.Fatalf("Remove: %v", err)
		}
	}
	got = inspect(t, fd, DefaultTable)
	if k := got[nft.TableFamilyIPv6]["vips"]; len(k) != 0 {
		t.Errorf("ip6 vips after removal = %q", k)
	}
	if k := got[nft.TableFamilyIPv4]["vips"]; len(k) != 1 {
		t.Errorf("ip vips after removing another address = %q", k)
	}

	if err := f.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if got := inspect(t, fd, DefaultTable); len(got) != 0 {
		t.Errorf("tables left after Close: %v", got)
	}
	if err := f.Remove([]Addr{v4}); err != nil {
		t.Errorf("Remove after Close: %v", err)
	}
	if err := f.Add([]Addr{v4}); err == nil {
		t.Error("Add after Close succeeded")
	}
}

// TestFilterOptions checks that the table name and priority are honoured and that a table left
// by an earlier run is replaced, not added to.
func TestFilterOptions(t *testing.T) {
	_, fd := netns(t)
	a := Addr{IP: netip.MustParseAddr("198.51.100.1")}
	b := Addr{IP: netip.MustParseAddr("198.51.100.2")}
	stale := New(Options{Table: "kad", NetNS: fd})
	if err := stale.Add([]Addr{a}); err != nil {
		t.Fatal(err)
	}
	// stale is never closed: its table is what a crashed run leaves.
	f := New(Options{Table: "kad", Priority: -5, Counters: true, NetNS: fd})
	t.Cleanup(func() { f.Close() })
	if err := f.Add([]Addr{b}); err != nil {
		t.Fatal(err)
	}
	if k := inspect(t, fd, "kad")[nft.TableFamilyIPv4]["vips"]; !slices.Equal(k, []string{key(t, b)}) {
		t.Errorf("vips = %q, want only the new run's address", k)
	}
	c, err := nft.New(nft.WithNetNSFd(fd))
	if err != nil {
		t.Fatal(err)
	}
	chains, err := c.ListChainsOfTableFamily(nft.TableFamilyIPv4)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, ch := range chains {
		if ch.Table.Name == "kad" {
			n++
			if ch.Priority == nil || *ch.Priority != -5 {
				t.Errorf("chain %s priority %v, want -5", ch.Name, ch.Priority)
			}
		}
	}
	if n != 2 {
		t.Errorf("%d chains in table kad, want 2", n)
	}
}

// TestFilterRebuild deletes the table behind the filter's back: the next Add rebuilds it with
// every address still filtered.
func TestFilterRebuild(t *testing.T) {
	_, fd := netns(t)
	a := Addr{IP: netip.MustParseAddr("198.51.100.1")}
	b := Addr{IP: netip.MustParseAddr("198.51.100.2")}
	f := New(Options{NetNS: fd})
	t.Cleanup(func() { f.Close() })
	if err := f.Add([]Addr{a}); err != nil {
		t.Fatal(err)
	}
	c, err := nft.New(nft.WithNetNSFd(fd))
	if err != nil {
		t.Fatal(err)
	}
	c.DelTable(&nft.Table{Name: DefaultTable, Family: nft.TableFamilyIPv4})
	if err := c.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.Add([]Addr{b}); err != nil {
		t.Fatalf("Add after external delete: %v", err)
	}
	want := []string{key(t, a), key(t, b)}
	slices.Sort(want)
	if k := inspect(t, fd, DefaultTable)[nft.TableFamilyIPv4]["vips"]; !slices.Equal(k, want) {
		t.Errorf("vips = %q, want %q", k, want)
	}
}

// TestFilterDrops sends a datagram to a filtered address and then one to an unfiltered one over
// loopback: the second arrives first only if the first was dropped. Loopback keeps order, so
// no timeout decides the outcome.
func TestFilterDrops(t *testing.T) {
	ns, fd := netns(t)
	vip := Addr{IP: netip.MustParseAddr("198.51.100.1")}
	f := New(Options{NetNS: fd})
	t.Cleanup(func() { f.Close() })

	first := func() string {
		t.Helper()
		var got string
		err := ns.Do(func() error {
			srv, err := net.ListenUDP("udp4", &net.UDPAddr{Port: 4242})
			if err != nil {
				return err
			}
			defer srv.Close()
			cli, err := net.ListenUDP("udp4", &net.UDPAddr{IP: net.ParseIP("127.0.0.1")})
			if err != nil {
				return err
			}
			defer cli.Close()
			for _, dst := range []string{"198.51.100.1", "127.0.0.1"} {
				if _, err := cli.WriteToUDP([]byte(dst), &net.UDPAddr{IP: net.ParseIP(dst), Port: 4242}); err != nil {
					return err
				}
			}
			buf := make([]byte, 64)
			if err := srv.SetReadDeadline(time.Now().Add(5 * time.Second)); err != nil {
				return err
			}
			n, _, err := srv.ReadFromUDP(buf)
			got = string(buf[:n])
			return err
		})
		if err != nil && !errors.Is(err, os.ErrDeadlineExceeded) {
			t.Fatal(err)
		}
		return got
	}
	if got := first(); got != "198.51.100.1" {
		t.Fatalf("without the filter the first datagram read is %q", got)
	}
	if err := f.Add([]Addr{vip}); err != nil {
		t.Fatal(err)
	}
	if got := first(); got != "127.0.0.1" {
		t.Errorf("with the filter the first datagram read is %q, want the unfiltered one", got)
	}
	if err := f.Remove([]Addr{vip}); err != nil {
		t.Fatal(err)
	}
	if got := first(); got != "198.51.100.1" {
		t.Errorf("after Remove the first datagram read is %q", got)
	}
}
