// Command demohttp is the throw-away workload of `make demo`
// (scripts/demo.sh): a web server, a forwarding proxy for the load-balancer
// namespaces, and a client that watches the wire and the VIP and prints
// timestamped events for the failover timeline. It is not part of
// gokeepalived.
//
//	demohttp web NAME ADDR                  serve "NAME" on ADDR
//	demohttp proxy NAME ADDR BACKEND...     forward ADDR to the backends in turn
//	demohttp client IFACE VIP               print "EV <unix ns> <what> ..." lines
package main

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/sys/unix"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "demohttp:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) < 3 {
		return fmt.Errorf("usage: demohttp web NAME ADDR | proxy NAME ADDR BACKEND... | client IFACE VIP")
	}
	switch args[0] {
	case "web":
		return web(args[1], args[2])
	case "proxy":
		return proxy(args[1], args[2], args[3:])
	case "client":
		return client(args[1], args[2])
	}
	return fmt.Errorf("unknown mode %q", args[0])
}

func web(name, addr string) error {
	return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "served by %s", name)
	}))
}

// proxy stands in for IPVS, which the demo cannot count on: it listens on
// all addresses, so it answers on the VIP exactly while this load balancer
// holds it.
func proxy(name, addr string, backends []string) error {
	if len(backends) == 0 {
		return fmt.Errorf("proxy needs backends")
	}
	var next atomic.Uint64
	hc := &http.Client{Timeout: time.Second}
	return http.ListenAndServe(addr, http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		be := backends[next.Add(1)%uint64(len(backends))]
		resp, err := hc.Get("http://" + be + "/")
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Fprintf(w, "%s via %s", body, name)
	}))
}

// events serialises the client's output lines.
type events struct{ mu sync.Mutex }

func (e *events) print(format string, a ...any) {
	e.mu.Lock()
	defer e.mu.Unlock()
	fmt.Printf("EV %d "+format+"\n", append([]any{time.Now().UnixNano()}, a...)...)
}

func client(ifname, vipText string) error {
	vip, err := netip.ParseAddr(vipText)
	if err != nil {
		return fmt.Errorf("VIP: %w", err)
	}
	ev := &events{}
	if err := watchWire(ifname, vip, ev); err != nil {
		return err
	}
	// A fresh connection per request, as a new client would open: a
	// kept-alive connection to the dead load balancer would only measure
	// TCP's retransmission timer.
	hc := &http.Client{Timeout: 150 * time.Millisecond, Transport: &http.Transport{DisableKeepAlives: true}}
	last := ""
	for {
		state := ""
		resp, err := hc.Get("http://" + vip.String() + "/")
		if err == nil {
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			state = "ok " + string(body)
		} else {
			state = "fail"
		}
		if state != last {
			ev.print("http %s", state)
			last = state
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// watchWire prints VRRP adverts whenever the sender or priority changes, and
// every gratuitous ARP for vip (RFC 5227 §3 form: sender = target = VIP).
func watchWire(ifname string, vip netip.Addr, ev *events) error {
	ifi, err := net.InterfaceByName(ifname)
	if err != nil {
		return err
	}
	proto := uint16(unix.ETH_P_ALL)
	proto = proto<<8 | proto>>8
	fd, err := unix.Socket(unix.AF_PACKET, unix.SOCK_RAW|unix.SOCK_CLOEXEC, int(proto))
	if err != nil {
		return fmt.Errorf("capture socket: %w", err)
	}
	if err := unix.Bind(fd, &unix.SockaddrLinklayer{Protocol: proto, Ifindex: ifi.Index}); err != nil {
		unix.Close(fd)
		return fmt.Errorf("bind capture socket: %w", err)
	}
	go func() {
		defer unix.Close(fd)
		buf := make([]byte, 2048)
		lastAdvert := ""
		for {
			n, _, err := unix.Recvfrom(fd, buf, 0)
			if err != nil {
				if err == unix.EINTR {
					continue
				}
				return
			}
			b := buf[:n]
			if len(b) < 14 {
				continue
			}
			mac := net.HardwareAddr(b[6:12]).String()
			switch binary.BigEndian.Uint16(b[12:14]) {
			case 0x0800: // IPv4, protocol 112 = VRRP (RFC 9568 §5.1.1.3)
				ip := b[14:]
				if len(ip) < 20 || ip[9] != 112 {
					continue
				}
				ihl := int(ip[0]&0x0f) * 4
				if len(ip) < ihl+8 {
					continue
				}
				src := netip.AddrFrom4([4]byte(ip[12:16]))
				prio := ip[ihl+2]
				if k := fmt.Sprintf("%s %d", src, prio); k != lastAdvert {
					ev.print("advert %s %d %s", src, prio, mac)
					lastAdvert = k
				}
			case 0x0806: // ARP (RFC 826)
				a := b[14:]
				if len(a) < 28 {
					continue
				}
				spa, tpa := netip.AddrFrom4([4]byte(a[14:18])), netip.AddrFrom4([4]byte(a[24:28]))
				if spa == vip && tpa == vip {
					ev.print("garp %s %s", vip, strings.ToLower(mac))
				}
			}
		}
	}()
	return nil
}
