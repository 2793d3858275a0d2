package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// followUpCase is a graduate of package P1 in placement follow-up at centre, with follow-up f
// (nil: not known to the row).
func followUpCase(id, centre string, f *store.FollowUp) store.Case {
	c := newCase(id, "P1", "h-"+id, 5)
	c.Stage, c.CentreCode, c.FollowUp = vocab.StagePlacement, centre, f
	return c
}

// The follow-up columns round-trip through the row; the list reads the due ones (missed first,
// then soonest due) a page at a time with its counts, apart the self-reports waiting for staff
// and the rows not known yet, in the reader's scope; an older write never overwrites them and a
// newer one out of follow-up clears them.
func TestListFollowUps(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	createPackage(t, st, "P1", day(2026, 1, 5), day(2026, 2, 5))
	now := time.Date(2026, 11, 29, 10, 0, 0, 0, time.UTC)
	at := func(d time.Duration) *time.Time { t := now.Add(d); return &t }
	const dayH = 24 * time.Hour
	contactAt := now.Add(-2 * dayH)
	late := &store.FollowUp{Next: at(40 * dayH), Missed: 2, Unanswered: 3, Contact: vocab.ContactNotReached, ContactAt: &contactAt, ContactNote: "no signal"}
	for _, c := range []store.Case{
		followUpCase("late", "BLK-SBY", late),
		followUpCase("late1", "BLK-SBY", &store.FollowUp{Next: at(20 * dayH), Missed: 1}),
		followUpCase("soon", "BLK-SBY", &store.FollowUp{Next: at(3 * dayH)}),
		followUpCase("sooner", "BLK-SBY", &store.FollowUp{Next: at(dayH)}),
		followUpCase("later", "BLK-SBY", &store.FollowUp{Next: at(40 * dayH)}),
		followUpCase("confirm", "BLK-SBY", &store.FollowUp{Next: at(dayH), Missed: 1, ConfirmUntil: at(5 * dayH), Employer: "PT Baja"}),
		followUpCase("unknown", "BLK-SBY", nil),
		followUpCase("tbn", "BLK-TBN", &store.FollowUp{Next: at(dayH)}),
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	training := newCase("training", "P1", "h-training", 5) // out of follow-up: never listed
	training.FollowUp = &store.FollowUp{Missed: 4}
	must(t, st.UpsertCase(ctx, training))
	closed := followUpCase("closed", "BLK-SBY", &store.FollowUp{Missed: 4})
	closed.Status = store.StatusClosed
	must(t, st.UpsertCase(ctx, closed))

	got, err := st.GetCase(ctx, "late")
	must(t, err)
	if f := got.FollowUp; f == nil || !f.Next.Equal(*late.Next) || f.Missed != 2 || f.Unanswered != 3 || f.Contact != vocab.ContactNotReached ||
		!f.ContactAt.Equal(contactAt) || f.ContactNote != "no signal" || f.ConfirmUntil != nil {
		t.Errorf("follow-up read back as %+v", f)
	}
	if got, err := st.GetCase(ctx, "unknown"); err != nil || got.FollowUp != nil {
		t.Errorf("a row without follow-up reads %+v (%v)", got.FollowUp, err)
	}

	due := now.Add(14 * dayH)
	sby := store.Scope{CentreCodes: []string{"BLK-SBY"}}
	l, err := st.ListFollowUps(ctx, store.FollowUpFilter{Scope: sby, Due: due, UnknownLimit: 10})
	must(t, err)
	if ids := caseIDs(l.Cases); !slices.Equal(ids, []string{"late", "late1", "sooner", "soon"}) || l.Total != 4 || l.Later != 1 || l.Unknown != 1 {
		t.Errorf("due %v (total %d), later %d, unknown %d", ids, l.Total, l.Later, l.Unknown)
	}
	if ids := caseIDs(l.ToConfirm); !slices.Equal(ids, []string{"confirm"}) || l.ToConfirmTotal != 1 ||
		l.ToConfirm[0].FollowUp.Employer != "PT Baja" || !l.ToConfirm[0].FollowUp.ConfirmUntil.Equal(now.Add(5*dayH)) {
		t.Errorf("to confirm %v (total %d)", ids, l.ToConfirmTotal)
	}
	if ids := caseIDs(l.UnknownCases); !slices.Equal(ids, []string{"unknown"}) {
		t.Errorf("unknown rows %v", ids)
	}

	// A page: the second two, the same total; no unknown rows asked, none listed.
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{Scope: sby, Due: due, Limit: 2, Offset: 2, ToConfirmLimit: 1})
	must(t, err)
	if ids := caseIDs(l.Cases); !slices.Equal(ids, []string{"sooner", "soon"}) || l.Total != 4 || l.UnknownCases != nil {
		t.Errorf("page 2: %v of %d, unknown %v", ids, l.Total, caseIDs(l.UnknownCases))
	}
	// Another centre's admin, the whole network, one centre filtered on.
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{Scope: store.Scope{CentreCodes: []string{"BLK-TBN"}}, Due: due})
	must(t, err)
	if ids := caseIDs(l.Cases); !slices.Equal(ids, []string{"tbn"}) || l.ToConfirmTotal != 0 || l.Unknown != 0 {
		t.Errorf("BLK-TBN's admin: %v, %d to confirm, %d unknown", ids, l.ToConfirmTotal, l.Unknown)
	}
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{Due: due})
	must(t, err)
	if l.Total != 5 {
		t.Errorf("the network: %d due, want 5", l.Total)
	}
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{CentreCode: "BLK-TBN", Due: due})
	must(t, err)
	if l.Total != 1 {
		t.Errorf("centre BLK-TBN: %d due, want 1", l.Total)
	}
	// A nearer horizon leaves "soon" for later.
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{Scope: sby, Due: now.Add(2 * dayH)})
	must(t, err)
	if ids := caseIDs(l.Cases); !slices.Equal(ids, []string{"late", "late1", "sooner"}) || l.Later != 2 {
		t.Errorf("horizon of two days: %v, later %d", ids, l.Later)
	}

	// An older projection leaves the follow-up as it is; a newer one out of the list's
	// reach (the journey closed) writes none.
	stale := followUpCase("late", "BLK-SBY", nil)
	stale.Version = 4
	must(t, st.UpsertCase(ctx, stale))
	if got, _ := st.GetCase(ctx, "late"); got.FollowUp == nil || got.FollowUp.Missed != 2 {
		t.Errorf("a stale write changed the follow-up: %+v", got.FollowUp)
	}
	done := followUpCase("late", "BLK-SBY", nil)
	done.Version, done.Stage, done.Status = 6, vocab.StageClosed, store.StatusClosed
	must(t, st.SyncCase(ctx, done, nil))
	if got, _ := st.GetCase(ctx, "late"); got.FollowUp != nil {
		t.Errorf("a closed case keeps its follow-up: %+v", got.FollowUp)
	}
	// SyncCase (the journey's write) writes the follow-up as UpsertCase does.
	again := followUpCase("unknown", "BLK-SBY", &store.FollowUp{Missed: 1})
	again.Version = 6
	must(t, st.SyncCase(ctx, again, nil))
	l, err = st.ListFollowUps(ctx, store.FollowUpFilter{Scope: sby, Due: due})
	must(t, err)
	if ids := caseIDs(l.Cases); !slices.Equal(ids, []string{"late1", "unknown", "sooner", "soon"}) || l.Unknown != 0 {
		t.Errorf("after the journeys wrote: %v, unknown %d", ids, l.Unknown)
	}
}
