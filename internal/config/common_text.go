package config

// MarshalText methods make the enums readable in JSON dumps (gokeepalived -d, golden files).

// MarshalText returns the String form.
func (x State) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x AuthType) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x Family) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x HMACMode) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x AntiReplay) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x ParamMatch) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x LinkbeatMode) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x OldChecksum) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x Scope) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x BroadcastMode) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x RouteType) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x RuleAction) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// MarshalText returns the String form.
func (x LVSFlushOnStop) MarshalText() ([]byte, error) { return []byte(x.String()), nil }
