package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// Concurrent approvals for the last two seats of a 2-seat package: exactly two are seated, the
// others are refused with the count, or queued in order when they ask for the waiting list.
func TestTakeSeatRaceForTheLastSeats(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	createPackage(t, st, "SEATS-2", day(2027, time.February, 1), day(2027, time.March, 31))
	_, err := st.SetCapacity(ctx, "SEATS-2", 2)
	must(t, err)
	var wg sync.WaitGroup
	var mu sync.Mutex
	results := map[string]store.SeatResult{}
	for i := 0; i < 12; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("case%02d", i)
			r, err := st.TakeSeat(ctx, store.SeatRequest{Package: "SEATS-2", CaseID: id})
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			results[id] = r
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	seated := 0
	for id, r := range results {
		switch {
		case r.Seated:
			seated++
		case r.Waiting:
			t.Errorf("%s waits without asking for the waiting list", id)
		case r.Taken != 2 || r.Capacity != 2:
			t.Errorf("%s refused with %d of %d, want 2 of 2", id, r.Taken, r.Capacity)
		}
	}
	if seated != 2 {
		t.Fatalf("seated = %d, want 2", seated)
	}
}

// A full package queues in order; a freed seat moves the first waiting case in, a raise of the
// capacity seats the next ones in order, and a coordinator's over-capacity seat is counted.
func TestWaitlistMovesInInOrder(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	createPackage(t, st, "SEATS-W", day(2027, time.February, 1), day(2027, time.March, 31))
	_, err := st.SetCapacity(ctx, "SEATS-W", 2)
	must(t, err)
	for _, id := range []string{"a", "b"} {
		r, err := st.TakeSeat(ctx, store.SeatRequest{Package: "SEATS-W", CaseID: id})
		must(t, err)
		if !r.Seated {
			t.Fatalf("%s not seated: %+v", id, r)
		}
	}
	for i, id := range []string{"c", "d", "e"} {
		r, err := st.TakeSeat(ctx, store.SeatRequest{Package: "SEATS-W", CaseID: id, Waitlist: true})
		must(t, err)
		if !r.Waiting || r.Position != i+1 {
			t.Fatalf("%s: %+v, want waiting at %d", id, r, i+1)
		}
	}
	// A retry of a waiting case's request keeps its place.
	r, err := st.TakeSeat(ctx, store.SeatRequest{Package: "SEATS-W", CaseID: "d", Waitlist: true})
	must(t, err)
	if !r.Waiting || r.Position != 2 {
		t.Fatalf("retry of d: %+v, want waiting at 2", r)
	}
	moved, err := st.FreeSeat(ctx, "SEATS-W", "a")
	must(t, err)
	if len(moved) != 1 || moved[0].CaseID != "c" || moved[0].FreedBy != "a" {
		t.Fatalf("after a leaves: moved %+v, want c (freed by a)", moved)
	}
	notices, err := st.SeatNotices(ctx, "SEATS-W")
	must(t, err)
	if len(notices) != 1 || notices[0].CaseID != "c" {
		t.Fatalf("notices %+v, want c", notices)
	}
	must(t, st.MarkSeatNotified(ctx, "SEATS-W", "c"))
	if notices, err = st.SeatNotices(ctx, "SEATS-W"); err != nil || len(notices) != 0 {
		t.Fatalf("notices after marking: %+v, %v", notices, err)
	}
	var below *store.CapacityBelowTakenError
	if _, err := st.SetCapacity(ctx, "SEATS-W", 1); !errors.Is(err, store.ErrInvalid) || !errors.As(err, &below) || below.Capacity != 1 || below.Taken < 2 {
		t.Fatalf("capacity below the seats taken: %v, want ErrInvalid with the numbers", err)
	}
	moved, err = st.SetCapacity(ctx, "SEATS-W", 4)
	must(t, err)
	if len(moved) != 2 || moved[0].CaseID != "d" || moved[1].CaseID != "e" {
		t.Fatalf("after the raise: moved %+v, want d then e", moved)
	}
	r, err = st.TakeSeat(ctx, store.SeatRequest{Package: "SEATS-W", CaseID: "f", OverCapacity: true, Reason: "sponsored by the regency"})
	must(t, err)
	if !r.Seated || r.Taken != 5 || r.Capacity != 4 {
		t.Fatalf("over capacity: %+v, want seated 5 of 4", r)
	}
	counts, err := st.SeatCounts(ctx, []string{"SEATS-W"})
	must(t, err)
	if c := counts["SEATS-W"]; c.Taken != 5 || c.Capacity != 4 || c.Waiting != 0 {
		t.Fatalf("counts %+v", c)
	}
}
