package track

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"os/exec"
	"syscall"
	"testing"
	"time"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

// procMsg builds a connector message carrying one proc_event.
func procMsg(what uint32, data ...uint32) []byte {
	ne := binary.NativeEndian
	ev := make([]byte, procEventHdrLen+4*len(data))
	ne.PutUint32(ev[0:4], what)
	for i, d := range data {
		ne.PutUint32(ev[procEventHdrLen+4*i:], d)
	}
	b := make([]byte, cnMsgLen, cnMsgLen+len(ev))
	ne.PutUint32(b[0:4], cnIdxProc)
	ne.PutUint32(b[4:8], cnValProc)
	ne.PutUint16(b[16:18], uint16(len(ev)))
	return append(b, ev...)
}

func TestParseProcEvent(t *testing.T) {
	tests := []struct {
		name     string
		msg      []byte
		want     ProcEvent
		relevant bool
		fail     bool
	}{
		{"exec", procMsg(procEventExec, 42, 42), ProcEvent{procEventExec, 42, 42}, true, false},
		{"process exit", procMsg(procEventExit, 42, 42, 0, 9, 1, 1), ProcEvent{procEventExit, 42, 42}, true, false},
		{"thread exit", procMsg(procEventExit, 43, 42, 0, 0, 1, 1), ProcEvent{procEventExit, 43, 42}, false, false},
		{"fork of a process", procMsg(procEventFork, 1, 1, 50, 50), ProcEvent{procEventFork, 50, 50}, true, false},
		{"new thread", procMsg(procEventFork, 1, 1, 51, 50), ProcEvent{procEventFork, 51, 50}, false, false},
		{"comm", procMsg(procEventComm, 7, 7, 0, 0, 0, 0), ProcEvent{procEventComm, 7, 7}, true, false},
		{"uid change", procMsg(0x4, 7, 7, 0, 0), ProcEvent{What: 0x4}, false, false},
		{"empty payload", func() []byte { b := procMsg(0)[:cnMsgLen]; b[16] = 0; return b }(), ProcEvent{}, false, false},
		{"kernel ack (PROC_EVENT_NONE)", procMsg(0, 0, 0), ProcEvent{}, false, false},
		{"other connector", func() []byte { b := procMsg(procEventExec, 1, 1); b[0] = 9; return b }(), ProcEvent{}, false, false},
		{"short header", []byte{1, 2, 3}, ProcEvent{}, false, true},
		{"truncated fork", procMsg(procEventFork, 1, 1), ProcEvent{}, false, true},
		{"len beyond data", func() []byte { b := procMsg(procEventExec, 1, 1); b[16] = 200; return b }(), ProcEvent{}, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ev, err := ParseProcEvent(tt.msg)
			if (err != nil) != tt.fail {
				t.Fatalf("err = %v, want failure %v", err, tt.fail)
			}
			if ev != tt.want || ev.Relevant() != tt.relevant {
				t.Errorf("got %+v relevant=%v, want %+v relevant=%v", ev, ev.Relevant(), tt.want, tt.relevant)
			}
		})
	}
}

func FuzzParseProcEvent(f *testing.F) {
	f.Add(procMsg(procEventExec, 1, 1))
	f.Add(procMsg(procEventFork, 1, 1, 2, 2))
	f.Add(procMsg(procEventExit, 3, 3, 0, 0, 1, 1))
	f.Add(listenRequest())
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		ev, err := ParseProcEvent(b)
		if err != nil && ev != (ProcEvent{}) {
			t.Fatalf("error %v with a non-empty event %+v", err, ev)
		}
	})
}

// TestTrackProcessEvents checks that the proc connector makes detection immediate:
// the periodic scan is set to an hour, so only events can reveal the process.
func TestTrackProcessEvents(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("the proc connector needs CAP_NET_ADMIN")
	}
	probe, cancel := context.WithCancel(context.Background())
	done, err := procEvents(probe, func() {})
	cancel()
	if err != nil {
		t.Skipf("no proc connector here: %v", err)
	}
	done()
	arg := fmt.Sprintf("%d", 200000+os.Getpid()%100000)
	cfg := load(t, fmt.Sprintf(`
vrrp_track_process tp {
	process sleep %s
}
`, arg)+instance("VI_1", 1, "track_process {\ntp\n}"))
	rep := newFakeReporter()
	start(t, cfg, rep, Options{ScanInterval: time.Hour})
	if !rep.waitFor("VI_1", "process tp", engine.TrackerState{Fault: true}, wait) {
		t.Fatalf("first scan not reported; calls %+v", rep.snapshot())
	}
	cmd := exec.Command("sleep", arg)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	pid := cmd.Process.Pid
	t.Cleanup(func() { _ = syscall.Kill(pid, syscall.SIGKILL); _ = cmd.Wait() })
	if !rep.waitFor("VI_1", "process tp", engine.TrackerState{}, wait) {
		t.Fatalf("exec not seen through the proc connector; calls %+v", rep.snapshot())
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	_ = cmd.Wait()
	if !rep.waitFor("VI_1", "process tp", engine.TrackerState{Fault: true}, wait) {
		t.Fatalf("exit not seen through the proc connector; calls %+v", rep.snapshot())
	}
}
