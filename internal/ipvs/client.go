package ipvs

import "errors"

// ErrNotAvailable means the kernel has no IPVS (no "IPVS" generic netlink family and no module to
// load). The daemon reports LVS as off and keeps running VRRP.
var ErrNotAvailable = errors.New("ipvs: IPVS is not available in this kernel")

// Client programs an IPVS table. Errors from the kernel wrap its errno, so callers can test
// errors.Is(err, unix.EEXIST) (duplicate), unix.ESRCH (no such service) and unix.ENOENT (no such
// destination or scheduler); ipvstest.Memory returns the same errnos.
type Client interface {
	// Info returns the IPVS version and connection table size.
	Info() (Info, error)
	// Services lists every service in the table.
	Services() ([]ServiceEntry, error)
	// Service reads one service; ESRCH when absent.
	Service(k ServiceKey) (ServiceEntry, error)
	// CreateService adds s; EEXIST when its key is present.
	CreateService(s Service) error
	// UpdateService changes the settings of the service with s's key; ESRCH when absent.
	UpdateService(s Service) error
	// RemoveService deletes the service and its destinations; ESRCH when absent.
	RemoveService(k ServiceKey) error
	// Destinations lists the destinations of a service. Like the kernel's dump, it returns an
	// empty list, not an error, when the service is absent: use Service to tell.
	Destinations(k ServiceKey) ([]DestinationEntry, error)
	// CreateDestination adds d to a service; EEXIST when present.
	CreateDestination(k ServiceKey, d Destination) error
	// UpdateDestination changes d's settings; ENOENT when absent.
	UpdateDestination(k ServiceKey, d Destination) error
	// RemoveDestination deletes a destination; ENOENT when absent.
	RemoveDestination(k ServiceKey, d DestinationKey) error
	// Timeouts returns the TCP, TCP FIN and UDP connection timeouts.
	Timeouts() (Timeouts, error)
	// SetTimeouts sets the non-zero fields of t.
	SetTimeouts(t Timeouts) error
	// Flush deletes every service.
	Flush() error
	// Daemons lists the running sync daemons.
	Daemons() ([]Daemon, error)
	// StartDaemon starts a sync daemon; EEXIST when one with that role runs.
	StartDaemon(d Daemon) error
	// StopDaemon stops the sync daemon with the given role.
	StopDaemon(s DaemonState) error
	// Close releases the client's resources.
	Close() error
}
