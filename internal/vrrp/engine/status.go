package engine

import (
	"maps"
	"net/netip"
	"slices"
	"strings"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/packet"
)

// InstanceStatus is a point-in-time view of one instance, for dumps, the status socket and
// metrics.
type InstanceStatus struct {
	Name      string `json:"name"`
	SyncGroup string `json:"sync_group,omitempty"`
	VRID      int    `json:"vrid"`
	Interface string `json:"interface"`
	Family    string `json:"family"`
	Version   int    `json:"version"`
	State     string `json:"state"`
	// Priority is the effective priority; BasePriority the configured one.
	Priority       int        `json:"priority"`
	BasePriority   int        `json:"base_priority"`
	Master         netip.Addr `json:"master,omitzero"`
	MasterPriority int        `json:"master_priority,omitempty"`
	SourceAddr     netip.Addr `json:"source,omitzero"`
	VIPs           []string   `json:"vips"`

	AdvertsSent     uint64            `json:"adverts_sent"`
	AdvertsReceived uint64            `json:"adverts_received"`
	PriorityZeroTx  uint64            `json:"priority_zero_sent"`
	PriorityZeroRx  uint64            `json:"priority_zero_received"`
	BecomeMaster    uint64            `json:"become_master"`
	ReleaseMaster   uint64            `json:"release_master"`
	SendErrors      uint64            `json:"send_errors"`
	Drops           map[string]uint64 `json:"drops,omitempty"`

	// Trackers are the instance's external trackers (scripts, files, processes) by key, e.g.
	// "script chk_nginx", sorted by key.
	Trackers []TrackerStatus `json:"trackers,omitempty"`
}

// TrackerStatus is one tracker's current verdict for an instance.
type TrackerStatus struct {
	Key    string `json:"key"`
	Fault  bool   `json:"fault"`
	Weight int    `json:"weight"`
}

// Snapshot returns the status of every instance. It is answered by the loop, so the view is
// consistent.
func (e *Engine) Snapshot() ([]InstanceStatus, error) {
	res := make(chan []InstanceStatus, 1)
	select {
	case e.events <- func() { res <- e.snapshot() }:
	case <-e.done:
		return nil, errStopped
	}
	select {
	case s := <-res:
		return s, nil
	case <-e.done:
		return nil, errStopped
	}
}

func (e *Engine) snapshot() []InstanceStatus {
	out := make([]InstanceStatus, 0, len(e.instances))
	for _, in := range e.instances {
		c := in.cfg
		st := InstanceStatus{
			Name: c.Name, SyncGroup: c.SyncGroup, VRID: c.VRID, Interface: c.Interface,
			Family: c.Family.String(), Version: c.Version, BasePriority: c.Priority, SourceAddr: in.src,
			AdvertsSent: in.stats.AdvertsSent.Load(), AdvertsReceived: in.stats.AdvertsReceived.Load(),
			PriorityZeroTx: in.stats.PriorityZeroTx.Load(), PriorityZeroRx: in.stats.PriorityZeroRx.Load(),
			BecomeMaster: in.stats.BecomeMaster.Load(), ReleaseMaster: in.stats.ReleaseMaster.Load(),
			SendErrors: in.stats.SendErrors.Load(),
		}
		if m := in.unit.machineOf(in.member); m != nil {
			st.State = strings.ToUpper(m.State().String())
			st.Priority = int(m.Priority())
			st.Master, _ = m.Master()
			_, mp := m.Master()
			st.MasterPriority = int(mp)
		}
		for _, v := range in.addrs.Addrs {
			st.VIPs = append(st.VIPs, v.String())
		}
		for _, r := range packet.DropReasons() {
			if n := in.stats.Drops[r].Load(); n > 0 {
				if st.Drops == nil {
					st.Drops = map[string]uint64{}
				}
				st.Drops[r.String()] = n
			}
		}
		for _, k := range slices.Sorted(maps.Keys(in.track.external)) {
			t := in.track.external[k]
			st.Trackers = append(st.Trackers, TrackerStatus{Key: k, Fault: t.Fault, Weight: t.Weight})
		}
		out = append(out, st)
	}
	return out
}
