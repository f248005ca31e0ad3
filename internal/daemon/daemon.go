package daemon

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/config"
	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// keepalived's daemon exit codes (lib/scheduler.h, reference §1c.3).
const (
	exitOK       = 0
	exitFatal    = 1
	exitConfig   = 2
	exitNoConfig = 6
)

// sigJSON is keepalived's JSON dump signal, SIGRTMIN+2 (36 with glibc).
const sigJSON = syscall.Signal(36)

// Run runs the daemon with the parsed command line until SIGTERM (or SIGINT) and returns the
// process exit code. It is cli.Env.Daemon.
func Run(opts *cli.Options) int {
	return run(opts, os.Stderr, "/run")
}

func run(opts *cli.Options, stderr io.Writer, runDir string) int {
	started := time.Now()
	log, closer, err := newLogger(logSetup{
		Console: opts.LogConsole || opts.DontFork && opts.NoSyslog, Detail: opts.LogDetail,
		NoSyslog: opts.NoSyslog, Facility: opts.LogFacility, Ident: "Keepalived",
	}, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gokeepalived: %v\n", err)
		return exitConfig
	}
	defer closer.Close()

	if opts.Namespace != "" {
		if code, handled := enterNamespace(opts.Namespace, log); handled {
			return code
		}
	}
	for _, nb := range opts.NotBuilt {
		log.Warn("option accepted but not implemented in gokeepalived yet", "option", nb)
	}

	cfg, code := loadConfig(opts, log)
	if cfg == nil {
		return code
	}
	log.Info("Starting gokeepalived", "version", cli.KeepalivedVersion, "config", opts.ConfigFile, "pid", os.Getpid())

	mainPID, vrrpPID, _ := pidPaths(runDir, cfg.Global.Instance, cfg.Global.UsePIDDir, opts.PIDFile, opts.VRRPPIDFile, opts.CheckersPIDFile)
	pf, err := writePIDFile(mainPID)
	if err != nil {
		log.Error("cannot start", "err", err)
		return exitFatal
	}
	defer pf.remove()
	runVRRP := !opts.CheckOnly && len(cfg.Instances) > 0
	if runVRRP {
		vf, err := writePIDFile(vrrpPID)
		if err != nil {
			log.Error("cannot start", "err", err)
			return exitFatal
		}
		defer vf.remove()
	}
	// Health checkers (checkers.go): run beside VRRP, never stopping it; stopped when run returns.
	lvsrt := startLVS(cfg, opts, log)
	defer lvsrt.stop(opts.DontReleaseIPVS)
	var obs RSObserver
	if lvsrt != nil {
		obs = lvsrt
	}
	rep := newReporter(opts, started, log)
	metricsHandler, probes := newMetrics(rep)
	chk := newCheckersObserved(cfg, opts, log, obs, probes)
	defer chk.stop()
	has := newHASuspend(cfg, lvsrt, chk, log)
	defer has.close()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sigs := make(chan os.Signal, 8)
	watched := []os.Signal{syscall.SIGTERM, syscall.SIGHUP, syscall.SIGUSR1, syscall.SIGUSR2, sigJSON}
	if !opts.IgnoreSIGINT {
		watched = append(watched, syscall.SIGINT)
	} else {
		signal.Ignore(syscall.SIGINT)
	}
	signal.Notify(sigs, watched...)
	defer signal.Stop(sigs)

	var vrrp *vrrpRuntime
	vrrpDone := make(chan error, 1)
	if runVRRP {
		vrrp, err = startVRRP(ctx, cfg, opts, log, has.addressesChanged)
		if err != nil {
			log.Error("cannot start VRRP", "err", err)
			return exitFatal
		}
		go func() { vrrpDone <- vrrp.wait() }()
	} else {
		log.Info("no vrrp_instance configured (or -C given): VRRP is not running")
	}
	rep.set(vrrp, chk, lvsrt)
	stopControl := startControl(opts, mainPID, rep, metricsHandler, log)
	defer stopControl()
	sdNotify("READY=1\nMAINPID=" + strconv.Itoa(os.Getpid()))

	for {
		select {
		case err := <-vrrpDone:
			if err != nil {
				log.Error("VRRP stopped", "err", err)
				return exitFatal
			}
			return exitOK
		case s := <-sigs:
			switch s {
			case syscall.SIGTERM, syscall.SIGINT:
				log.Info("Stopping", "signal", s.String())
				sdNotify("STOPPING=1")
				cancel()
				if vrrp == nil {
					return exitOK
				}
			case syscall.SIGHUP:
				sdNotify("RELOADING=1")
				if next := reload(ctx, opts, vrrp, chk, lvsrt, has, log); next != nil {
					cfg = next // the dumps describe the running configuration
				}
				rep.reloaded(time.Now())
				sdNotify("READY=1")
			case syscall.SIGUSR1, syscall.SIGUSR2, sigJSON:
				if vrrp != nil {
					// cfg is the configuration loaded at start; a reload does not replace it here.
					dumpState(vrrp.eng, cfg, vrrp.scripts(), s, log)
				}
			}
		}
	}
}

// loadConfig reads the configuration and logs its diagnostics. It returns nil and the exit code
// when the daemon cannot run.
func loadConfig(opts *cli.Options, log *slog.Logger) (*config.Config, int) {
	if _, err := os.Stat(opts.ConfigFile); err != nil {
		log.Error("Configuration file not found or unreadable", "config", opts.ConfigFile, "err", err)
		return nil, exitNoConfig
	}
	cfg, diags := cli.Check(opts)
	for _, d := range diags {
		lvl := slog.LevelWarn
		if d.Severity >= syntax.Error {
			lvl = slog.LevelError
		}
		log.Log(context.Background(), lvl, d.Msg, "pos", d.Pos.String(), "level", d.Severity.String())
	}
	if cfg == nil || diags.Max() >= syntax.Fatal && diags.Max() != syntax.Security {
		return nil, exitConfig
	}
	return cfg, exitOK
}

// reload re-reads the configuration; on success the engine keeps unchanged instances as they
// are, stops removed ones and starts new ones. A configuration that cannot be loaded leaves the
// running one untouched. It returns the configuration now running, or nil when the reload was
// refused.
func reload(ctx context.Context, opts *cli.Options, vrrp *vrrpRuntime, chk *checkers, lvsrt *lvsRuntime, has *haSuspend, log *slog.Logger) *config.Config {
	log.Info("Reloading configuration", "config", opts.ConfigFile)
	cfg, _ := loadConfig(opts, log)
	if cfg == nil {
		log.Error("reload aborted: the new configuration cannot be used; keeping the running one")
		return nil
	}
	lvsrt.reload(cfg)
	chk.reload(cfg)
	has.reload(cfg)
	if vrrp == nil {
		return cfg
	}
	if err := vrrp.reload(ctx, cfg); err != nil {
		log.Error("reload failed", "err", err)
	}
	return cfg
}
