package notify

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/config"
)

func TestAlertText(t *testing.T) {
	tests := []struct {
		kind, state, subject, body string
		ok                         bool
	}{
		{KindInstance, StateMaster, "Entering MASTER state", "=> VRRP Instance is now owning VRRP VIPs <=", true},
		{KindInstance, StateBackup, "Entering BACKUP state", "=> VRRP Instance is nolonger owning VRRP VIPs <=", true},
		{KindInstance, StateFault, "Entering FAULT state", "=> VRRP Instance is nolonger owning VRRP VIPs <=", true},
		{KindGroup, StateMaster, "Entering MASTER state", "=> All VRRP group instances are now in MASTER state <=", true},
		{KindGroup, StateFault, "Entering FAULT state", "=> All VRRP group instances are now in FAULT state <=", true},
		{KindInstance, StateStop, "", "", false},
		{KindInstance, StateMasterPriority, "", "", false},
	}
	for _, tt := range tests {
		s, b, ok := alertText(tt.kind, tt.state)
		if s != tt.subject || b != tt.body || ok != tt.ok {
			t.Errorf("alertText(%s, %s) = %q, %q, %v", tt.kind, tt.state, s, b, ok)
		}
	}
}

func TestMailTemplateDefaults(t *testing.T) {
	g := config.GlobalDefs{NotificationEmail: []string{"a@example.com"}, SMTPServer: "2001:db8::25"}
	m, timeout := mailTemplate(&g, "lb1")
	if m == nil {
		t.Fatal("no template")
	}
	if m.Server != "[2001:db8::25]:25" || m.HELO != "lb1" || m.From != "keepalived@lb1" || timeout.Seconds() != 30 {
		t.Errorf("template %+v timeout %v", m, timeout)
	}
	if m, _ := mailTemplate(&config.GlobalDefs{SMTPServer: "x"}, "lb1"); m != nil {
		t.Error("a template without notification_email")
	}
}
