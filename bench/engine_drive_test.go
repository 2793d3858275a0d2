package bench

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestForEachInCohortsAdmitsACohortWhenItsPlacesAreFree: with 4 places and cohorts of 2, every
// index runs once, never more than 4 at once, and the third cohort's first run starts with at
// most 2 others running: after two runs have returned, not one. Each run waits for its own
// release, so the order is set by the test; one admitted per freed place would start the third
// cohort while three still run.
func TestForEachInCohortsAdmitsACohortWhenItsPlacesAreFree(t *testing.T) {
	const n, size, limit = 6, 2, 4
	started := make(chan int, n)
	returned := make(chan int, n)
	release := make([]chan struct{}, n)
	for i := range release {
		release[i] = make(chan struct{})
	}
	var mu sync.Mutex
	running, most := 0, 0
	others := map[int]int{} // how many ran when i started
	ran := map[int]int{}
	done := make(chan error, 1)
	go func() {
		done <- forEachInCohorts(context.Background(), n, size, limit, func(i int) error {
			mu.Lock()
			others[i] = running
			running++
			most = max(most, running)
			ran[i]++
			mu.Unlock()
			started <- i
			<-release[i]
			mu.Lock()
			running--
			mu.Unlock()
			returned <- i
			return nil
		})
	}()
	first := map[int]bool{}
	for range limit {
		first[<-started] = true
	}
	if !first[0] || !first[1] || !first[2] || !first[3] {
		t.Fatalf("the first two cohorts did not start first: %v", first)
	}
	close(release[0])
	<-returned
	close(release[1])
	<-returned
	third := map[int]bool{<-started: true, <-started: true}
	if !third[4] || !third[5] {
		t.Fatalf("the third cohort: %v", third)
	}
	for i := 2; i < n; i++ {
		close(release[i])
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if most > limit {
		t.Errorf("%d ran at once, limit %d", most, limit)
	}
	if o := min(others[4], others[5]); o > limit-size {
		t.Errorf("the third cohort started with %d others running, want at most %d", o, limit-size)
	}
	for i := range n {
		if ran[i] != 1 {
			t.Errorf("run %d ran %d times", i, ran[i])
		}
	}
}

// Two items open over the whole steady window and one for half of it average 2.5 open; one
// closed before the window counts nothing.
func TestMeanInFlightIsTheTimeAverageOverTheSteadyWindow(t *testing.T) {
	t0 := time.Date(2026, 11, 30, 6, 0, 0, 0, time.UTC)
	var closes []time.Time
	var lat []time.Duration
	// 20 closes one second apart make the window [t0+2s, t0+17s] (the 10% at each end out).
	for i := range 20 {
		closes = append(closes, t0.Add(time.Duration(i)*time.Second))
		lat = append(lat, 500*time.Millisecond)
	}
	got := meanInFlight(closes, lat)
	// Each close in the window was open for the half second before it: 15 intervals of 0.5 s
	// over 15 s of window (the first close's interval ends at the window's start).
	if got < 0.49 || got > 0.51 {
		t.Fatalf("mean in flight %.3f, want 0.5", got)
	}
	// One more item open from before the window to after it adds exactly one.
	closes = append(closes, t0.Add(30*time.Second))
	lat = append(lat, 40*time.Second)
	if got := meanInFlight(closes, lat); got < 1.45 || got > 1.55 {
		t.Fatalf("with one open throughout: %.3f, want about 1.5", got)
	}
	if got := meanInFlight(closes[:1], lat[:1]); got != 0 {
		t.Fatalf("one close has no window: %.3f", got)
	}
}
