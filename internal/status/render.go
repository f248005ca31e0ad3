package status

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// ManyRealServers is the list length above which Render shows only the real servers that are
// down and a count of the others: an operator looking at 1,000 healthy backends wants the few
// broken ones, not 1,000 lines.
const ManyRealServers = 50

// maxVIPs is how many VIPs an instance row lists before "(+N more)".
const maxVIPs = 4

// Render writes r as the text `gokeepalived status` prints: a header, then one table per part
// of the daemon that has something to show. now is the time uptime and "ago" are computed
// against, so the output is a pure function of its arguments.
func Render(w io.Writer, r Report, now time.Time) error {
	var b bytes.Buffer
	renderHeader(&b, r.Daemon, now)
	sections := [][]string{
		vrrpLines(r.VRRP),
		scriptLines(r.Scripts),
		virtualServerLines(r.VirtualServers),
		realServerLines(r.RealServers),
	}
	for _, s := range sections {
		if len(s) == 0 {
			continue
		}
		b.WriteByte('\n')
		for _, l := range s {
			b.WriteString(l)
			b.WriteByte('\n')
		}
	}
	if _, err := w.Write(b.Bytes()); err != nil {
		return fmt.Errorf("write status: %w", err)
	}
	return nil
}

// renderHeader writes the process line and the line saying which parts run.
func renderHeader(b *bytes.Buffer, d Daemon, now time.Time) {
	version := d.Version
	if version == "" {
		version = "(unknown version)"
	}
	fmt.Fprintf(b, "gokeepalived %s  pid %d  config %s\n", version, d.PID, orDash(d.ConfigFile))
	up := "unknown"
	if !d.Started.IsZero() {
		up = fmt.Sprintf("%s (since %s)", duration(now.Sub(d.Started)), d.Started.UTC().Format("2006-01-02 15:04:05 UTC"))
	}
	reloads := fmt.Sprintf("%d reloads", d.Reloads)
	if d.Reloads == 1 {
		reloads = "1 reload"
	}
	if !d.LastReload.IsZero() {
		reloads += fmt.Sprintf(" (last %s ago)", duration(now.Sub(d.LastReload)))
	}
	fmt.Fprintf(b, "up %s, %s; running: %s\n", up, reloads, parts(d))
}

// parts lists the running subsystems, naming LVS as off when the checkers run without it (no
// IPVS in the kernel), since that is the case an operator needs to notice.
func parts(d Daemon) string {
	var p []string
	if d.VRRP {
		p = append(p, "VRRP")
	}
	if d.Checkers {
		p = append(p, "checkers")
	}
	if d.LVS {
		p = append(p, "LVS")
	}
	s := strings.Join(p, ", ")
	if len(p) == 0 {
		s = "nothing"
	}
	if d.Checkers && !d.LVS {
		s += " (LVS off)"
	}
	return s
}

// vrrpLines is the VRRP table, each instance followed by its tracker lines.
func vrrpLines(vrrp []engine.InstanceStatus) []string {
	if len(vrrp) == 0 {
		return nil
	}
	rows := []row{cells("VRRP INSTANCE", "STATE", "PRIORITY", "VRID", "INTERFACE", "MASTER", "VIPS")}
	for _, in := range vrrp {
		master := "-"
		if in.State == "BACKUP" && in.Master.IsValid() {
			master = fmt.Sprintf("%s prio %d", in.Master, in.MasterPriority)
		}
		rows = append(rows, cells(
			in.Name, orDash(in.State), fmt.Sprintf("%d/%d", in.Priority, in.BasePriority),
			strconv.Itoa(in.VRID), orDash(in.Interface), master, vips(in.VIPs),
		))
		for _, t := range in.Trackers {
			if l := trackerLine(t); l != "" {
				rows = append(rows, row{raw: l})
			}
		}
	}
	return align(rows)
}

// trackerLine describes a tracker that matters for the priority or the state, or returns "" for
// a healthy tracker that carries no weight.
func trackerLine(t engine.TrackerStatus) string {
	var what []string
	if t.Fault {
		what = append(what, "FAULT")
	}
	if t.Weight != 0 {
		what = append(what, fmt.Sprintf("weight %+d", t.Weight))
	}
	if len(what) == 0 {
		return ""
	}
	return fmt.Sprintf("    track %s: %s", t.Key, strings.Join(what, ", "))
}

// vips joins the first maxVIPs addresses and counts the rest.
func vips(v []string) string {
	if len(v) == 0 {
		return "-"
	}
	if len(v) <= maxVIPs {
		return strings.Join(v, ", ")
	}
	return fmt.Sprintf("%s (+%d more)", strings.Join(v[:maxVIPs], ", "), len(v)-maxVIPs)
}

// scriptLines is the vrrp_script table.
func scriptLines(scripts []Script) []string {
	if len(scripts) == 0 {
		return nil
	}
	rows := []row{cells("VRRP SCRIPT", "STATUS", "STATE")}
	for _, s := range scripts {
		rows = append(rows, cells(s.Name, orDash(s.Status), orDash(s.State)))
	}
	return align(rows)
}

// virtualServerLines is the LVS table: each virtual server, then its real servers indented as
// ipvsadm -Ln does.
func virtualServerLines(vss []VirtualServer) []string {
	if len(vss) == 0 {
		return nil
	}
	rows := []row{cells("VIRTUAL SERVER", "STATE", "WEIGHT", "REAL SERVERS")}
	for _, vs := range vss {
		state := "quorum UP"
		if !vs.QuorumUp {
			state = "quorum DOWN"
		}
		if vs.Suspended {
			state += ", suspended"
		}
		alive := 0
		for _, rs := range vs.RealServers {
			if rs.Alive {
				alive++
			}
		}
		rows = append(rows, cells(
			vs.Name, state, fmt.Sprintf("%d (quorum %d)", vs.AliveWeight, vs.Quorum),
			fmt.Sprintf("%d/%d alive", alive, len(vs.RealServers)),
		))
		many := len(vs.RealServers) > ManyRealServers
		for _, rs := range vs.RealServers {
			if many && rs.Alive {
				continue
			}
			st := "ALIVE"
			if !rs.Alive {
				st = "DEAD"
			}
			rows = append(rows, cells("  -> "+rs.Name, st, strconv.Itoa(rs.Weight)))
		}
		if many {
			rows = append(rows, row{raw: fmt.Sprintf("  -> %d more ALIVE, not listed", alive)})
		}
	}
	return align(rows)
}

// realServerLines is the table of checked real servers: all of them, or only the DOWN ones and
// a count of the rest when there are many.
func realServerLines(rss []RealServer) []string {
	if len(rss) == 0 {
		return nil
	}
	many := len(rss) > ManyRealServers
	rows := []row{cells("REAL SERVER", "VIRTUAL SERVER", "STATE", "FAILING CHECKERS")}
	up := 0
	for _, rs := range rss {
		if rs.Up {
			up++
			if many {
				continue
			}
			rows = append(rows, cells(rs.RealServer, orDash(rs.VirtualServer), "UP", ""))
			continue
		}
		var failing []string
		for _, c := range rs.Checkers {
			if !c.Up {
				failing = append(failing, c.Name)
			}
		}
		rows = append(rows, cells(rs.RealServer, orDash(rs.VirtualServer), "DOWN", strings.Join(failing, ", ")))
	}
	out := align(rows)
	if many {
		out = append(out, fmt.Sprintf("%d of %d real servers UP, not listed; %d DOWN", up, len(rss), len(rss)-up))
	}
	return out
}

// row is one line of a table: cells to align, or a raw line (a tracker, a count) printed as is
// between the aligned rows, so that its width does not widen a column.
type row struct {
	cells []string
	raw   string
}

func cells(c ...string) row { return row{cells: c} }

// align lays rows out in columns two spaces apart and trims the padding tabwriter leaves at the
// end of lines whose last cells are empty.
func align(rows []row) []string {
	var b bytes.Buffer
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	for _, r := range rows {
		if r.cells != nil {
			// Every cell is tab-terminated so that a row with fewer cells does not end the
			// column block and misalign the rows after it.
			fmt.Fprintf(tw, "%s\t\n", strings.Join(r.cells, "\t"))
		}
	}
	_ = tw.Flush() // writes to a bytes.Buffer, which cannot fail
	aligned := strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
	out := make([]string, 0, len(rows))
	for _, r := range rows {
		if r.cells == nil {
			out = append(out, r.raw)
			continue
		}
		out = append(out, strings.TrimRight(aligned[0], " "))
		aligned = aligned[1:]
	}
	return out
}

// duration prints d compactly and at a precision that suits uptimes: seconds below a day,
// minutes above.
func duration(d time.Duration) string {
	if d < 0 {
		d = 0 // a clock stepped back; "up -3s" would only confuse
	}
	d = d.Truncate(time.Second)
	if d < 24*time.Hour {
		return d.String()
	}
	days := d / (24 * time.Hour)
	rest := d % (24 * time.Hour)
	return fmt.Sprintf("%dd%dh%dm", days, rest/time.Hour, rest%time.Hour/time.Minute)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
