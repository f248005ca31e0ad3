package check

import "fmt"

// transitionMessage returns keepalived's log line for a checker transition
// (check_tcp.c, check_http.c, check_udp.c, check_smtp.c, check_dns.c,
// check_misc.c), so that the lines operators grep for keep working. rs is
// the FMT_CHK form, "[ip]:proto:port".
func transitionMessage(k Kind, rs string, up bool, retry int) string {
	if up {
		switch k {
		case KindTCP:
			return fmt.Sprintf("TCP connection to %s success.", rs)
		case KindHTTP, KindSSL:
			return fmt.Sprintf("Remote Web server %s succeed on service.", rs)
		case KindUDP:
			return fmt.Sprintf("UDP connection to %s success.", rs)
		case KindSMTP:
			return fmt.Sprintf("Remote SMTP server %s succeed on service.", rs)
		case KindDNS:
			return fmt.Sprintf("DNS_CHECK (%s) succeed on service.", rs)
		case KindMisc:
			return fmt.Sprintf("Misc check for %s succeed.", rs)
		}
		return fmt.Sprintf("%s on service %s succeed.", k, rs)
	}
	name := string(k)
	switch k {
	case KindHTTP, KindSSL:
		name = "HTTP_CHECK"
	case KindMisc:
		return fmt.Sprintf("Misc check for %s failed.", rs)
	}
	if retry > 0 {
		return fmt.Sprintf("%s on service %s failed after %d retries.", name, rs, retry)
	}
	return fmt.Sprintf("%s on service %s failed.", name, rs)
}
