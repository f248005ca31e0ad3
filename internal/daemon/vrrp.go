package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/track"
	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// firstVerdictWait bounds how long the start waits for trackers' first results, so that an
// instance whose script already fails goes straight to FAULT (keepalived holds it in INIT).
const firstVerdictWait = 5 * time.Second

// notifyDrainWait bounds notify_stop and the other queued notifications at stop and reload;
// keepalived gives notify_stop about a second.
const notifyDrainWait = 2 * time.Second

// vrrpRuntime is the running VRRP side: the engine with its network, trackers and notifier.
type vrrpRuntime struct {
	log      *slog.Logger
	eng      *engine.Engine
	closeNet func()
	sw       *notify.Switch
	done     chan error

	mu     sync.Mutex // guards tracks, which a reload replaces
	tracks *track.Set
}

// startVRRP builds and starts the VRRP engine for cfg; it runs until ctx ends.
func startVRRP(ctx context.Context, cfg *config.Config, opts *cli.Options, log *slog.Logger, onAddrs func(string, []netip.Addr, bool)) (*vrrpRuntime, error) {
	netw, closeNet, err := newNetwork(cfg, log)
	if err != nil {
		return nil, err
	}
	r := &vrrpRuntime{log: log, closeNet: closeNet, sw: &notify.Switch{}, done: make(chan error, 1)}
	n, err := notify.New(cfg, notify.Options{Logger: log})
	if err != nil {
		closeNet()
		return nil, fmt.Errorf("notifications: %w", err)
	}
	r.sw.Set(n)
	r.eng, err = engine.New(cfg, netw, engine.Options{
		Logger: log, KeepAddressesOnStop: opts.DontReleaseVRRP, PreciseTimers: true,
		OnTransition: r.sw.OnTransition, OnPriorityChange: r.sw.PriorityChanged,
		OnMasterRxLowerPri: r.sw.MasterRxLowerPri, OnDeleted: r.sw.Deleted, OnAddresses: onAddrs,
	})
	if err != nil {
		r.closeNotify()
		closeNet()
		return nil, err
	}
	r.tracks, err = track.New(cfg, r.eng, track.Options{Logger: log})
	if err != nil {
		r.closeNotify()
		closeNet()
		return nil, fmt.Errorf("trackers: %w", err)
	}
	r.tracks.Start(ctx)
	wctx, cancel := context.WithTimeout(ctx, firstVerdictWait)
	if err := r.tracks.WaitReady(wctx); err != nil {
		log.Warn("not every tracker reported before start; instances start without their verdict", "err", err)
	}
	cancel()
	go func() { r.done <- r.eng.Run(ctx) }()
	return r, nil
}

// reload switches the engine, the trackers and the notifier to cfg. The engine reloads first, so
// that instances a reload removes are reported to the notifier that knows their scripts.
func (r *vrrpRuntime) reload(ctx context.Context, cfg *config.Config) error {
	if err := r.eng.Reload(cfg); err != nil {
		return err
	}
	next, err := track.New(cfg, r.eng, track.Options{Logger: r.log})
	if err != nil {
		return fmt.Errorf("trackers: %w", err)
	}
	r.mu.Lock()
	r.tracks.Replace(ctx, next)
	// The new set is the running one: the next reload and the stop must stop it.
	r.tracks = next
	r.mu.Unlock()
	n, err := notify.New(cfg, notify.Options{Logger: r.log})
	if err != nil {
		return fmt.Errorf("notifications: %w", err)
	}
	if old := r.sw.Set(n); old != nil {
		go func() {
			cctx, cancel := context.WithTimeout(context.Background(), notifyDrainWait)
			defer cancel()
			_ = old.Close(cctx)
		}()
	}
	if cfg.Global.FIFOWriteVRRPStatesOnReload {
		r.writeStates(n)
	}
	return nil
}

// writeStates is fifo_write_vrrp_states_on_reload: the new notifier's FIFO reader scripts were
// just started, so they are told every sync group's and instance's current state.
func (r *vrrpRuntime) writeStates(n *notify.Notifier) {
	st, err := r.eng.Snapshot()
	if err != nil {
		r.log.Warn("cannot write the VRRP states to the notify FIFOs after the reload", "err", err)
		return
	}
	n.WriteStates(st)
}

// wait returns once the engine has stopped (ctx ended), after the trackers are stopped and the
// notifications, notify_stop included, have drained.
func (r *vrrpRuntime) wait() error {
	err := <-r.done
	r.mu.Lock()
	r.tracks.Stop()
	r.mu.Unlock()
	r.closeNotify()
	r.closeNet()
	return err
}

func (r *vrrpRuntime) closeNotify() {
	if n := r.sw.Set(nil); n != nil {
		ctx, cancel := context.WithTimeout(context.Background(), notifyDrainWait)
		defer cancel()
		if err := n.Close(ctx); err != nil {
			r.log.Warn("notifications did not drain", "err", err)
		}
	}
}

// scripts returns the state of the running vrrp_script trackers.
func (r *vrrpRuntime) scripts() []track.ScriptStatus {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.tracks.Scripts()
}
