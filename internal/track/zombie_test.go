package track

import (
	"os"
	"path/filepath"
	"testing"
)

// TestCountSkipsZombies: a process that has exited but is not reaped yet (state Z) keeps its
// comm, and must not count as running (a tracked service killed by kill -9 would otherwise look
// alive until its parent reaps it).
func TestCountSkipsZombies(t *testing.T) {
	root := t.TempDir()
	write := func(pid, comm, stat string) {
		dir := filepath.Join(root, pid)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, body := range map[string]string{"comm": comm + "\n", "stat": stat, "cmdline": comm + "\x00"} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	write("100", "nginx", "100 (nginx) S 1 100 100 0 -1")
	write("101", "nginx", "101 (nginx) Z 100 100 100 0 -1")
	write("102", "nginx", "102 (ngi) Z x) R 1 102 102 0 -1") // running; a comm with ") Z" must not fool the parser
	write("103", "other", "103 (other) S 1 103 103 0 -1")
	pt := &procTracker{spec: ProcSpec{Name: "nginx"}, quorum: 1}
	if got := pt.count(root); got != 2 {
		t.Errorf("count = %d, want 2 (100 and 102; the zombie 101 and the other comm must not count)", got)
	}
	write("104", "nginx", "104 (nginx) X 1 104 104 0 -1") // dying
	if got := pt.count(root); got != 2 {
		t.Errorf("count = %d, want 2 (a dying process does not count)", got)
	}
}
