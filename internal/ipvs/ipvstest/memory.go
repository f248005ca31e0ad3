// Package ipvstest provides an in-memory ipvs.Client with the kernel's semantics, for tests and
// benchmarks on machines without IPVS.
package ipvstest

import (
	"fmt"
	"slices"
	"sync"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/ipvs"
)

// Ops counts the mutating calls a Memory has served successfully.
type Ops struct {
	CreateService, UpdateService, RemoveService             int
	CreateDestination, UpdateDestination, RemoveDestination int
	Flush, SetTimeouts, StartDaemon, StopDaemon             int
}

// Total is the number of table-changing operations (services and destinations).
func (o Ops) Total() int {
	return o.CreateService + o.UpdateService + o.RemoveService +
		o.CreateDestination + o.UpdateDestination + o.RemoveDestination + o.Flush
}

// schedulers are the scheduler modules of a stock kernel; others fail with ENOENT like a missing
// module does.
var schedulers = []string{"rr", "wrr", "lc", "wlc", "lblc", "lblcr", "dh", "sh", "mh", "sed", "nq", "fo", "ovf", "twos"}

// service is one service with its destinations in insertion order.
type service struct {
	svc   ipvs.Service
	dests []ipvs.Destination
}

// Memory is an in-memory IPVS table. Identity is the kernel's: a service by family and fwmark, or by
// family, protocol, address and port; a destination by address and port within its service. It
// returns the kernel's errnos: EEXIST for duplicates, ESRCH for a missing service, ENOENT for a
// missing destination or scheduler, ERANGE for a bad weight or thresholds, EINVAL for a bad
// persistence netmask; listing the destinations of a missing service is an empty list, as the
// kernel's dump is. The VM test (internal/lvs/vmtest) checks this parity on a real kernel. The zero value is not usable; call NewMemory.
type Memory struct {
	mu       sync.Mutex
	services []*service
	index    map[ipvs.ServiceKey]*service
	timeouts ipvs.Timeouts
	daemons  []ipvs.Daemon
	ops      Ops
	// FailNext, when set, is returned (once) by the next mutating call instead of applying it.
	FailNext error
}

var _ ipvs.Client = (*Memory)(nil)

// NewMemory returns an empty table with the kernel's default timeouts (900 s, 120 s, 300 s).
func NewMemory() *Memory {
	return &Memory{
		index:    map[ipvs.ServiceKey]*service{},
		timeouts: ipvs.Timeouts{TCP: 900 * time.Second, TCPFin: 120 * time.Second, UDP: 300 * time.Second},
	}
}

// Ops returns the operation counters.
func (m *Memory) Ops() Ops {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.ops
}

// ResetOps zeroes the operation counters.
func (m *Memory) ResetOps() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.ops = Ops{}
}

// fail returns and clears FailNext.
func (m *Memory) fail() error {
	err := m.FailNext
	m.FailNext = nil
	return err
}

// errno wraps e with the operation like the kernel client does.
func errno(what string, e syscall.Errno) error { return fmt.Errorf("ipvstest: %s: %w", what, e) }

// key normalises k as the kernel keys it: a fwmark service ignores protocol, address and port.
func key(k ipvs.ServiceKey) ipvs.ServiceKey {
	if k.Fwmark != 0 {
		return ipvs.ServiceKey{Family: k.Family, Fwmark: k.Fwmark}
	}
	return k
}

// Info implements ipvs.Client.
func (m *Memory) Info() (ipvs.Info, error) {
	return ipvs.Info{Version: 1<<16 | 2<<8 | 1, ConnTableSize: 4096}, nil
}

// Services implements ipvs.Client.
func (m *Memory) Services() ([]ipvs.ServiceEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]ipvs.ServiceEntry, 0, len(m.services))
	for _, s := range m.services {
		e := ipvs.ServiceEntry{Service: s.svc}
		e.Flags |= ipvs.FlagHashed
		out = append(out, e)
	}
	return out, nil
}

// Service implements ipvs.Client.
func (m *Memory) Service(k ipvs.ServiceKey) (ipvs.ServiceEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sv, ok := m.index[key(k)]
	if !ok {
		return ipvs.ServiceEntry{}, errno("get service "+k.String(), syscall.ESRCH)
	}
	e := ipvs.ServiceEntry{Service: sv.svc}
	e.Flags |= ipvs.FlagHashed
	return e, nil
}

// checkService validates s as ip_vs_add_service()/ip_vs_edit_service() do.
func checkService(s ipvs.Service) syscall.Errno {
	if !slices.Contains(schedulers, s.Scheduler) {
		return syscall.ENOENT
	}
	if s.Family == ipvs.INET6 && s.Granularity > 128 || s.Family == ipvs.INET && s.Granularity > 32 || s.Granularity < 0 {
		return syscall.EINVAL
	}
	if s.Fwmark == 0 && s.Protocol != ipvs.TCP && s.Protocol != ipvs.UDP && s.Protocol != ipvs.SCTP {
		return syscall.EAFNOSUPPORT
	}
	return 0
}

// CreateService implements ipvs.Client.
func (m *Memory) CreateService(s ipvs.Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	s.ServiceKey = key(s.ServiceKey)
	if _, ok := m.index[s.ServiceKey]; ok {
		return errno("create service "+s.ServiceKey.String(), syscall.EEXIST)
	}
	if e := checkService(s); e != 0 {
		return errno("create service "+s.ServiceKey.String(), e)
	}
	s.Flags = normalise(s)
	sv := &service{svc: s}
	m.services = append(m.services, sv)
	m.index[s.ServiceKey] = sv
	m.ops.CreateService++
	return nil
}

// normalise stores the flags as the kernel does (persistent when a timeout is set).
func normalise(s ipvs.Service) ipvs.ServiceFlags {
	f := s.Flags &^ ipvs.FlagHashed &^ ipvs.FlagPersistent
	if s.Timeout >= time.Second {
		f |= ipvs.FlagPersistent
	}
	return f
}

// UpdateService implements ipvs.Client.
func (m *Memory) UpdateService(s ipvs.Service) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	s.ServiceKey = key(s.ServiceKey)
	sv, ok := m.index[s.ServiceKey]
	if !ok {
		return errno("update service "+s.ServiceKey.String(), syscall.ESRCH)
	}
	if e := checkService(s); e != 0 {
		return errno("update service "+s.ServiceKey.String(), e)
	}
	s.Flags = normalise(s)
	sv.svc = s
	m.ops.UpdateService++
	return nil
}

// RemoveService implements ipvs.Client.
func (m *Memory) RemoveService(k ipvs.ServiceKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	k = key(k)
	sv, ok := m.index[k]
	if !ok {
		return errno("remove service "+k.String(), syscall.ESRCH)
	}
	delete(m.index, k)
	m.services = slices.DeleteFunc(m.services, func(s *service) bool { return s == sv })
	m.ops.RemoveService++
	return nil
}

// Destinations implements ipvs.Client.
func (m *Memory) Destinations(k ipvs.ServiceKey) ([]ipvs.DestinationEntry, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	sv, ok := m.index[key(k)]
	if !ok {
		// The kernel's dump swallows the lookup failure and returns nothing.
		return nil, nil
	}
	out := make([]ipvs.DestinationEntry, len(sv.dests))
	for i, d := range sv.dests {
		out[i] = ipvs.DestinationEntry{Destination: d}
	}
	return out, nil
}

// checkDest validates d as ip_vs_add_dest()/ip_vs_edit_dest() do.
func checkDest(d ipvs.Destination) syscall.Errno {
	if d.Weight < 0 {
		return syscall.ERANGE
	}
	// ip_vs_add_dest()/ip_vs_edit_dest() check this even when the upper threshold is 0.
	if d.LowerThreshold > d.UpperThreshold {
		return syscall.ERANGE
	}
	return 0
}

// find returns the index of the destination with key dk, or -1.
func (sv *service) find(dk ipvs.DestinationKey) int {
	return slices.IndexFunc(sv.dests, func(d ipvs.Destination) bool { return d.DestinationKey == dk })
}

// destFamily fills the destination's family as the kernel reports it.
func destFamily(k ipvs.ServiceKey, d ipvs.Destination) ipvs.Destination {
	if d.Family == 0 {
		d.Family = k.Family
		if d.Addr.IsValid() {
			d.Family = ipvs.FamilyOf(d.Addr)
		}
	}
	if d.Forward != ipvs.Tunnel {
		d.TunnelType, d.TunnelPort, d.TunnelFlags = 0, 0, 0
	}
	return d
}

// CreateDestination implements ipvs.Client.
func (m *Memory) CreateDestination(k ipvs.ServiceKey, d ipvs.Destination) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	what := "create destination " + d.DestinationKey.String() + " of " + k.String()
	sv, ok := m.index[key(k)]
	if !ok {
		return errno(what, syscall.ESRCH)
	}
	if e := checkDest(d); e != 0 {
		return errno(what, e)
	}
	if sv.find(d.DestinationKey) >= 0 {
		return errno(what, syscall.EEXIST)
	}
	sv.dests = append(sv.dests, destFamily(k, d))
	m.ops.CreateDestination++
	return nil
}

// UpdateDestination implements ipvs.Client.
func (m *Memory) UpdateDestination(k ipvs.ServiceKey, d ipvs.Destination) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	what := "update destination " + d.DestinationKey.String() + " of " + k.String()
	sv, ok := m.index[key(k)]
	if !ok {
		return errno(what, syscall.ESRCH)
	}
	if e := checkDest(d); e != 0 {
		return errno(what, e)
	}
	i := sv.find(d.DestinationKey)
	if i < 0 {
		return errno(what, syscall.ENOENT)
	}
	sv.dests[i] = destFamily(k, d)
	m.ops.UpdateDestination++
	return nil
}

// RemoveDestination implements ipvs.Client.
func (m *Memory) RemoveDestination(k ipvs.ServiceKey, dk ipvs.DestinationKey) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	what := "remove destination " + dk.String() + " of " + k.String()
	sv, ok := m.index[key(k)]
	if !ok {
		return errno(what, syscall.ESRCH)
	}
	i := sv.find(dk)
	if i < 0 {
		return errno(what, syscall.ENOENT)
	}
	sv.dests = slices.Delete(sv.dests, i, i+1)
	m.ops.RemoveDestination++
	return nil
}

// Timeouts implements ipvs.Client.
func (m *Memory) Timeouts() (ipvs.Timeouts, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.timeouts, nil
}

// SetTimeouts implements ipvs.Client.
func (m *Memory) SetTimeouts(t ipvs.Timeouts) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	if t.TCP > 0 {
		m.timeouts.TCP = t.TCP
	}
	if t.TCPFin > 0 {
		m.timeouts.TCPFin = t.TCPFin
	}
	if t.UDP > 0 {
		m.timeouts.UDP = t.UDP
	}
	m.ops.SetTimeouts++
	return nil
}

// Flush implements ipvs.Client.
func (m *Memory) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	m.services = nil
	m.index = map[ipvs.ServiceKey]*service{}
	m.ops.Flush++
	return nil
}

// Daemons implements ipvs.Client.
func (m *Memory) Daemons() ([]ipvs.Daemon, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.daemons), nil
}

// StartDaemon implements ipvs.Client.
func (m *Memory) StartDaemon(d ipvs.Daemon) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	if d.State != ipvs.DaemonMaster && d.State != ipvs.DaemonBackup || d.Interface == "" {
		return errno("start sync daemon", syscall.EINVAL)
	}
	if slices.ContainsFunc(m.daemons, func(x ipvs.Daemon) bool { return x.State == d.State }) {
		return errno("start sync daemon", syscall.EEXIST)
	}
	m.daemons = append(m.daemons, d)
	m.ops.StartDaemon++
	return nil
}

// StopDaemon implements ipvs.Client.
func (m *Memory) StopDaemon(s ipvs.DaemonState) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if err := m.fail(); err != nil {
		return err
	}
	i := slices.IndexFunc(m.daemons, func(x ipvs.Daemon) bool { return x.State == s })
	if i < 0 {
		return errno("stop sync daemon", syscall.ESRCH)
	}
	m.daemons = slices.Delete(m.daemons, i, i+1)
	m.ops.StopDaemon++
	return nil
}

// Close implements ipvs.Client.
func (m *Memory) Close() error { return nil }
