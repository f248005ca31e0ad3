package notify

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/user"
	"strconv"
	"syscall"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// fifo is one open notify FIFO and its optional reader script.
type fifo struct {
	path string
	fd   int
	// stop ends the reader script (SIGTERM, SIGKILL after script.KillGrace).
	stop context.CancelFunc
	done chan struct{}
}

// openFIFO creates the FIFO with mode 0644 when it is missing, opens it
// O_RDWR|O_NONBLOCK as keepalived does (core/notify.c fifo_open(): holding the write
// side open and never blocking on a slow or absent reader), chowns it to the
// configured user/group, and starts the reader script with the path as last argument.
func openFIFO(c config.FIFO, pol policy.Policy, run runner, log *slog.Logger) (*fifo, error) {
	fi, err := os.Lstat(c.Path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		if err := syscall.Mkfifo(c.Path, 0o644); err != nil {
			return nil, fmt.Errorf("notify fifo %s: mkfifo: %w", c.Path, err)
		}
		// mkfifo is subject to the umask; keepalived wants 0644 exactly.
		if err := os.Chmod(c.Path, 0o644); err != nil {
			return nil, fmt.Errorf("notify fifo %s: %w", c.Path, err)
		}
	case err != nil:
		return nil, fmt.Errorf("notify fifo %s: %w", c.Path, err)
	case fi.Mode()&os.ModeNamedPipe == 0:
		return nil, fmt.Errorf("notify fifo %s exists and is not a fifo", c.Path)
	}
	if c.User != "" {
		if err := chown(c.Path, c.User, c.Group); err != nil {
			log.Warn(err.Error())
		}
	}
	fd, err := syscall.Open(c.Path, syscall.O_RDWR|syscall.O_NONBLOCK|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, fmt.Errorf("notify fifo %s: open: %w", c.Path, err)
	}
	f := &fifo{path: c.Path, fd: fd, done: make(chan struct{})}
	if c.Script.IsZero() {
		close(f.done)
		return f, nil
	}
	cmd, err := pol.Prepare(c.Script)
	if err != nil {
		log.Warn(err.Error())
		log.Warn(fmt.Sprintf("Disabling notify script %s due to insecure", c.Script.Command))
		close(f.done)
		return f, nil
	}
	cmd.Argv = append(cmd.Argv, c.Path)
	ctx, cancel := context.WithCancel(context.Background())
	f.stop = cancel
	go func() {
		defer close(f.done)
		res, err := run(ctx, cmd)
		switch {
		case err != nil:
			log.Warn(fmt.Sprintf("notify fifo script %s: %v", c.Script.Command, err))
		case ctx.Err() == nil:
			log.Info(fmt.Sprintf("notify fifo script %s %s", c.Script.Command, res))
		}
	}()
	return f, nil
}

// write sends one line without blocking; a full FIFO drops it, as keepalived's
// non-blocking write does.
func (f *fifo) write(b []byte) error {
	for {
		_, err := syscall.Write(f.fd, b)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return fmt.Errorf("notify fifo %s: write: %w", f.path, err)
		}
		return nil
	}
}

// close stops the reader script, waiting for it until ctx ends, and closes the FIFO.
func (f *fifo) close(ctx context.Context) error {
	if f.stop != nil {
		f.stop()
	}
	var err error
	select {
	case <-f.done:
	case <-ctx.Done():
		err = fmt.Errorf("notify fifo %s: reader script still running: %w", f.path, ctx.Err())
	}
	_ = syscall.Close(f.fd)
	return err
}

// chown gives the FIFO to user[:group].
func chown(path, userName, groupName string) error {
	u, err := user.Lookup(userName)
	if err != nil {
		return fmt.Errorf("notify fifo %s: user %s: %w", path, userName, err)
	}
	gid := u.Gid
	if groupName != "" {
		g, err := user.LookupGroup(groupName)
		if err != nil {
			return fmt.Errorf("notify fifo %s: group %s: %w", path, groupName, err)
		}
		gid = g.Gid
	}
	uid, _ := strconv.Atoi(u.Uid)
	g, _ := strconv.Atoi(gid)
	if err := os.Chown(path, uid, g); err != nil {
		return fmt.Errorf("notify fifo %s: %w", path, err)
	}
	return nil
}

// runner is script.Run's signature.
type runner func(ctx context.Context, c script.Command) (script.Result, error)
