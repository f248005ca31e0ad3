package script

import (
	"errors"
	"fmt"
	"os"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
)

// ErrInsecure is returned by CheckSecure when a script must not be run as root.
var ErrInsecure = errors.New("script: insecure path")

// CheckSecure implements enable_script_security (core/notify.c:
// check_script_secure()): a script that would run as root is refused when the
// file or any directory on its path is owned by a non-root user, or is
// writable by a non-root group or by others. Symlinks are resolved first
// (keepalived's default without use_symlink_paths) and the real path checked.
// It returns the resolved path.
func CheckSecure(path string, runAsRoot bool) (string, error) {
	real, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("script %q: %w", path, err)
	}
	real, err = filepath.Abs(real)
	if err != nil {
		return "", fmt.Errorf("script %q: %w", path, err)
	}
	if !runAsRoot {
		return real, nil
	}
	for p := real; ; p = filepath.Dir(p) {
		fi, err := os.Stat(p)
		if err != nil {
			return "", fmt.Errorf("script %q: %w", path, err)
		}
		if reason := insecure(fi); reason != "" {
			return "", fmt.Errorf("%w: %s %s (script %q)", ErrInsecure, p, reason, path)
		}
		if p == "/" || p == "." {
			break
		}
	}
	return real, nil
}

// insecure returns why fi is unsafe for a root script, or "". It is keepalived's rule
// (lib/notify.c check_script_secure()): a path component is unsafe when it is not owned by root,
// or when it is writable by a non-root group or by everyone — except a directory with the sticky
// bit (such as /tmp), where nobody can replace another user's file.
func insecure(fi os.FileInfo) string {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return ""
	}
	mode := fi.Mode().Perm()
	if st.Uid != 0 {
		return "is owned by uid " + strconv.FormatUint(uint64(st.Uid), 10)
	}
	if fi.IsDir() && fi.Mode()&os.ModeSticky != 0 {
		return ""
	}
	switch {
	case st.Gid != 0 && mode&0o020 != 0:
		return "is group-writable by gid " + strconv.FormatUint(uint64(st.Gid), 10)
	case mode&0o002 != 0:
		return "is world-writable"
	}
	return ""
}

// LookupCredential resolves keepalived's "user [group]" script arguments.
// An empty group means the user's primary group.
func LookupCredential(userName, groupName string) (*Credential, error) {
	u, err := user.Lookup(userName)
	if err != nil {
		return nil, fmt.Errorf("script user %q: %w", userName, err)
	}
	uid, err := strconv.ParseUint(u.Uid, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("script user %q: uid %q: %w", userName, u.Uid, err)
	}
	gidStr := u.Gid
	if groupName != "" {
		g, err := user.LookupGroup(groupName)
		if err != nil {
			return nil, fmt.Errorf("script group %q: %w", groupName, err)
		}
		gidStr = g.Gid
	}
	gid, err := strconv.ParseUint(gidStr, 10, 32)
	if err != nil {
		return nil, fmt.Errorf("script group %q: gid %q: %w", groupName, gidStr, err)
	}
	return &Credential{UID: uint32(uid), GID: uint32(gid), Groups: []uint32{}}, nil
}
