package config

import (
	"net/netip"
	"strconv"
	"strings"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/config/syntax"
)

// nameArg returns the object name of a named block ("vrrp_script NAME {").
func (p *parser) nameArg(n *syntax.Node) (string, bool) {
	if len(n.Args) < 2 {
		p.errorf(n, "'%s' is missing its name", n.Keyword())
		return "", false
	}
	return n.Args[1], true
}

// vrrpScriptDef parses a vrrp_script block (vrrp_parser.c ~L1716-1850).
func (p *parser) vrrpScriptDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	s := &VRRPScript{Pos: n.Pos, Name: name, Interval: time.Second, Rise: 1, Fall: 1}
	p.block(n, keywords{
		"script": p.hScript(&s.Script),
		// 2.3.2 and later take millisecond resolution for interval and timeout.
		"interval": func(n *syntax.Node) { p.secondsMS(n, 1, time.Millisecond, 86400*time.Second, &s.Interval) },
		"timeout": func(n *syntax.Node) {
			if p.secondsMS(n, 1, time.Millisecond, 86400*time.Second, &s.Timeout) {
				s.timeoutSet = true
			}
		},
		"weight": func(n *syntax.Node) {
			if p.integer(n, 1, -maxTrackWeight, maxTrackWeight, &s.Weight) && len(n.Args) > 2 {
				s.WeightReverse = p.reverseWord(n, 2)
			}
		},
		"rise": p.hInt(1, 1<<31-1, &s.Rise),
		"fall": p.hInt(1, 1<<31-1, &s.Fall),
		"user": func(n *syntax.Node) {
			if _, ok := p.arg(n, 1); ok {
				s.Script.User, s.Script.Group = splitUserGroup(n.Args[1:])
			}
		},
		"init_fail": p.hBool(&s.InitFail),
	})
	if !s.timeoutSet {
		s.Timeout = s.Interval
	}
	if s.Script.IsZero() {
		p.errorf(n, "vrrp_script %s has no 'script' - ignoring", name)
		return
	}
	if _, dup := p.cfg.Scripts[name]; dup {
		p.errorf(n, "vrrp_script %s is defined more than once - ignoring this one", name)
		return
	}
	if p.cfg.Scripts == nil {
		p.cfg.Scripts = map[string]*VRRPScript{}
	}
	p.cfg.Scripts[name] = s
	p.cfg.scriptOrder = append(p.cfg.scriptOrder, name)
}

// secondsMS parses decimal seconds rounded to milliseconds.
func (p *parser) secondsMS(n *syntax.Node, i int, lo, hi time.Duration, dst *time.Duration) bool {
	var d time.Duration
	if !p.seconds(n, i, lo, hi, &d) {
		return false
	}
	*dst = d.Round(time.Millisecond)
	return true
}

// reverseWord reads an optional "reverse"/"noreverse" at token i.
func (p *parser) reverseWord(n *syntax.Node, i int) bool {
	switch n.Args[i] {
	case "reverse":
		return true
	case "noreverse":
		return false
	}
	p.errorf(n, "'%s' expects 'reverse' or 'noreverse' after the weight, found '%s'", n.Keyword(), n.Args[i])
	return false
}

// trackProcessDef parses a vrrp_track_process block.
func (p *parser) trackProcessDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	t := &TrackProcess{Pos: n.Pos, Name: name, Quorum: 1}
	p.block(n, keywords{
		"process": func(n *syntax.Node) {
			if _, ok := p.arg(n, 1); ok {
				t.Process, t.Params = n.Args[1], append([]string(nil), n.Args[2:]...)
			}
		},
		"param_match": func(n *syntax.Node) {
			s, ok := p.arg(n, 1)
			if !ok {
				return
			}
			switch s {
			case "initial":
				t.ParamMatch = ParamMatchInitial
			case "partial":
				t.ParamMatch = ParamMatchPartial
			default:
				p.errorf(n, "param_match expects 'initial' or 'partial', found '%s'", s)
			}
		},
		"weight": func(n *syntax.Node) {
			if p.integer(n, 1, -maxTrackWeight, maxTrackWeight, &t.Weight) && len(n.Args) > 2 {
				t.WeightReverse = p.reverseWord(n, 2)
			}
		},
		"quorum":          p.hInt(1, 65535, &t.Quorum),
		"quorum_max":      p.hInt(1, 65535, &t.QuorumMax),
		"fork_delay":      p.hSec(0, 3600*time.Second, &t.ForkDelay),
		"terminate_delay": p.hSec(0, 3600*time.Second, &t.TerminateDelay),
		"delay": func(n *syntax.Node) {
			if p.seconds(n, 1, 0, 3600*time.Second, &t.ForkDelay) {
				t.TerminateDelay = t.ForkDelay
			}
		},
		"full_command": p.hBool(&t.FullCommand),
	})
	if t.Process == "" {
		p.errorf(n, "vrrp_track_process %s has no 'process' - ignoring", name)
		return
	}
	if t.QuorumMax != 0 && t.QuorumMax < t.Quorum {
		p.errorf(n, "vrrp_track_process %s: quorum_max %d is below quorum %d - ignoring quorum_max", name, t.QuorumMax, t.Quorum)
		t.QuorumMax = 0
	}
	if p.cfg.TrackProcesses == nil {
		p.cfg.TrackProcesses = map[string]*TrackProcess{}
	}
	if _, dup := p.cfg.TrackProcesses[name]; dup {
		p.errorf(n, "vrrp_track_process %s is defined more than once - ignoring this one", name)
		return
	}
	p.cfg.TrackProcesses[name] = t
}

// trackFileDef parses a top-level track_file (or vrrp_track_file) block.
func (p *parser) trackFileDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	t := &TrackFile{Pos: n.Pos, Name: name, Weight: 1}
	p.block(n, keywords{
		"file": p.hStr(&t.File),
		"weight": func(n *syntax.Node) {
			// A track_file weight may be anything representable; the product is clamped later.
			if p.integer(n, 1, -maxTrackWeight, maxTrackWeight, &t.Weight) {
				t.WeightSet = true
				if len(n.Args) > 2 {
					t.WeightReverse = p.reverseWord(n, 2)
				}
			}
		},
		"init_file": func(n *syntax.Node) {
			t.InitFile = true
			for _, w := range n.Args[1:] {
				if w == "overwrite" {
					t.Overwrite = true
					continue
				}
				v, err := strconv.Atoi(w)
				if err != nil {
					p.errorf(n, "init_file expects [VALUE] [overwrite], found '%s'", w)
					continue
				}
				t.InitValue = v
			}
		},
	})
	if t.File == "" {
		p.errorf(n, "track_file %s has no 'file' - ignoring", name)
		return
	}
	if p.cfg.TrackFiles == nil {
		p.cfg.TrackFiles = map[string]*TrackFile{}
	}
	if _, dup := p.cfg.TrackFiles[name]; dup {
		p.errorf(n, "track_file %s is defined more than once - ignoring this one", name)
		return
	}
	p.cfg.TrackFiles[name] = t
}

// bfdInstanceDef parses a bfd_instance block (bfd_parser.c).
func (p *parser) bfdInstanceDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	b := &BFDInstance{Pos: n.Pos, Name: name, MinRx: 10 * time.Millisecond, MinTx: 10 * time.Millisecond,
		IdleTx: time.Second, Multiplier: 5, TTL: 255, VRRP: true, Checker: true}
	vrrpSet, checkerSet := false, false
	neighbor := func(n *syntax.Node) {
		if a, ok := p.addr(n, 1); ok {
			b.NeighborIP = a
		}
	}
	p.block(n, keywords{
		"neighbor_ip":  neighbor,
		"neighbour_ip": neighbor,
		"source_ip": func(n *syntax.Node) {
			if a, ok := p.addr(n, 1); ok {
				b.SourceIP = a
			}
		},
		"min_rx":     func(n *syntax.Node) { p.millis(n, 1, 1, 1000000, &b.MinRx) },
		"min_tx":     func(n *syntax.Node) { p.millis(n, 1, 1, 1000000, &b.MinTx) },
		"idle_tx":    func(n *syntax.Node) { p.millis(n, 1, 1, 1000000, &b.IdleTx) },
		"multiplier": p.hInt(1, 255, &b.Multiplier),
		"passive":    p.hBool(&b.Passive),
		"ttl":        p.hInt(1, 255, &b.TTL),
		"hoplimit":   p.hInt(1, 255, &b.TTL),
		"max_hops":   p.hInt(0, 255, &b.MaxHops),
		"multihop":   func(n *syntax.Node) { b.MaxHops = 255 },
		"weight":     p.hInt(-maxTrackWeight, maxTrackWeight, &b.Weight),
		"vrrp": func(n *syntax.Node) {
			vrrpSet = true
		},
		"checker": func(n *syntax.Node) {
			checkerSet = true
		},
	})
	if vrrpSet || checkerSet {
		// Naming one of the processes restricts notifications to the ones named.
		b.VRRP, b.Checker = vrrpSet, checkerSet
	}
	if !b.NeighborIP.IsValid() {
		p.errorf(n, "bfd_instance %s has no neighbor_ip - ignoring", name)
		return
	}
	if b.SourceIP.IsValid() && b.SourceIP.Is4() != b.NeighborIP.Is4() {
		p.errorf(n, "bfd_instance %s: source_ip %s and neighbor_ip %s are of different families - ignoring source_ip", name, b.SourceIP, b.NeighborIP)
		b.SourceIP = netip.Addr{}
	}
	if p.cfg.BFDInstances == nil {
		p.cfg.BFDInstances = map[string]*BFDInstance{}
	}
	if _, dup := p.cfg.BFDInstances[name]; dup {
		p.errorf(n, "bfd_instance %s is defined more than once - ignoring this one", name)
		return
	}
	p.cfg.BFDInstances[name] = b
}

// trackGroupDef parses "track_group NAME { group { VI ... } }".
func (p *parser) trackGroupDef(n *syntax.Node) {
	name, ok := p.nameArg(n)
	if !ok {
		return
	}
	tg := &TrackGroup{Pos: n.Pos, Name: name}
	p.block(n, keywords{
		"group": func(n *syntax.Node) { tg.Instances = append(tg.Instances, p.nameList(n)...) },
	})
	if p.cfg.TrackGroups == nil {
		p.cfg.TrackGroups = map[string]*TrackGroup{}
	}
	p.cfg.TrackGroups[name] = tg
}

// nameList reads a block whose lines are bare names ("group { VI_1 VI_2 }").
func (p *parser) nameList(n *syntax.Node) []string {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []string
	for _, c := range valueLines(n) {
		out = append(out, c.Args...)
	}
	return out
}

// trackIfBlock parses track_interface entries: "IF [weight W] [reverse|noreverse]".
func (p *parser) trackIfBlock(n *syntax.Node) []TrackInterface {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []TrackInterface
	for _, c := range valueLines(n) {
		w, set, rev, ok := p.weightArgs(c, 1, true)
		if !ok {
			continue
		}
		out = append(out, TrackInterface{Pos: c.Pos, Name: c.Args[0], Weight: w, WeightSet: set, Reverse: rev})
	}
	return out
}

// trackRefBlock parses track_script/track_file/track_process/track_bfd entries.
func (p *parser) trackRefBlock(n *syntax.Node, allowReverse bool) []TrackRef {
	if !n.HasBlock {
		p.errorf(n, "'%s' expects a block: '%s {'", n.Keyword(), n.Keyword())
		return nil
	}
	var out []TrackRef
	for _, c := range valueLines(n) {
		w, set, rev, ok := p.weightArgs(c, 1, allowReverse)
		if !ok {
			continue
		}
		revSet := false
		for _, a := range c.Args[1:] {
			if a == "reverse" || a == "noreverse" {
				revSet = true
			}
		}
		out = append(out, TrackRef{Pos: c.Pos, Name: c.Args[0], Weight: w, WeightSet: set, Reverse: rev, ReverseSet: revSet})
	}
	return out
}

// linkbeatInterfaces parses "linkbeat_interfaces { IF [MII|ETHTOOL|IOCTL] }".
func (p *parser) linkbeatInterfaces(n *syntax.Node) {
	if !n.HasBlock {
		p.errorf(n, "'linkbeat_interfaces' expects a block: 'linkbeat_interfaces {'")
		return
	}
	if p.cfg.LinkbeatInterfaces == nil {
		p.cfg.LinkbeatInterfaces = map[string]LinkbeatMode{}
	}
	for _, c := range valueLines(n) {
		m := LinkbeatMII
		if len(c.Args) > 1 {
			switch strings.ToUpper(c.Args[1]) {
			case "MII":
			case "ETHTOOL":
				m = LinkbeatEthtool
			case "IOCTL":
				m = LinkbeatIoctl
			default:
				p.errorf(c, "linkbeat_interfaces: interface %s: expected MII, ETHTOOL or IOCTL, found '%s'", c.Args[0], c.Args[1])
				continue
			}
		}
		p.cfg.LinkbeatInterfaces[c.Args[0]] = m
	}
}

// UpDownDelay is one line of interface_up_down_delays.
type UpDownDelay struct {
	Pos  syntax.Pos
	Down time.Duration
	Up   time.Duration
}

// interfaceUpDownDelays parses "interface_up_down_delays { IF DOWN [UP] }" (0-255 s, µs resolution;
// UP defaults to DOWN).
func (p *parser) interfaceUpDownDelays(n *syntax.Node) {
	if !n.HasBlock {
		p.errorf(n, "'interface_up_down_delays' expects a block: 'interface_up_down_delays {'")
		return
	}
	if p.cfg.InterfaceUpDownDelays == nil {
		p.cfg.InterfaceUpDownDelays = map[string]UpDownDelay{}
	}
	for _, c := range valueLines(n) {
		d := UpDownDelay{Pos: c.Pos}
		if !p.seconds(c, 1, 0, 255*time.Second, &d.Down) {
			continue
		}
		d.Up = d.Down
		if len(c.Args) > 2 && !p.seconds(c, 2, 0, 255*time.Second, &d.Up) {
			continue
		}
		p.cfg.InterfaceUpDownDelays[c.Args[0]] = d
	}
}

// GARPGroup is a garp_group block: rate limits shared by a set of interfaces.
type GARPGroup struct {
	Pos          syntax.Pos
	GARPInterval time.Duration
	GNAInterval  time.Duration
	Interfaces   []string
}

// garpGroupDef parses "garp_group { garp_interval S; gna_interval S; interface IF | interfaces { … } }".
func (p *parser) garpGroupDef(n *syntax.Node) {
	g := &GARPGroup{Pos: n.Pos}
	p.block(n, keywords{
		"garp_interval": p.garpInterval(&g.GARPInterval),
		"gna_interval":  p.gnaInterval(&g.GNAInterval),
		"interface": func(n *syntax.Node) {
			if s, ok := p.arg(n, 1); ok {
				g.Interfaces = append(g.Interfaces, s)
			}
		},
		"interfaces": func(n *syntax.Node) { g.Interfaces = append(g.Interfaces, p.nameList(n)...) },
	})
	if len(g.Interfaces) == 0 {
		p.errorf(n, "garp_group has no interface - ignoring")
		return
	}
	p.cfg.GARPGroups = append(p.cfg.GARPGroups, g)
}
