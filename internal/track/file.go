package track

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/fsnotify/fsnotify"
)

// fileSettle coalesces the burst of inotify events one shell redirect produces
// (truncate, then write) so a transient empty file is not reported. keepalived waits
// for IN_CLOSE_WRITE, which fsnotify does not expose portably.
const fileSettle = 20 * time.Millisecond

// fileTracker watches one track_file and reports value × weight.
type fileTracker struct {
	ready readiness
	name  string
	path  string
	binds []binding
	rep   Reporter
	log   *slog.Logger
	value int
	// watcher is set up by prepare so that a missing directory is reported by New.
	watcher *fsnotify.Watcher
}

// initFile implements init_file [VALUE] [overwrite]: the file is created with VALUE
// (default 0) when missing, or always with overwrite.
func initFile(path string, value int, overwrite bool) error {
	if !overwrite {
		if _, err := os.Stat(path); err == nil {
			return nil
		}
	}
	if err := os.WriteFile(path, []byte(strconv.Itoa(value)+"\n"), 0o644); err != nil {
		return fmt.Errorf("track_file init_file %s: %w", path, err)
	}
	return nil
}

// prepare starts watching the file's directory (so creation and renames into place
// are seen) and reads the first value.
func (t *fileTracker) prepare() error {
	dir := filepath.Dir(t.path)
	if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		return fmt.Errorf("track file directory for %s does not exist - removing", t.name)
	}
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return fmt.Errorf("track_file %s: inotify: %w", t.name, err)
	}
	if err := w.Add(dir); err != nil {
		_ = w.Close()
		return fmt.Errorf("track_file %s: watch %s: %w", t.name, dir, err)
	}
	t.watcher = w
	t.value = readFileValue(t.path)
	return nil
}

// readFileValue reads the file's value; a missing or unreadable file counts as 0.
func readFileValue(path string) int {
	f, err := os.Open(path)
	if err != nil {
		return 0
	}
	defer f.Close()
	buf := make([]byte, maxFileRead)
	n, err := io.ReadFull(f, buf)
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) && !errors.Is(err, io.EOF) && !errors.Is(err, fs.ErrClosed) {
		return 0
	}
	return ParseFileValue(buf[:n])
}

// loop reports the initial value and then every change.
func (t *fileTracker) loop(ctx context.Context) {
	defer t.watcher.Close()
	t.report()
	base := filepath.Base(t.path)
	settle := time.NewTimer(time.Hour)
	settle.Stop()
	defer settle.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-t.watcher.Events:
			if !ok {
				return
			}
			if filepath.Base(ev.Name) != base {
				continue
			}
			settle.Reset(fileSettle)
		case err, ok := <-t.watcher.Errors:
			if !ok {
				return
			}
			t.log.Warn(fmt.Sprintf("track_file %s: inotify error: %v", t.name, err))
			// An overflow may have hidden a change: re-read.
			settle.Reset(fileSettle)
		case <-settle.C:
			v := readFileValue(t.path)
			if v != t.value {
				t.log.Info(fmt.Sprintf("Track file %s value changed from %d to %d", t.name, t.value, v))
				t.value = v
				t.report()
			}
		}
	}
}

func (t *fileTracker) report() {
	defer t.ready.mark()
	for _, b := range t.binds {
		t.rep.SetTracker(b.instance, b.key, FileState(t.value, b.weight, b.reverse))
	}
}
