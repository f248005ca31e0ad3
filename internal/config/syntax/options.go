package syntax

import (
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Options controls preprocessing.
type Options struct {
	// ConfigID selects '@ID' conditional lines (keepalived -i; default: host name up to the first
	// dot, see DefaultConfigID). An empty ConfigID matches no '@ID' line and every '@^ID' line.
	ConfigID string
	// Instance is the value of ${_INSTANCE}. Empty means ConfigID, as keepalived's get_instance()
	// returns the config-id.
	Instance string
	// AllConfig makes every include check active from the start (keepalived -e/--all-config, the
	// same as "include_check" with no options at the top of the main file).
	AllConfig bool

	// FS is where configuration files are read from; nil means the operating system.
	FS FileSystem
	// Rand is the source for ${_RANDOM}; nil means a generator seeded from the clock, as keepalived
	// seeds random() with time() unless random_seed is configured.
	Rand *rand.Rand
	// LookupEnv resolves ${_ENV NAME}; nil means os.LookupEnv.
	LookupEnv func(name string) (string, bool)
	// OnFile, if set, is called with the name of every configuration file read, in order, so that
	// a caller can watch them for changes.
	OnFile func(name string)

	// MaxLines bounds the number of logical lines the preprocessor produces, which is what ~SEQ,
	// ~LST and multi-line parameters multiply. 0 means DefaultMaxLines.
	MaxLines int
}

// DefaultMaxLines is the default limit on logical lines produced by one parse. keepalived's own
// man-page example (~SEQ(IF,0,7) ~SEQ(NUM,0,31) ~SEQ(ID,1,254) over a 14-line definition) makes
// about 910,000 lines, so the limit sits well above it while still stopping a runaway expansion.
const DefaultMaxLines = 4_000_000

// FileSystem is what the preprocessor needs from a file system. Names are slash-separated paths
// as written in the configuration (absolute or relative to the process working directory).
type FileSystem interface {
	// ReadFile returns the whole content of the named file.
	ReadFile(name string) ([]byte, error)
	// Stat describes the named file.
	Stat(name string) (fs.FileInfo, error)
	// Glob returns the names matching pattern (path.Match syntax, no braces), sorted.
	Glob(pattern string) ([]string, error)
}

// OSFileSystem reads configuration files from the operating system.
type OSFileSystem struct{}

// ReadFile implements FileSystem with os.ReadFile.
func (OSFileSystem) ReadFile(name string) ([]byte, error) { return os.ReadFile(name) }

// Stat implements FileSystem with os.Stat, which follows symbolic links as fopen() does.
func (OSFileSystem) Stat(name string) (fs.FileInfo, error) { return os.Stat(name) }

// Glob implements FileSystem with filepath.Glob.
func (OSFileSystem) Glob(pattern string) ([]string, error) { return filepath.Glob(pattern) }

// FromFS adapts an io/fs file system (such as testing/fstest.MapFS) to FileSystem. Absolute names
// are mapped into it by dropping the leading '/', so "/etc/keepalived/a.conf" is read as
// "etc/keepalived/a.conf"; relative names are used as they are.
func FromFS(fsys fs.FS) FileSystem { return ioFS{fsys} }

type ioFS struct{ fsys fs.FS }

func (f ioFS) name(n string) string {
	n = strings.TrimPrefix(filepath.ToSlash(filepath.Clean(n)), "/")
	if n == "" {
		return "."
	}
	return n
}

func (f ioFS) ReadFile(name string) ([]byte, error) { return fs.ReadFile(f.fsys, f.name(name)) }

func (f ioFS) Stat(name string) (fs.FileInfo, error) { return fs.Stat(f.fsys, f.name(name)) }

func (f ioFS) Glob(pattern string) ([]string, error) {
	abs := strings.HasPrefix(pattern, "/")
	m, err := fs.Glob(f.fsys, f.name(pattern))
	if abs {
		for i := range m {
			m[i] = "/" + m[i]
		}
	}
	return m, err
}

// DefaultConfigID returns keepalived's default config-id: the host name up to the first dot
// (keepalived uses uname()'s node name, which is what os.Hostname reads on Linux).
func DefaultConfigID() string {
	h, err := os.Hostname()
	if err != nil {
		return ""
	}
	id, _, _ := strings.Cut(h, ".")
	return id
}

func (o *Options) withDefaults() Options {
	r := *o
	if r.FS == nil {
		r.FS = OSFileSystem{}
	}
	if r.Rand == nil {
		now := uint64(time.Now().UnixNano())
		r.Rand = rand.New(rand.NewPCG(now, now>>32))
	}
	if r.LookupEnv == nil {
		r.LookupEnv = os.LookupEnv
	}
	if r.Instance == "" {
		r.Instance = r.ConfigID
	}
	if r.MaxLines <= 0 {
		r.MaxLines = DefaultMaxLines
	}
	return r
}
