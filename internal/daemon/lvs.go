package daemon

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"

	"github.com/gokeepalived/gokeepalived/internal/check"
	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/ipvs"
	"github.com/gokeepalived/gokeepalived/internal/lvs"
	"github.com/gokeepalived/gokeepalived/internal/notify"
	"github.com/gokeepalived/gokeepalived/internal/script"
	"github.com/gokeepalived/gokeepalived/internal/track/policy"
)

// lvsRuntime programs the kernel's IPVS table from the configuration and the checkers' verdicts
// (the RSObserver of the health checkers).
type lvsRuntime struct {
	log    *slog.Logger
	client ipvs.Client
	mgr    *lvs.Manager
	fifos  *fifoSet
	runner *quorumRunner
	// alerts mails the quorum changes (smtp_alert); replaced on reload, nil without SMTP.
	alerts atomic.Pointer[notify.CheckerAlerts]
}

// startLVS opens IPVS and programs the virtual servers of cfg. It returns nil — after saying
// once, clearly, why — when there is nothing to program, -P was given, or the kernel has no
// IPVS; VRRP and the checkers run either way (keepalived 2.2.7 stops entirely without IPVS).
func startLVS(cfg *config.Config, opts *cli.Options, log *slog.Logger) *lvsRuntime {
	if len(cfg.VirtualServers) == 0 || opts.VRRPOnly {
		return nil
	}
	client, err := ipvs.Open()
	if err != nil {
		if errors.Is(err, ipvs.ErrNotAvailable) {
			log.Warn("LVS is off: virtual_server blocks are not programmed because the kernel has no IPVS; health checkers and VRRP run normally", "virtual_servers", len(cfg.VirtualServers), "err", err)
		} else {
			log.Error("LVS is off: cannot open IPVS; health checkers and VRRP run normally", "err", err)
		}
		return nil
	}
	r := &lvsRuntime{log: log, client: client, fifos: openFIFOWriters(cfg, log), runner: &quorumRunner{log: log, pol: policy.FromGlobal(&cfg.Global)}}
	r.alerts.Store(notify.NewCheckerAlerts(cfg, notify.CheckerOptions{Logger: log}))
	o := lvs.Options{Client: client, Runner: r.runner, Logger: log, NoRSNotify: true, OnQuorum: r.quorumAlert}
	if r.fifos != nil {
		o.FIFO = r.fifos
	}
	r.mgr, err = lvs.New(cfg, o)
	if err == nil {
		_, err = r.mgr.Start()
	}
	if err != nil {
		log.Error("LVS: cannot program IPVS", "err", err)
	} else {
		log.Info("LVS: IPVS programmed", "virtual_servers", len(cfg.VirtualServers))
	}
	return r
}

// quorumAlert is the manager's OnQuorum hook: it hands the announcement to the SMTP alerts,
// which send in the background (the manager holds its lock while calling).
func (r *lvsRuntime) quorumAlert(q lvs.QuorumChange) {
	r.alerts.Load().QuorumChanged(notify.QuorumAlert{
		VirtualServer: q.VirtualServer, Up: q.Up, Init: q.Init, Stopping: q.Stopping,
		Quorum: q.Quorum, Hysteresis: q.Hysteresis, Threshold: q.Threshold, WeightSum: q.WeightSum,
		SMTPAlert: q.SMTPAlert,
	})
}

// RealServerChanged feeds a checker verdict to the manager.
func (r *lvsRuntime) RealServerChanged(ev check.Event) {
	if r == nil || r.mgr == nil {
		return
	}
	if _, err := r.mgr.SetHealthByName(ev.VirtualServer, ev.RealServer, lvs.Health{Up: ev.RSUp, Weight: ev.Weight, HasWeight: ev.HasWeight}); err != nil {
		r.log.Warn("LVS: cannot apply real server state", "vs", ev.VirtualServer, "rs", ev.RealServer, "err", err)
	}
}

// reload diffs the IPVS table against the new configuration: unchanged entries cost nothing.
func (r *lvsRuntime) reload(cfg *config.Config) {
	if r == nil || r.mgr == nil {
		return
	}
	r.runner.pol = policy.FromGlobal(&cfg.Global)
	// The new global_defs mail settings apply to what the reload announces; the old sender
	// finishes its mails in the background.
	old := r.alerts.Swap(notify.NewCheckerAlerts(cfg, notify.CheckerOptions{Logger: r.log}))
	go r.closeAlerts(old)
	ch, err := r.mgr.Reload(cfg)
	if err != nil {
		r.log.Error("LVS reload", "err", err)
	}
	r.log.Info("LVS reloaded", "changes", ch)
}

// stop removes what the manager created, unless keep (keepalived -I).
func (r *lvsRuntime) stop(keep bool) {
	if r == nil {
		return
	}
	if r.mgr != nil {
		if _, err := r.mgr.Stop(keep); err != nil {
			r.log.Warn("LVS stop", "err", err)
		}
	}
	// omega's "Shutting down" quorum mails are under way; give them the scripts' grace.
	r.closeAlerts(r.alerts.Load())
	if r.fifos != nil {
		r.fifos.close()
	}
}

// closeAlerts waits up to notifyScriptGrace for a's mails.
func (r *lvsRuntime) closeAlerts(a *notify.CheckerAlerts) {
	ctx, cancel := context.WithTimeout(context.Background(), notifyScriptGrace)
	defer cancel()
	if err := a.Close(ctx); err != nil {
		r.log.Warn("LVS: SMTP alerts still being sent; dropped", "err", err)
	}
}

// openFIFOWriters opens lvs_notify_fifo and notify_fifo for writing only (their reader script is
// the checkers' business); nil when none is configured.
func openFIFOWriters(cfg *config.Config, log *slog.Logger) *fifoSet {
	f := &fifoSet{}
	seen := map[string]bool{}
	for _, fc := range []config.FIFO{cfg.Global.LVSNotifyFIFO, cfg.Global.NotifyFIFO} {
		if fc.Path == "" || seen[fc.Path] {
			continue
		}
		seen[fc.Path] = true
		fd, err := openFIFO(fc)
		if err != nil {
			log.Error("cannot open notify FIFO; its lines are not written", "err", err)
			continue
		}
		f.fds, f.paths = append(f.fds, fd), append(f.paths, fc.Path)
	}
	if len(f.fds) == 0 {
		return nil
	}
	return f
}

// quorumRunner runs quorum_up/quorum_down (and the manager's other commands) in the background
// with keepalived's script rules.
type quorumRunner struct {
	log *slog.Logger
	pol policy.Policy
}

// Run implements lvs.Runner.
func (q *quorumRunner) Run(reason string, s *config.CheckScript) {
	if s == nil || len(s.Args) == 0 {
		return
	}
	cmd, err := q.pol.Prepare(config.Script{Command: s.Command, Args: s.Args, User: s.User, Group: s.Group})
	if err != nil {
		q.log.Warn("LVS: script not run", "reason", reason, "err", err)
		return
	}
	go func() {
		res, err := script.Run(context.Background(), cmd)
		if err != nil {
			q.log.Warn("LVS: script failed", "reason", reason, "script", s.Command, "err", err)
			return
		}
		q.log.Debug("LVS: script ran", "reason", reason, "script", s.Command, "result", res)
	}()
}
