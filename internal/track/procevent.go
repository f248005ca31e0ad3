package track

import (
	"encoding/binary"
	"errors"
)

// Proc connector constants (linux/connector.h, linux/cn_proc.h).
const (
	cnIdxProc         = 1
	cnValProc         = 1
	procCnMcastListen = 1
	cnMsgLen          = 20 // struct cn_msg: id{idx,val}, seq, ack, len, flags
	procEventHdrLen   = 16 // what, cpu, timestamp_ns

	procEventFork = 0x00000001
	procEventExec = 0x00000002
	procEventComm = 0x00000200
	procEventExit = 0x80000000
)

// errShortEvent is returned for a truncated connector message.
var errShortEvent = errors.New("proc connector: short message")

// ProcEvent is the part of a proc connector event the trackers care about.
type ProcEvent struct {
	// What is the PROC_EVENT_* code.
	What uint32
	// PID and TGID identify the task the event is about (the child for a fork).
	PID, TGID uint32
}

// Relevant reports whether the event can change a process count: a new process
// (fork of a thread-group leader), an exec, a rename, or a process exit. Thread
// events are ignored.
func (e ProcEvent) Relevant() bool {
	switch e.What {
	case procEventFork, procEventExit:
		return e.PID == e.TGID
	case procEventExec, procEventComm:
		return true
	}
	return false
}

// ParseProcEvent decodes one connector message (struct cn_msg followed by struct
// proc_event, native byte order). Messages from other connector users are reported
// as an event with What 0.
func ParseProcEvent(b []byte) (ProcEvent, error) {
	if len(b) < cnMsgLen {
		return ProcEvent{}, errShortEvent
	}
	ne := binary.NativeEndian
	if ne.Uint32(b[0:4]) != cnIdxProc || ne.Uint32(b[4:8]) != cnValProc {
		return ProcEvent{}, nil
	}
	n := int(ne.Uint16(b[16:18]))
	p := b[cnMsgLen:]
	if n > len(p) {
		return ProcEvent{}, errShortEvent
	}
	p = p[:n]
	if len(p) < procEventHdrLen {
		// The acknowledgement of the listen request carries no event.
		return ProcEvent{}, nil
	}
	ev := ProcEvent{What: ne.Uint32(p[0:4])}
	d := p[procEventHdrLen:]
	switch ev.What {
	case procEventFork:
		// parent_pid, parent_tgid, child_pid, child_tgid
		if len(d) < 16 {
			return ProcEvent{}, errShortEvent
		}
		ev.PID, ev.TGID = ne.Uint32(d[8:12]), ne.Uint32(d[12:16])
	case procEventExec, procEventComm, procEventExit:
		// process_pid, process_tgid first in each
		if len(d) < 8 {
			return ProcEvent{}, errShortEvent
		}
		ev.PID, ev.TGID = ne.Uint32(d[0:4]), ne.Uint32(d[4:8])
	}
	return ev, nil
}

// listenRequest is the PROC_CN_MCAST_LISTEN message body sent to subscribe.
func listenRequest() []byte {
	b := make([]byte, cnMsgLen+4)
	ne := binary.NativeEndian
	ne.PutUint32(b[0:4], cnIdxProc)
	ne.PutUint32(b[4:8], cnValProc)
	ne.PutUint16(b[16:18], 4)
	ne.PutUint32(b[cnMsgLen:], procCnMcastListen)
	return b
}
