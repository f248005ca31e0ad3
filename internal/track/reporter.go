package track

import "github.com/gokeepalived/gokeepalived/internal/vrrp/engine"

// Reporter receives tracker verdicts. *engine.Engine satisfies it.
type Reporter interface {
	// SetTracker records tracker key's verdict for the named instance. It must be safe
	// from any goroutine and must not block.
	SetTracker(instance, key string, st engine.TrackerState)
}

// binding is one instance's reference to a tracker, with the weight and sense that
// instance (or its sync group) gave it.
type binding struct {
	instance string
	key      string
	weight   int
	reverse  bool
}

// refKey is the engine key for a tracker reference. A tracker referenced both by the
// instance and by its sync group counts twice in keepalived, so the group form has its
// own key.
func refKey(kind, name, group string) string {
	k := kind + " " + name
	if group != "" {
		k += " (group " + group + ")"
	}
	return k
}
