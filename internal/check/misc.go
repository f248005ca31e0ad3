package check

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/script"
)

// MiscProber is MISC_CHECK (check_misc.c): it runs misc_path. Exit 0 is
// success, anything else (or a signal, or misc_timeout) failure. With
// misc_dynamic, exit 1 is failure and 2-255 success with weight status-2.
type MiscProber struct {
	opts    MiscOptions
	cred    *script.Credential
	timeout time.Duration
}

// NewMisc builds a MISC_CHECK prober. delayLoop is the effective delay_loop,
// which keepalived uses as misc_timeout when none is set. With Secure and the
// script running as root, enable_script_security's path rule is enforced.
func NewMisc(o MiscOptions, delayLoop time.Duration) (*MiscProber, error) {
	if len(o.Argv) == 0 {
		return nil, fmt.Errorf("MISC_CHECK: misc_path missing")
	}
	p := &MiscProber{opts: o, timeout: o.Timeout}
	if p.timeout <= 0 {
		p.timeout = delayLoop
	}
	if o.User != "" {
		c, err := script.LookupCredential(o.User, o.Group)
		if err != nil {
			return nil, fmt.Errorf("MISC_CHECK: %w", err)
		}
		p.cred = c
	}
	if o.Secure {
		asRoot := os.Geteuid() == 0 && (p.cred == nil || p.cred.UID == 0)
		if len(o.Argv[0]) > 0 && o.Argv[0][0] == '/' {
			if _, err := script.CheckSecure(o.Argv[0], asRoot); err != nil {
				return nil, fmt.Errorf("MISC_CHECK: %w", err)
			}
		}
	}
	return p, nil
}

// Probe runs the script.
func (p *MiscProber) Probe(ctx context.Context) Outcome {
	res, err := script.Run(ctx, script.Command{Argv: p.opts.Argv, Cred: p.cred, Timeout: p.timeout})
	if err != nil {
		return Fail(err)
	}
	return MiscOutcome(res, p.opts.Dynamic)
}

// miscTimedOut is the failure reason of a MISC_CHECK script that ran out of time; AlertBody
// tells it from other failures as keepalived's "timed out" alert does.
const miscTimedOut = "misc_path timed out"

// MiscOutcome maps a script result to a check outcome.
func MiscOutcome(res script.Result, dynamic bool) Outcome {
	switch {
	case res.TimedOut:
		return Fail(errors.New(miscTimedOut))
	case res.Signal != 0:
		return Fail(fmt.Errorf("misc_path %s", res))
	case res.ExitStatus == 0:
		return Outcome{}
	case dynamic && res.ExitStatus >= 2 && res.ExitStatus <= 255:
		return Outcome{Weight: res.ExitStatus - 2, HasWeight: true}
	}
	return Fail(fmt.Errorf("misc_path %s", res))
}
