package ifaddr

import (
	"errors"
	"fmt"
	"net"
	"net/netip"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// Netlink is the rtnetlink Manager. Addresses use this package's own
// ifaddrmsg codec (rtnetlink/v2 cannot send IFA_CACHEINFO, needed for
// preferred_lft); routes and rules use jsimonetti/rtnetlink/v2. It is safe
// for concurrent use (each netlink.Conn serialises its requests).
type Netlink struct {
	c  *netlink.Conn
	rt *rtnetlink.Conn
}

var _ Manager = (*Netlink)(nil)

// Dial opens the rtnetlink sockets in the calling thread's network namespace.
func Dial() (*Netlink, error) {
	c, err := netlink.Dial(unix.NETLINK_ROUTE, nil)
	if err != nil {
		return nil, fmt.Errorf("ifaddr: dial rtnetlink: %w", err)
	}
	rt, err := rtnetlink.Dial(nil)
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("ifaddr: dial rtnetlink: %w", err)
	}
	// Errors carry the kernel's extended ack message when it has one.
	_ = c.SetOption(netlink.ExtendedAcknowledge, true)
	return &Netlink{c: c, rt: rt}, nil
}

// Close closes the sockets.
func (n *Netlink) Close() error { return errors.Join(n.c.Close(), n.rt.Close()) }

// ListAddrs dumps the addresses of both families.
func (n *Netlink) ListAddrs(ifindex int) ([]Address, error) {
	req := make([]byte, ifaddrmsgLen) // AF_UNSPEC: both families
	msgs, err := n.c.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_GETADDR, Flags: netlink.Request | netlink.Dump},
		Data:   req,
	})
	if err != nil {
		return nil, fmt.Errorf("ifaddr: dump addresses: %w", err)
	}
	out := make([]Address, 0, len(msgs))
	for _, m := range msgs {
		if m.Header.Type != unix.RTM_NEWADDR {
			continue
		}
		a, err := ParseAddressMessage(m.Data)
		if err != nil {
			return nil, err
		}
		if ifindex == 0 || a.Ifindex == ifindex {
			out = append(out, a)
		}
	}
	return out, nil
}

// AddAddr adds a with all its options; EEXIST is success.
func (n *Netlink) AddAddr(a Address) error {
	b, err := marshalAddr(a, true)
	if err != nil {
		return err
	}
	_, err = n.c.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_NEWADDR, Flags: netlink.Request | netlink.Acknowledge | netlink.Create | netlink.Excl},
		Data:   b,
	})
	if err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("ifaddr: add %v: %w", a, err)
	}
	return nil
}

// DelAddr removes a; EADDRNOTAVAIL (already gone) is success.
func (n *Netlink) DelAddr(a Address) error {
	b, err := marshalAddr(a, false)
	if err != nil {
		return err
	}
	_, err = n.c.Execute(netlink.Message{
		Header: netlink.Header{Type: unix.RTM_DELADDR, Flags: netlink.Request | netlink.Acknowledge},
		Data:   b,
	})
	if err != nil && !errors.Is(err, unix.EADDRNOTAVAIL) && !errors.Is(err, unix.ENODEV) {
		return fmt.Errorf("ifaddr: delete %v: %w", a, err)
	}
	return nil
}

func ipOf(a netip.Addr) net.IP {
	if !a.IsValid() {
		return nil
	}
	return net.IP(a.Unmap().AsSlice())
}

func ruleMessage(r Rule) *rtnetlink.RuleMessage {
	v6 := r.IPv6 || (r.Src.IsValid() && r.Src.Addr().Unmap().Is6()) || (r.Dst.IsValid() && r.Dst.Addr().Unmap().Is6())
	fam := uint8(unix.AF_INET)
	if v6 {
		fam = unix.AF_INET6
	}
	attrs := &rtnetlink.RuleAttributes{}
	m := &rtnetlink.RuleMessage{Family: fam, Action: unix.FR_ACT_TO_TBL, Attributes: attrs}
	table := r.Table
	attrs.Table = &table
	if table < 256 {
		m.Table = uint8(table)
	}
	if r.Src.IsValid() {
		ip := ipOf(r.Src.Masked().Addr())
		attrs.Src, m.SrcLength = &ip, uint8(r.Src.Bits())
	}
	if r.Dst.IsValid() {
		ip := ipOf(r.Dst.Masked().Addr())
		attrs.Dst, m.DstLength = &ip, uint8(r.Dst.Bits())
	}
	if r.Priority != 0 {
		p := r.Priority
		attrs.Priority = &p
	}
	if r.FwMark != 0 || r.FwMask != 0 {
		mark, mask := r.FwMark, r.FwMask
		if mask == 0 {
			mask = ^uint32(0)
		}
		attrs.FwMark, attrs.FwMask = &mark, &mask
	}
	if r.IIF != "" {
		s := r.IIF
		attrs.IIFName = &s
	}
	if r.OIF != "" {
		s := r.OIF
		attrs.OIFName = &s
	}
	return m
}

// AddRule adds r; EEXIST is success.
func (n *Netlink) AddRule(r Rule) error {
	if err := n.rt.Rule.Add(ruleMessage(r)); err != nil && !errors.Is(err, unix.EEXIST) {
		return fmt.Errorf("ifaddr: add rule to table %d: %w", r.Table, err)
	}
	return nil
}

// DelRule removes r; ENOENT (already gone) is success.
func (n *Netlink) DelRule(r Rule) error {
	if err := n.rt.Rule.Delete(ruleMessage(r)); err != nil && !errors.Is(err, unix.ENOENT) {
		return fmt.Errorf("ifaddr: delete rule to table %d: %w", r.Table, err)
	}
	return nil
}
