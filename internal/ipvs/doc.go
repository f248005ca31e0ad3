// Package ipvs is a client for the Linux IP Virtual Server (IPVS) over generic netlink
// (family "IPVS", include/uapi/linux/ip_vs.h): services by protocol/address/port or fwmark,
// destinations with NAT/DR/TUN forwarding, timeouts, flush, the connection sync daemon and
// statistics.
//
// Client is the narrow interface the LVS manager uses; Open returns the kernel implementation and
// ipvstest.Memory an in-memory one with the kernel's identity and error semantics. When the kernel
// has no IPVS, Open fails with an error matching ErrNotAvailable so that the daemon can run VRRP
// alone and say that LVS is off.
package ipvs
