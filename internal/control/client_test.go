package control

import "testing"

func TestSocketPaths(t *testing.T) {
	tests := []struct{ pid, want string }{
		{"/run/keepalived.pid", "/run/gokeepalived.sock"},
		{"/run/keepalived/keepalived_web.pid", "/run/keepalived/gokeepalived_web.sock"},
		{"/tmp/x/r0.pid", "/tmp/x/r0.sock"},
		{"/tmp/x/main", "/tmp/x/main.sock"},
	}
	for _, tt := range tests {
		if got := SocketForPIDFile(tt.pid); got != tt.want {
			t.Errorf("SocketForPIDFile(%q) = %q, want %q", tt.pid, got, tt.want)
		}
	}
	// The defaults agree with the daemon's default pid files (internal/daemon pidPaths).
	if got := DefaultSocket("/run", ""); got != SocketForPIDFile("/run/keepalived.pid") {
		t.Errorf("DefaultSocket without instance = %q", got)
	}
	if got := DefaultSocket("/run", "web"); got != SocketForPIDFile("/run/keepalived/keepalived_web.pid") {
		t.Errorf("DefaultSocket with instance = %q", got)
	}
}
