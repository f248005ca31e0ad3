// Package lvs is the LVS manager: it turns the virtual_server configuration and the real servers'
// health into an IPVS table and keeps the kernel's table equal to it by reconciliation.
//
// The manager never issues blind commands. For every change (start, reload, a health transition,
// a resync) it computes the desired services and destinations, reads the kernel's entries, and
// applies the minimal set of create/update/remove operations for the entries it owns: the
// configured services and, inside them, the configured real and sorry servers. Entries added by
// others (ipvsadm) are never touched, unchanged entries cost no operation, and a reload that
// changes one weight issues exactly one update.
//
// keepalived's semantics (reference §1b.1-§1b.4) are kept: quorum with hysteresis and
// quorum_up/quorum_down, sorry_server (with sorry_server_inhibit and its own forwarding method)
// replacing all real servers while the quorum is lost, inhibit_on_failure, alpha, omega,
// ha_suspend, virtual_server_group expansion, misc_dynamic weights, notify_up/notify_down and the
// lvs_notify_fifo lines. Health comes in through SetHealth, so the checkers stay a separate package.
package lvs
