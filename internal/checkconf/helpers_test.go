package checkconf

import "os"

// writeScript writes a trivial shell script with the given mode (chmod, so the umask does not interfere).
func writeScript(path string, mode os.FileMode) error {
	if err := os.WriteFile(path, []byte("#!/bin/sh\nexit 0\n"), 0o700); err != nil {
		return err
	}
	return os.Chmod(path, mode)
}
