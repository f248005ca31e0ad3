package notify

import "strconv"

// The FIFO and generic-notify state words (vrrp_notify.c).
const (
	StateMaster           = "MASTER"
	StateBackup           = "BACKUP"
	StateFault            = "FAULT"
	StateStop             = "STOP"
	StateDeleted          = "DELETED"
	StateMasterRxLowerPri = "MASTER_RX_LOWER_PRI"
	StateMasterPriority   = "MASTER_PRIORITY"
	StateBackupPriority   = "BACKUP_PRIORITY"
)

// Target kinds as they appear in FIFO lines and generic notify arguments.
const (
	KindInstance = "INSTANCE"
	KindGroup    = "GROUP"
)

// Line formats one VRRP FIFO line exactly as keepalived does
// (vrrp_notify.c notify_fifo(): "%s \"%s\" %s %d\n"), e.g.
// `INSTANCE "VI_1" MASTER 150` followed by a newline. Groups carry priority 0.
func Line(kind, name, state string, prio int) []byte {
	b := make([]byte, 0, len(kind)+len(name)+len(state)+12)
	b = append(b, kind...)
	b = append(b, ' ', '"')
	b = append(b, name...)
	b = append(b, '"', ' ')
	b = append(b, state...)
	b = append(b, ' ')
	b = strconv.AppendInt(b, int64(prio), 10)
	return append(b, '\n')
}
