// Package check implements keepalived's real-server health checkers
// (TCP_CHECK, HTTP_GET, SSL_GET, MISC_CHECK, SMTP_CHECK, DNS_CHECK, UDP_CHECK,
// PING_CHECK, FILE_CHECK) and the scheduler that runs them.
//
// Each checker is a Prober: one probe, bounded by a context deadline, that
// says up or down. The Scheduler owns timing (delay_loop, warmup, retry,
// delay_before_retry, alpha), runs probes on a bounded worker pool with one
// timer heap, aggregates checkers into real-server state (up only when all
// its checkers are up) and publishes transitions as Events on a bounded
// queue. Option structs mirror keepalived's keywords so the config layer can
// copy values across; defaults follow keepalived (check_api.c, check_*.c).
package check
