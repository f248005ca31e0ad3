package fsm

import (
	"net/netip"
	"time"
)

// tookOverMeanwhile reports, for an advert timer firing at now, whether timer_expired_backup
// applies: the fire is so late that a backup has already taken over. Our previous advert went out
// one advert_int before the timer was due, and restarted every backup's Master_Down_Timer; the
// quickest backup (priority TimerExpiredPriority) takes over Master_Down_Interval after it. So the
// limit on the lateness is that interval less one advert_int. A fire at or past the limit means
// both routers are master from now on unless this one steps down.
//
// The backups' Master_Down_Interval is computed with this router's advert_int and
// down_timer_adverts, which a VRRPv3 backup adopts from our adverts and which a VRRPv2 backup
// must share with us anyway (RFC 3768 §7.1).
func (m *Machine) tookOverMeanwhile(now time.Time) bool {
	if !m.cfg.TimerExpiredBackup || m.state != StateMaster || m.advertDue.IsZero() {
		return false
	}
	adv := m.cfg.AdvertInterval
	limit := masterDownInterval(m.cfg.Version, m.cfg.DownTimerAdverts, m.cfg.TimerExpiredPriority, adv) - adv
	return now.Sub(m.advertDue) >= limit
}

// timerExpiredBackup moves a master whose advert timer fired too late to BACKUP without sending
// the overdue advert: the router that took over keeps the addresses, and with nopreempt (which
// timer_expired_backup requires) this one accepts its adverts whatever their priority. It sends
// no priority-0 advert either, as there is no master to hand over to but the new one.
func (m *Machine) timerExpiredBackup(now time.Time, out []Action) []Action {
	m.masterAddr, m.masterPrio = netip.Addr{}, 0
	return m.toBackup(now, out, ReasonTimerExpired)
}
