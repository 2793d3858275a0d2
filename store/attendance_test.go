package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// A day's register is stored per trainee; recording the day again replaces it (the counts do
// not double), a trainee no longer listed keeps their row, and each case's running count is
// recomputed over every day with the count last sent to its journey.
func TestAttendanceRegister(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	start := time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)
	createPackage(t, st, "P-ATT", start, start.AddDate(0, 0, 20))
	day := func(n int) time.Time { return start.AddDate(0, 0, n) }
	rec := func(d time.Time, marks ...store.AttendanceMark) []store.AttendanceCount {
		t.Helper()
		at := d.Add(10 * time.Hour)
		counts, err := st.RecordAttendanceDay(ctx, store.AttendanceDay{Package: "P-ATT", Day: d, Marks: marks,
			RecordedBy: "siti", RecordedRole: vocab.RoleCentreAdmin, RecordedAt: &at})
		must(t, err)
		return counts
	}
	here := func(id string) store.AttendanceMark { return store.AttendanceMark{CaseID: id, Present: true} }
	away := func(id string) store.AttendanceMark { return store.AttendanceMark{CaseID: id} }

	rec(day(0), here("A"), here("B"), away("C"))
	counts := rec(day(1), here("A"), away("B"), away("C"))
	if len(counts) != 3 || counts[0] != (store.AttendanceCount{CaseID: "A", Present: 2}) ||
		counts[1].Present != 1 || counts[1].Absent != 1 || counts[2].Absent != 2 {
		t.Fatalf("counts after two days = %+v", counts)
	}
	must(t, st.MarkAttendanceSent(ctx, "A", "presence", 2, day(1)))
	// Day 1 again, corrected, and without C (who left since): replaced, not added.
	counts = rec(day(1), away("A"), here("B"))
	if len(counts) != 2 || counts[0].CaseID != "A" || counts[0].Present != 1 || counts[0].Absent != 1 ||
		counts[0].Sent == nil || *counts[0].Sent != 2 || counts[0].SentMode != "presence" || counts[1].Present != 2 || counts[1].Sent != nil {
		t.Fatalf("counts after day 1 again = %+v", counts)
	}
	d1, err := st.AttendanceDayOf(ctx, "P-ATT", day(1))
	must(t, err)
	if len(d1.Marks) != 3 || d1.RecordedBy != "siti" || d1.RecordedAt == nil {
		t.Fatalf("day 1 = %+v, want A and B again and C's earlier row", d1)
	}
	none, err := st.AttendanceDayOf(ctx, "P-ATT", day(2))
	must(t, err)
	if len(none.Marks) != 0 || none.RecordedAt != nil {
		t.Fatalf("a day never recorded = %+v", none)
	}
	days, err := st.AttendanceDays(ctx, "P-ATT")
	must(t, err)
	if len(days) != 2 || !days[0].Day.Equal(day(0)) || days[0].Present != 2 || days[0].Absent != 1 ||
		days[1].Present != 1 || days[1].Absent != 2 {
		t.Fatalf("days = %+v", days)
	}
	all, err := st.AttendanceCounts(ctx, "P-ATT")
	must(t, err)
	if len(all) != 3 || all[2].CaseID != "C" || all[2].Absent != 2 {
		t.Fatalf("counts of the package = %+v", all)
	}
	_, err = st.RecordAttendanceDay(ctx, store.AttendanceDay{Package: "NOPE", Day: day(0), Marks: []store.AttendanceMark{here("A")}, RecordedBy: "siti"})
	mustErrIs(t, err, store.ErrInvalid)
}
