// Package notify delivers keepalived's VRRP notifications (reference §1a.8):
// the notify_master/backup/fault/stop/deleted scripts, the generic notify
// script with its four arguments, notify_master_rx_lower_pri, the notify FIFOs
// with their reader scripts, and SMTP alerts.
//
// The Notifier's entry points are called on the VRRP loop and never block:
// FIFO lines go to one writer goroutine (so the FIFO keeps the engine's order
// across instances and groups), and the scripts of one instance or group go to
// that target's own queue, where they run one after the other, in order, never
// concurrently. keepalived forks notify scripts without waiting, so two quick
// transitions can run their scripts out of order (upstream issue #1835); here
// a script's successor waits for it, up to Options.OrderWait.
package notify
