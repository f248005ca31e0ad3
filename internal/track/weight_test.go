package track

import (
	"testing"

	"github.com/gokeepalived/gokeepalived/internal/vrrp/engine"
)

func TestBoolState(t *testing.T) {
	tests := []struct {
		name    string
		ok      bool
		weight  int
		reverse bool
		want    engine.TrackerState
	}{
		{"weight 0 success", true, 0, false, engine.TrackerState{}},
		{"weight 0 failure is fault", false, 0, false, engine.TrackerState{Fault: true}},
		{"weight 0 reverse success is fault", true, 0, true, engine.TrackerState{Fault: true}},
		{"weight 0 reverse failure is fine", false, 0, true, engine.TrackerState{}},
		{"positive adds on success", true, 10, false, engine.TrackerState{Weight: 10}},
		{"positive nothing on failure", false, 10, false, engine.TrackerState{}},
		{"negative nothing on success", true, -20, false, engine.TrackerState{}},
		{"negative subtracts on failure", false, -20, false, engine.TrackerState{Weight: -20}},
		{"positive reverse subtracts on success", true, 10, true, engine.TrackerState{Weight: -10}},
		{"negative reverse adds on failure", false, -20, true, engine.TrackerState{Weight: 20}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := BoolState(tt.ok, tt.weight, tt.reverse); got != tt.want {
				t.Errorf("BoolState(%v, %d, %v) = %+v, want %+v", tt.ok, tt.weight, tt.reverse, got, tt.want)
			}
		})
	}
}

func TestFileState(t *testing.T) {
	tests := []struct {
		name          string
		value, weight int
		reverse       bool
		want          engine.TrackerState
	}{
		{"weight 0 zero", 0, 0, false, engine.TrackerState{}},
		{"weight 0 non-zero is fault", 3, 0, false, engine.TrackerState{Fault: true}},
		{"weight 0 negative is fault", -1, 0, false, engine.TrackerState{Fault: true}},
		{"value times weight", 5, 2, false, engine.TrackerState{Weight: 10}},
		{"negative result", -5, 2, false, engine.TrackerState{Weight: -10}},
		{"reverse", 5, 2, true, engine.TrackerState{Weight: -10}},
		{"capped at 253", 200, 2, false, engine.TrackerState{Weight: 253}},
		{"-253 still a weight", -253, 1, false, engine.TrackerState{Weight: -253}},
		{"-254 is fault", -254, 1, false, engine.TrackerState{Fault: true}},
		{"below -254 is fault", -100, 10, false, engine.TrackerState{Fault: true}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := FileState(tt.value, tt.weight, tt.reverse); got != tt.want {
				t.Errorf("FileState(%d, %d, %v) = %+v, want %+v", tt.value, tt.weight, tt.reverse, got, tt.want)
			}
		})
	}
}
