package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// TestTracerChannels counts follow-ups by channel: links sent and answered, placements reported
// by the graduate and by staff; a case not yet in follow-up and a dropout are not counted.
func TestTracerChannels(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	createPackage(t, st, "P1", day(2026, 1, 5), day(2026, 2, 5))
	grad := func(id string, category vocab.Placement, self bool, outcome vocab.Outcome) store.Case {
		c := newCase(id, "P1", "h-"+id, 1)
		g := day(2026, 2, 5)
		c.Status, c.Stage, c.Outcome = "open", "placement", outcome
		if category != "" || outcome != "" {
			c.Status, c.Stage = "closed", "closed"
		}
		c.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, GraduatedOn: &g,
			PlacementCategory: category, PlacementSelfReported: self}
		return c
	}
	assessing := grad("H", "", false, "")
	assessing.Stage = "certification"
	for _, c := range []store.Case{
		grad("A", vocab.PlacementFormal, true, vocab.OutcomePlacedFormal),       // linked, answered, placed by self-report
		grad("B", vocab.PlacementContinuingStudy, true, vocab.OutcomeNotPlaced), // linked, answered, not placed
		grad("C", "", false, ""), // linked, answered "still looking", open
		grad("D", "", false, ""), // linked, no answer, open
		grad("E", vocab.PlacementInformal, false, vocab.OutcomePlacedInformal),   // staff, placed
		grad("F", vocab.PlacementContinuingStudy, false, vocab.OutcomeNotPlaced), // staff, not placed
		grad("G", "", false, vocab.OutcomeNotPlaced),                             // no report by the last follow-up
		assessing, newCase("X", "P1", "h-x", 1),
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	now := time.Now()
	for _, l := range []struct {
		id, caseID string
		used       bool
	}{{"l-a", "A", true}, {"l-b", "B", true}, {"l-c", "C", true}, {"l-d", "D", false}, {"l-d2", "D", false}} {
		must(t, st.CreateSelfReportLink(ctx, store.SelfReportLink{ID: l.id, CaseID: l.caseID, Month: 1, CreatedAt: now, ExpiresAt: now.Add(time.Hour)}))
		if l.used {
			_, err := st.UseSelfReportLink(ctx, l.id, "x", now)
			must(t, err)
		}
	}
	rows, err := st.TracerChannelsIn(ctx, store.Scope{})
	must(t, err)
	want := store.ChannelRow{CentreCode: "BLK-SBY", FollowUps: 7, Linked: 4, SelfAnswered: 3, SelfPlaced: 1, StaffReported: 2, StaffPlaced: 1}
	if len(rows) != 1 {
		t.Fatalf("rows %+v", rows)
	}
	got := rows[0]
	got.CentreName = ""
	if got != want {
		t.Fatalf("channels = %+v, want %+v", got, want)
	}
	if r := rows[0]; r.SelfResponseRate() != 0.75 || r.StaffPlacementRate() != 0.5 {
		t.Errorf("rates: self response %v, staff placement %v", r.SelfResponseRate(), r.StaffPlacementRate())
	}
	none, err := st.TracerChannelsIn(ctx, store.Scope{CentreCodes: []string{"BLK-TBN"}})
	must(t, err)
	if len(none) != 0 {
		t.Errorf("another centre's scope counts %+v", none)
	}
}
