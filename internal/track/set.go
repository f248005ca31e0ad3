package track

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// Options tunes a Set. The zero value is production behaviour.
type Options struct {
	// Logger receives the trackers' logs; nil means slog.Default().
	Logger *slog.Logger
	// Runner runs scripts; nil means script.Run.
	Runner Runner
	// Policy decides users and script security; nil means policy.FromGlobal(&cfg.Global).
	Policy *policy.Policy
	// ProcRoot is the proc file system; empty means "/proc".
	ProcRoot string
	// ScanInterval is the track_process scan period; 0 means DefaultScanInterval.
	ScanInterval time.Duration
	// NoProcEvents disables the proc connector, leaving the periodic scan alone.
	NoProcEvents bool
}

// Set is every tracker of one configuration.
type Set struct {
	scripts []*scriptTracker
	files   []*fileTracker
	procs   []*procTracker
	opts    Options
	rep     Reporter

	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// New builds the trackers of cfg that some instance (directly or through its sync
// group, whose trackers the config already copied to every member) tracks, and binds
// each to the instances with their per-reference weight and reverse. A tracker that
// nothing uses is not run; a script refused by enable_script_security is logged with
// keepalived's words and dropped. Nothing runs until Start.
func New(cfg *config.Config, rep Reporter, opts Options) (*Set, error) {
	if opts.Logger == nil {
		opts.Logger = slog.Default()
	}
	if opts.Runner == nil {
		opts.Runner = script.Run
	}
	if opts.ProcRoot == "" {
		opts.ProcRoot = "/proc"
	}
	if opts.ScanInterval <= 0 {
		opts.ScanInterval = DefaultScanInterval
	}
	pol := policy.FromGlobal(&cfg.Global)
	if opts.Policy != nil {
		pol = *opts.Policy
	}
	log := opts.Logger
	scriptB, fileB, procB := map[string][]binding{}, map[string][]binding{}, map[string][]binding{}
	for _, in := range cfg.Instances {
		bind := func(dst map[string][]binding, kind string, refs []config.TrackRef) {
			for _, r := range refs {
				dst[r.Name] = append(dst[r.Name], binding{instance: in.Name, key: refKey(kind, r.Name, r.Group), weight: r.Weight, reverse: r.Reverse})
			}
		}
		bind(scriptB, "script", in.TrackScripts)
		bind(fileB, "file", in.TrackFiles)
		bind(procB, "process", in.TrackProcesses)
	}
	s := &Set{opts: opts, rep: rep}
	for _, name := range sortedKeys(cfg.Scripts) {
		vs := cfg.Scripts[name]
		binds := scriptB[name]
		if len(binds) == 0 {
			log.Warn(fmt.Sprintf("Warning - script %s is not used", name))
			continue
		}
		cmd, err := pol.Prepare(vs.Script)
		if err != nil {
			log.Warn(err.Error())
			log.Warn(fmt.Sprintf("Disabling track script %s due to insecure", name))
			continue
		}
		cmd.Timeout = vs.Timeout
		interval := vs.Interval
		if interval <= 0 {
			interval = time.Second
		}
		if cmd.Timeout <= 0 {
			cmd.Timeout = interval
		}
		s.scripts = append(s.scripts, &scriptTracker{
			ready: newReadiness(), name: name, cmd: cmd, interval: interval, rf: newRiseFall(vs.Rise, vs.Fall, vs.InitFail),
			binds: binds, rep: rep, run: opts.Runner, log: log.With("tracker", "script "+name),
		})
	}
	for _, name := range sortedKeys(cfg.TrackFiles) {
		tf := cfg.TrackFiles[name]
		binds := fileB[name]
		if len(binds) == 0 {
			log.Warn(fmt.Sprintf("Track file %s is not being used - removing", name))
			continue
		}
		if tf.InitFile {
			if err := initFile(tf.File, tf.InitValue, tf.Overwrite); err != nil {
				log.Warn(err.Error())
			}
		}
		t := &fileTracker{ready: newReadiness(), name: name, path: tf.File, binds: binds, rep: rep, log: log.With("tracker", "file "+name)}
		if err := t.prepare(); err != nil {
			// keepalived drops the tracker with a config error and carries on.
			log.Warn(err.Error())
			continue
		}
		s.files = append(s.files, t)
	}
	for _, name := range sortedKeys(cfg.TrackProcesses) {
		tp := cfg.TrackProcesses[name]
		binds := procB[name]
		if len(binds) == 0 {
			log.Warn(fmt.Sprintf("Track process %s is not being used - removing", name))
			continue
		}
		q := tp.Quorum
		if q < 0 {
			q = 0
		}
		s.procs = append(s.procs, &procTracker{
			ready: newReadiness(), name: name, spec: ProcSpec{Name: tp.Process, Params: tp.Params, ParamMatch: tp.ParamMatch, FullCommand: tp.FullCommand},
			quorum: q, max: tp.QuorumMax, forkDelay: tp.ForkDelay, terminateDelay: tp.TerminateDelay,
			binds: binds, rep: rep, log: log.With("tracker", "process "+name), kick: make(chan struct{}, 1),
		})
	}
	return s, nil
}

// ScriptStatus is a vrrp_script's current verdict, for the status report and metrics.
type ScriptStatus struct {
	Name string
	// Good is the rise/fall verdict; Running is true while a run is in progress.
	Good, Running bool
}

// Scripts returns the state of every running vrrp_script tracker, sorted by name. A script
// that has not finished its first run is not good yet.
func (s *Set) Scripts() []ScriptStatus {
	out := make([]ScriptStatus, 0, len(s.scripts))
	for _, t := range s.scripts {
		out = append(out, ScriptStatus{Name: t.name, Good: t.good.Load(), Running: t.running.Load()})
	}
	return out
}

// Start runs every tracker until Stop or until ctx ends.
func (s *Set) Start(ctx context.Context) {
	ctx, s.cancel = context.WithCancel(ctx)
	for _, t := range s.scripts {
		s.wg.Go(func() { t.loop(ctx) })
	}
	for _, t := range s.files {
		s.wg.Go(func() { t.loop(ctx) })
	}
	for _, t := range s.procs {
		s.wg.Go(func() { t.loop(ctx, s.opts.ProcRoot, s.opts.ScanInterval) })
	}
	if len(s.procs) > 0 && !s.opts.NoProcEvents {
		wait, err := procEvents(ctx, func() {
			for _, t := range s.procs {
				t.poke()
			}
		})
		if err != nil {
			s.opts.Logger.Info(fmt.Sprintf("track_process: proc connector unavailable (%v); scanning /proc every %v", err, s.opts.ScanInterval))
		} else {
			s.wg.Go(wait)
		}
	}
}

// Stop ends every tracker and waits; running scripts are terminated (SIGTERM, then
// SIGKILL after script.KillGrace) first. Stop without Start releases the watchers.
func (s *Set) Stop() {
	if s.cancel == nil {
		s.closeWatchers()
		return
	}
	s.cancel()
	s.wg.Wait()
}

// Replace hands over to next at a reload: s stops, next starts, and every tracker key
// s reported that next does not have is cleared (reported as a zero TrackerState, which
// the engine treats as "no effect"), so a removed tracker stops counting. A key both
// have keeps its last verdict until next's tracker reports, so a failing weight-0
// script does not let its instance leave FAULT for a moment.
func (s *Set) Replace(ctx context.Context, next *Set) {
	s.Stop()
	next.Start(ctx)
	keep := next.Keys()
	for in, keys := range s.Keys() {
		for _, k := range keys {
			if !slices.Contains(keep[in], k) {
				s.rep.SetTracker(in, k, engine.TrackerState{})
			}
		}
	}
}

// Keys lists the tracker keys the Set reports per instance, sorted, for dumps and tests.
func (s *Set) Keys() map[string][]string {
	out := map[string][]string{}
	add := func(bs []binding) {
		for _, b := range bs {
			out[b.instance] = append(out[b.instance], b.key)
		}
	}
	for _, t := range s.scripts {
		add(t.binds)
	}
	for _, t := range s.files {
		add(t.binds)
	}
	for _, t := range s.procs {
		add(t.binds)
	}
	for _, v := range out {
		sort.Strings(v)
	}
	return out
}

func (s *Set) closeWatchers() {
	for _, t := range s.files {
		if t.watcher != nil {
			_ = t.watcher.Close()
		}
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
