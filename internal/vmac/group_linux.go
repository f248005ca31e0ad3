package vmac

import (
	"encoding/binary"
	"fmt"

	"github.com/jsimonetti/rtnetlink/v2"
	"github.com/mdlayher/netlink"
	"golang.org/x/sys/unix"
)

// groupMessage is an RTM_SETLINK carrying IFLA_GROUP, which rtnetlink/v2 decodes but
// does not encode. The embedded LinkMessage supplies the header (and satisfies
// rtnetlink.Message); the attribute is appended to its encoding.
type groupMessage struct {
	rtnetlink.LinkMessage
	group uint32
}

// MarshalBinary appends IFLA_GROUP (struct nlattr + u32, rtnetlink(7)).
func (m *groupMessage) MarshalBinary() ([]byte, error) {
	b, err := m.LinkMessage.MarshalBinary()
	if err != nil {
		return nil, err
	}
	attr := make([]byte, 8)
	binary.NativeEndian.PutUint16(attr[0:2], 8)
	binary.NativeEndian.PutUint16(attr[2:4], unix.IFLA_GROUP)
	binary.NativeEndian.PutUint32(attr[4:8], m.group)
	return append(b, attr...), nil
}

// setGroup puts the link in interface group g.
func (m *Manager) setGroup(index, g uint32) error {
	msg := &groupMessage{LinkMessage: rtnetlink.LinkMessage{Family: unix.AF_UNSPEC, Index: index}, group: g}
	if _, err := m.conn.Execute(msg, unix.RTM_SETLINK, netlink.Request|netlink.Acknowledge); err != nil {
		return fmt.Errorf("vmac: set group %d on link %d: %w", g, index, err)
	}
	return nil
}
