package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// Twenty concurrent enrolments in a 16-seat package: exactly 16 get a seat, a retry keeps its
// seat, and a released seat can be taken again.
func TestReserveSeatNeverOverfills(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	createPackage(t, st, "SEATS-1", day(2027, time.February, 1), day(2027, time.March, 31))
	var wg sync.WaitGroup
	var mu sync.Mutex
	granted := map[string]bool{}
	for i := 0; i < 20; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("case%02d", i)
			ok, _, err := st.ReserveSeat(ctx, "SEATS-1", id, 16)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			granted[id] = ok
			mu.Unlock()
		}(i)
	}
	wg.Wait()
	n := 0
	var holder, refused string
	for id, ok := range granted {
		if ok {
			n++
			holder = id
		} else {
			refused = id
		}
	}
	if n != 16 {
		t.Fatalf("seats granted = %d, want 16", n)
	}
	ok, taken, err := st.ReserveSeat(ctx, "SEATS-1", holder, 16)
	must(t, err)
	if !ok || taken != 16 {
		t.Fatalf("retry by a holder: ok=%v taken=%d, want true 16", ok, taken)
	}
	must(t, st.ReleaseSeat(ctx, "SEATS-1", holder))
	ok, taken, err = st.ReserveSeat(ctx, "SEATS-1", refused, 16)
	must(t, err)
	if !ok || taken != 16 {
		t.Fatalf("after a release: ok=%v taken=%d, want true 16", ok, taken)
	}
}
