package fsm

import (
	"errors"
	"fmt"
	"net/netip"
	"time"
)

// ErrInvalidConfig is wrapped by every error New returns.
var ErrInvalidConfig = errors.New("invalid vrrp fsm config")

// OwnerPriority is the priority of the address owner (RFC 9568 §6.1).
const OwnerPriority = 255

// Config is one vrrp_instance as the state machine needs it. The config package resolves
// keepalived's defaults, global fall-backs and strict-mode fix-ups before filling it.
type Config struct {
	// VRID is virtual_router_id, 1-255.
	VRID uint8
	// Version is 2 (RFC 3768) or 3 (RFC 9568).
	Version int
	// Priority is the configured priority, 1-255; 255 makes this router the address owner.
	Priority uint8
	// AdvertInterval is advert_int: whole seconds up to 255 s for v2, a multiple of 10 ms up to
	// 40.95 s for v3.
	AdvertInterval time.Duration
	// Nopreempt makes a backup accept adverts of any priority (keepalived nopreempt). It is
	// ignored for an owner or when WantMaster is set, as keepalived clears it there.
	Nopreempt bool
	// PreemptDelay is preempt_delay: how long a backup keeps accepting a lower-priority master
	// after its first advert (0-1000 s).
	PreemptDelay time.Duration
	// DownTimerAdverts replaces the 3 of Master_Down_Interval (1-100; 0 means 3).
	DownTimerAdverts int
	// LowerPrioNoAdvert stops a master from answering a lower-priority advert with its own.
	LowerPrioNoAdvert bool
	// HigherPrioSendAdvert makes a master send one advert before yielding to a higher priority.
	HigherPrioSendAdvert bool
	// OwnerIgnoreAdverts makes an owner (Priority 255) drop every received advert.
	OwnerIgnoreAdverts bool
	// TimerExpiredBackup is timer_expired_backup: a master whose advert timer fires so late
	// (the process was not scheduled) that a backup would already have taken over goes to BACKUP
	// at once instead of staying master beside the new one (keepalived 2.2, needs nopreempt).
	TimerExpiredBackup bool
	// TimerExpiredPriority is timer_expired_backup's PRIO, 1-254: the highest priority among the
	// other routers. It only sets how soon they take over (their Master_Down_Interval's
	// Skew_Time); this router's own priority is unchanged. 0 means 254, the quickest.
	TimerExpiredPriority uint8
	// WantMaster is "state MASTER": only a preference, except for an owner (§1a.1).
	WantMaster bool
	// LocalAddr is the address compared against the sender's for equal priorities
	// (mcast_src_ip/unicast_src_ip, else the interface's primary address).
	LocalAddr netip.Addr
	// StartupDelay is vrrp_startup_delay: adverts are discarded until it ends.
	StartupDelay time.Duration
	// GARP is the gratuitous ARP / unsolicited NA schedule.
	GARP GARPConfig
}

// GARPConfig is keepalived's GARP/NA schedule (reference §6.7). Counts are frames per address.
type GARPConfig struct {
	// MasterRepeat is garp_master_repeat: the burst on becoming master.
	MasterRepeat int
	// MasterDelay is garp_master_delay: when the second burst follows (0: none).
	MasterDelay time.Duration
	// MasterRefresh is garp_master_refresh: the refresh period while master (0: off).
	MasterRefresh time.Duration
	// RefreshRepeat is garp_master_refresh_repeat.
	RefreshRepeat int
	// LowerPrioRepeat is garp_lower_prio_repeat: the burst after a lower-priority advert.
	LowerPrioRepeat int
	// LowerPrioDelay is garp_lower_prio_delay: when that burst is repeated (0: not repeated).
	LowerPrioDelay time.Duration
	// MinGARP is vrrp_min_garp: one frame, no second burst, no refresh. It overrides the fields
	// above, so the config layer leaves it false when the user also set them explicitly.
	MinGARP bool
}

// DefaultGARP returns keepalived's default GARP schedule (reference §1a.4).
func DefaultGARP() GARPConfig {
	return GARPConfig{
		MasterRepeat:    5,
		MasterDelay:     5 * time.Second,
		RefreshRepeat:   1,
		LowerPrioRepeat: 5,
		LowerPrioDelay:  5 * time.Second,
	}
}

// normalize validates c and returns it with keepalived's implied values filled in.
func (c Config) normalize() (Config, error) {
	bad := func(format string, args ...any) (Config, error) {
		return c, fmt.Errorf("vrrp fsm: vrid %d: %s: %w", c.VRID, fmt.Sprintf(format, args...), ErrInvalidConfig)
	}
	if c.VRID == 0 {
		return bad("virtual_router_id must be 1-255")
	}
	if c.Priority == 0 {
		return bad("priority must be 1-255")
	}
	switch c.Version {
	case 2:
		if c.AdvertInterval < time.Second || c.AdvertInterval > 255*time.Second || c.AdvertInterval%time.Second != 0 {
			return bad("v2 advert_int %v must be whole seconds in 1-255 s", c.AdvertInterval)
		}
	case 3:
		if c.AdvertInterval < 10*time.Millisecond || c.AdvertInterval > 4095*centisecond || c.AdvertInterval%centisecond != 0 {
			return bad("v3 advert_int %v must be a multiple of 10 ms in 10 ms-40.95 s", c.AdvertInterval)
		}
	default:
		return bad("version %d must be 2 or 3", c.Version)
	}
	if c.DownTimerAdverts == 0 {
		c.DownTimerAdverts = 3
	}
	if c.DownTimerAdverts < 1 || c.DownTimerAdverts > 100 {
		return bad("down_timer_adverts %d must be 1-100", c.DownTimerAdverts)
	}
	if c.PreemptDelay < 0 || c.PreemptDelay > 1000*time.Second {
		return bad("preempt_delay %v must be 0-1000 s", c.PreemptDelay)
	}
	if c.TimerExpiredPriority == OwnerPriority {
		return bad("timer_expired_backup priority %d must be 1-254", c.TimerExpiredPriority)
	}
	if c.TimerExpiredPriority == 0 {
		c.TimerExpiredPriority = OwnerPriority - 1
	}
	if c.StartupDelay < 0 {
		return bad("startup delay %v is negative", c.StartupDelay)
	}
	g := c.GARP
	if g.MasterRepeat < 0 || g.RefreshRepeat < 0 || g.LowerPrioRepeat < 0 ||
		g.MasterDelay < 0 || g.MasterRefresh < 0 || g.LowerPrioDelay < 0 {
		return bad("negative GARP setting %+v", g)
	}
	if g.MinGARP {
		c.GARP = GARPConfig{MasterRepeat: 1, RefreshRepeat: 1, LowerPrioRepeat: 1, MinGARP: true}
	}
	// keepalived clears nopreempt for an owner and for state MASTER (vrrp_complete_instance()).
	if c.Priority == OwnerPriority || c.WantMaster {
		c.Nopreempt = false
	}
	return c, nil
}
