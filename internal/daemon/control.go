package daemon

import (
	"log/slog"
	"net/http"

	"github.com/gokeepalived/gokeepalived/internal/cli"
	"github.com/gokeepalived/gokeepalived/internal/control"
)

// controlSocketOff is the --control-socket value that disables the socket.
const controlSocketOff = "off"

// controlSocketPath is the Unix socket the daemon serves its status on, "" for none: by default
// next to the main pid file (control.SocketForPIDFile).
func controlSocketPath(opts *cli.Options, mainPID string) string {
	switch opts.ControlSocket {
	case controlSocketOff:
		return ""
	case "":
		return control.SocketForPIDFile(mainPID)
	}
	return opts.ControlSocket
}

// startControl opens the control socket and the metrics listener, each on its own so that one
// failing does not take the other. A failure is logged and the daemon runs on: observability must
// never keep VRRP or the checkers from running. The returned function closes what was opened.
func startControl(opts *cli.Options, mainPID string, rep *reporter, metrics http.Handler, log *slog.Logger) (stop func()) {
	var open []*control.Server
	if sock := controlSocketPath(opts, mainPID); sock != "" {
		s, err := control.Start(control.Options{Socket: sock, Report: rep.report, Metrics: metrics, Logger: log})
		if err != nil {
			log.Error("status socket not available; VRRP and the checkers run normally", "err", err)
		} else {
			log.Info("control socket listening", "socket", sock)
			open = append(open, s)
		}
	}
	if opts.MetricsListen != "" {
		s, err := control.Start(control.Options{MetricsListen: opts.MetricsListen, Report: rep.report, Metrics: metrics, Logger: log})
		if err != nil {
			log.Error("metrics listener not available; VRRP and the checkers run normally", "err", err)
		} else {
			log.Info("metrics listening", "addr", s.MetricsAddr())
			open = append(open, s)
		}
	}
	return func() {
		for _, s := range open {
			if err := s.Close(); err != nil {
				log.Debug("closing the control socket", "err", err)
			}
		}
	}
}
