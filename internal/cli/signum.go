package cli

// Linux signal numbers keepalived's --signum reports. The real-time ones follow glibc, which keeps
// two of the kernel's 32..64 real-time signals for its threads: SIGRTMIN is 34 and SIGRTMAX 64.
const (
	sigHUP   = 1
	sigUSR1  = 10
	sigUSR2  = 12
	sigTERM  = 15
	sigRTMIN = 34
	sigRTMAX = 64
)

// signums maps keepalived's signal function names (main.c get_signum()) to signal numbers.
var signums = map[string]int{
	"STOP":        sigTERM,
	"RELOAD":      sigHUP,
	"DATA":        sigUSR1,
	"STATS":       sigUSR2,
	"STATS_CLEAR": sigRTMAX - 1,
	"JSON":        sigRTMIN + 2,
	// keepalived 2.2.7 as built by Debian knows TDUMP only in thread-debug builds and says
	// "Unknown sigfunc TDUMP"; its value there is SIGRTMAX. gokeepalived always answers.
	"TDUMP": sigRTMAX,
}

// Signum returns the signal number for a --signum name, as keepalived prints it.
func Signum(name string) (int, bool) {
	n, ok := signums[name]
	return n, ok
}
