package script

import "syscall"

// sysProcAttr gives the script its own process group (so a timeout can kill
// everything it started), SIGTERM when the daemon dies, and the credentials.
func sysProcAttr(c *Credential) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
	if c != nil {
		a.Credential = &syscall.Credential{Uid: c.UID, Gid: c.GID, Groups: c.Groups}
	}
	return a
}
