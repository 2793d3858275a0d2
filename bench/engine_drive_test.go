package bench

import (
	"context"
	"sync"
	"testing"
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
