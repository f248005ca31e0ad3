//go:build !linux

package script

import "syscall"

// sysProcAttr gives the script its own process group and the credentials.
func sysProcAttr(c *Credential) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true}
	if c != nil {
		a.Credential = &syscall.Credential{Uid: c.UID, Gid: c.GID, Groups: c.Groups}
	}
	return a
}
