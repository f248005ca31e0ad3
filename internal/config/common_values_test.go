package config

import "testing"

func TestSplitUserGroup(t *testing.T) {
	tests := []struct {
		in          []string
		user, group string
	}{
		{[]string{"root"}, "root", ""},
		{[]string{"root", "wheel"}, "root", "wheel"},
		{[]string{"root:wheel"}, "root", "wheel"},
		{[]string{"root", ":wheel"}, "root", "wheel"},
	}
	for _, tc := range tests {
		u, g := splitUserGroup(tc.in)
		if u != tc.user || g != tc.group {
			t.Errorf("splitUserGroup(%q) = %q %q", tc.in, u, g)
		}
	}
}
