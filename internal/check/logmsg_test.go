package check

import "testing"

func TestTransitionMessage(t *testing.T) {
	rs := "[198.51.100.10]:tcp:80"
	tests := []struct {
		k     Kind
		up    bool
		retry int
		want  string
	}{
		{KindTCP, true, 1, "TCP connection to [198.51.100.10]:tcp:80 success."},
		{KindTCP, false, 3, "TCP_CHECK on service [198.51.100.10]:tcp:80 failed after 3 retries."},
		{KindTCP, false, 0, "TCP_CHECK on service [198.51.100.10]:tcp:80 failed."},
		{KindHTTP, true, 1, "Remote Web server [198.51.100.10]:tcp:80 succeed on service."},
		{KindSSL, false, 1, "HTTP_CHECK on service [198.51.100.10]:tcp:80 failed after 1 retries."},
		{KindUDP, false, 0, "UDP_CHECK on service [198.51.100.10]:tcp:80 failed."},
		{KindSMTP, true, 0, "Remote SMTP server [198.51.100.10]:tcp:80 succeed on service."},
		{KindMisc, false, 0, "Misc check for [198.51.100.10]:tcp:80 failed."},
	}
	for _, tc := range tests {
		if got := transitionMessage(tc.k, rs, tc.up, tc.retry); got != tc.want {
			t.Errorf("got %q want %q", got, tc.want)
		}
	}
}
