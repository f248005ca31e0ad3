package check

// AlertBody is the body of keepalived's SMTP alert for a checker going up or down
// (smtp_alert(SMTP_MSG_RS, …) in check_tcp.c, check_http.c, check_udp.c,
// check_ping.c, check_dns.c, check_smtp.c and check_misc.c of keepalived 2.2.x).
// reason is the failure reason, which only SMTP_CHECK quotes ("=> CHECK failed on
// service : reason <=") and which tells a MISC_CHECK time-out ("timed out") from a
// failure. ok is false for the kinds keepalived never mails about (FILE_CHECK: check_file.c
// sends no alert).
func AlertBody(k Kind, up bool, reason string) (body string, ok bool) {
	switch k {
	case KindTCP:
		return pick(up, "=> TCP CHECK succeed on service <=", "=> TCP CHECK failed on service <="), true
	case KindHTTP, KindSSL:
		return pick(up, "=> CHECK succeed on service <=", "=> CHECK failed on service : HTTP request failed <="), true
	case KindUDP:
		return pick(up, "=> UDP CHECK succeed on service <=", "=> UDP CHECK failed on service <="), true
	case KindPing:
		return pick(up, "=> ICMP CHECK succeed on service <=", "=> ICMP CHECK failed on service <="), true
	case KindDNS:
		return pick(up, "=> DNS_CHECK: succeed on service <=", "=> DNS_CHECK: failed on service <="), true
	case KindSMTP:
		if up {
			return "=> CHECK succeed on service <=", true
		}
		if reason == "" {
			return "=> CHECK failed on service <=", true
		}
		return "=> CHECK failed on service : " + reason + " <=", true
	case KindMisc:
		switch {
		case up:
			return "=> MISC CHECK succeeded on service <=", true
		case reason == miscTimedOut:
			return "=> MISC CHECK timed out on service <=", true
		}
		return "=> MISC CHECK failed on service <=", true
	}
	return "", false
}

// pick returns a when up, else b.
func pick(up bool, a, b string) string {
	if up {
		return a
	}
	return b
}
