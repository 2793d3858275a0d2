package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

var opsT0 = time.Date(2026, 3, 1, 8, 0, 0, 0, time.UTC)

// stuckCase is an open case stuck since opsT0 + h hours.
func stuckCase(id, centre, lsp string, stage vocab.Stage, code vocab.Reason, waiting vocab.Party, h int) store.Case {
	c := newCase(id, "P1", "h-"+id, 1)
	c.CentreCode, c.LSPCode, c.Stage, c.WaitingOn = centre, lsp, stage, waiting
	since := opsT0.Add(time.Duration(h) * time.Hour)
	c.Stuck, c.StuckCode, c.StuckReason, c.StuckSince = true, code, string(code)+" reason", &since
	return c
}

func caseIDs(cs []store.Case) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.CaseID)
	}
	return out
}

func TestStuckCasesFiltersAndOrder(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	for _, c := range []store.Case{
		stuckCase("S1", "BLK-SBY", "LSP-BLK-SBY", "insurance", "partner-failing", "bpjs", 5),
		stuckCase("S2", "BLK-SBY", "LSP-BLK-SBY", "enrolment", "approval-overdue", "centre-admin", 1),
		stuckCase("S3", "BLK-TBN", "LSP-LOGAM", "certification", "approval-overdue", "lsp-manager", 3),
		stuckCase("S4", "BLK-TBN", "LSP-LOGAM", "assessment", "no-agreement", "agreement", 2),
		newCase("N1", "P1", "h-n1", 1), // not stuck
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	cases := []struct {
		f     store.StuckFilter
		want  []string
		total int
	}{
		{store.StuckFilter{}, []string{"S2", "S4", "S3", "S1"}, 4},
		{store.StuckFilter{CentreCode: "BLK-SBY"}, []string{"S2", "S1"}, 2},
		{store.StuckFilter{LSPCode: "LSP-LOGAM"}, []string{"S4", "S3"}, 2},
		{store.StuckFilter{Stage: "certification"}, []string{"S3"}, 1},
		{store.StuckFilter{Reason: "approval-overdue"}, []string{"S2", "S3"}, 2},
		{store.StuckFilter{Reason: "approval-overdue", CentreCode: "BLK-TBN"}, []string{"S3"}, 1},
		{store.StuckFilter{Limit: 2}, []string{"S2", "S4"}, 4},
		{store.StuckFilter{Limit: 2, Offset: 2}, []string{"S3", "S1"}, 4},
		{store.StuckFilter{Reason: "nothing-like-this"}, []string{}, 0},
	}
	for _, tc := range cases {
		page, err := st.StuckCases(ctx, tc.f)
		must(t, err)
		if got := caseIDs(page.Cases); !slices.Equal(got, tc.want) || page.Total != tc.total {
			t.Errorf("%+v: got %v (total %d), want %v (total %d)", tc.f, got, page.Total, tc.want, tc.total)
		}
	}

	groups, err := st.StuckGroups(ctx)
	must(t, err)
	if len(groups) != 4 {
		t.Fatalf("groups = %+v", groups)
	}
	// Two cases of one group: counted together, the oldest named.
	more := stuckCase("S5", "BLK-SBY", "LSP-BLK-SBY", "insurance", "partner-failing", "bpjs", 0)
	must(t, st.UpsertCase(ctx, more))
	groups, err = st.StuckGroups(ctx)
	must(t, err)
	var found bool
	for _, g := range groups {
		if g.CentreCode == "BLK-SBY" && g.Reason == "partner-failing" {
			found = true
			if g.Count != 2 || g.OldestCase != "S5" || !g.Oldest.Equal(opsT0) || g.WaitingOn != "bpjs" {
				t.Errorf("group %+v", g)
			}
		}
	}
	if !found {
		t.Fatalf("no BLK-SBY partner-failing group in %+v", groups)
	}
}

func TestWaitingCases(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	mk := func(id, centre, lsp string, stage vocab.Stage, waiting vocab.Party, status string, h int) store.Case {
		c := newCase(id, "P1", "h-"+id, 1)
		c.CentreCode, c.LSPCode, c.Stage, c.WaitingOn, c.Status = centre, lsp, stage, waiting, status
		c.StageEnteredAt = opsT0.Add(time.Duration(h) * time.Hour)
		return c
	}
	for _, c := range []store.Case{
		mk("E1", "BLK-SBY", "LSP-BLK-SBY", "enrolment", "centre-admin", "open", 3),
		mk("E2", "BLK-TBN", "LSP-LOGAM", "enrolment", "centre-admin", "open", 1),
		mk("E3", "BLK-SBY", "LSP-BLK-SBY", "enrolment", "", "open", 0), // checks still running
		mk("C1", "BLK-SBY", "LSP-LOGAM", "certification", "lsp-manager", "open", 2),
		mk("P1", "BLK-SBY", "LSP-BLK-SBY", "placement", "centre-admin", "open", 0), // follow-up, not an approval
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	check := func(f store.WaitFilter, want []string) {
		t.Helper()
		total, cs, err := st.WaitingCases(ctx, f)
		must(t, err)
		if got := caseIDs(cs); !slices.Equal(got, want) || total != len(want) && f.Limit == 0 {
			t.Errorf("%+v: got %v (total %d), want %v", f, got, total, want)
		}
	}
	check(store.WaitFilter{WaitingOn: "centre-admin", Stage: "enrolment"}, []string{"E2", "E1"})
	check(store.WaitFilter{WaitingOn: "centre-admin", Stage: "enrolment", CentreCode: "BLK-SBY"}, []string{"E1"})
	check(store.WaitFilter{WaitingOn: "lsp-manager", Stage: "certification"}, []string{"C1"})
	check(store.WaitFilter{WaitingOn: "lsp-manager", Stage: "certification", LSPCode: "LSP-BLK-SBY"}, []string{})
	total, cs, err := st.WaitingCases(ctx, store.WaitFilter{WaitingOn: "centre-admin", Stage: "enrolment", Limit: 1})
	must(t, err)
	if total != 2 || len(cs) != 1 || cs[0].CaseID != "E2" {
		t.Errorf("limit 1: total %d, %v", total, caseIDs(cs))
	}
	if _, _, err := st.WaitingCases(ctx, store.WaitFilter{WaitingOn: "centre-admin"}); err == nil {
		t.Error("a wait without a stage was accepted")
	}
}

func TestFunnelsAndPlacementRates(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	month := 30 * 24 * time.Hour
	now := opsT0.Add(400 * 24 * time.Hour)
	at := func(d time.Duration) *time.Time { v := now.Add(-d); return &v }
	mk := func(id, centre string, m store.Milestones, status string) store.Case {
		c := newCase(id, "P1", "h-"+id, 1)
		c.CentreCode, c.Milestones, c.Status = centre, m, status
		return c
	}
	grad := store.Milestones{Enrolled: true, Insured: true, Graduated: true, Assessed: true, Competent: true, Certified: true}
	with := func(m store.Milestones, graduated *time.Time, category vocab.Placement, placed *time.Time) store.Milestones {
		m.GraduatedOn, m.PlacementCategory, m.PlacedOn = graduated, category, placed
		return m
	}
	for _, c := range []store.Case{
		// BLK-SBY: graduated 13 months ago, placed 2 months after graduation: counts at 6 and 12.
		mk("A", "BLK-SBY", with(grad, at(13*month), "formal", at(11*month)), "closed"),
		// Graduated 13 months ago, placed 8 months after: only at 12.
		mk("B", "BLK-SBY", with(grad, at(13*month), "self-employed", at(5*month)), "closed"),
		// Graduated 13 months ago, continuing study: a graduate, never placed.
		mk("C", "BLK-SBY", with(grad, at(13*month), "continuing-study", at(12*month)), "closed"),
		// Graduated 7 months ago, informal 1 month after: counts at 6; too young for 12.
		mk("D", "BLK-SBY", with(grad, at(7*month), "informal", at(6*month)), "closed"),
		// Graduated 2 months ago: too young for either.
		mk("E", "BLK-SBY", with(grad, at(2*month), "", nil), "open"),
		// Enrolled only, stuck.
		mk("F", "BLK-SBY", store.Milestones{Enrolled: true}, "open"),
		// Another centre: rejected.
		mk("G", "BLK-TBN", store.Milestones{}, "closed"),
	} {
		must(t, st.UpsertCase(ctx, c))
	}
	f := stuckCase("F", "BLK-SBY", "LSP-BLK-SBY", "insurance", "partner-failing", "bpjs", 1)
	f.Milestones = store.Milestones{Enrolled: true}
	f.Version = 2
	must(t, st.UpsertCase(ctx, f))

	fs, err := st.Funnels(ctx, now, month)
	must(t, err)
	if len(fs) != 2 || fs[0].CentreCode != "BLK-SBY" || fs[1].CentreCode != "BLK-TBN" {
		t.Fatalf("funnels %+v", fs)
	}
	sby := fs[0]
	want := store.Funnel{CentreCode: "BLK-SBY", Cases: 6, Enrolled: 6, Insured: 5, Trained: 5, Assessed: 5, Competent: 5,
		Certified: 5, Placed: 3, Open: 2, Stuck: 1,
		Rate6: store.PlacementRate{Placed: 2, Graduates: 4}, Rate12: store.PlacementRate{Placed: 2, Graduates: 3}}
	want.Rate6.Rate, want.Rate12.Rate = sby.Rate6.Rate, sby.Rate12.Rate
	if sby != want {
		t.Fatalf("BLK-SBY funnel\n got %+v\nwant %+v", sby, want)
	}
	if sby.Rate6.Rate == nil || *sby.Rate6.Rate != 0.5 || sby.Rate12.Rate == nil || *sby.Rate12.Rate != 2.0/3 {
		t.Fatalf("rates %v %v", sby.Rate6.Rate, sby.Rate12.Rate)
	}
	if tbn := fs[1]; tbn.Cases != 1 || tbn.Enrolled != 0 || tbn.Rate6.Rate != nil {
		t.Fatalf("BLK-TBN funnel %+v", tbn)
	}
	var total store.Funnel
	for _, f := range fs {
		total.Add(f)
	}
	if total.Cases != 7 || total.Placed != 3 || total.Rate12.Graduates != 3 || *total.Rate6.Rate != 0.5 {
		t.Fatalf("total %+v", total)
	}
}

func TestTracerStudy(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	createPackage(t, st, "P1", day(2026, 1, 5), day(2026, 2, 5))
	grad := func(id string, category vocab.Placement, status string) store.Case {
		c := newCase(id, "P1", "h-"+id, 1)
		g := day(2026, 2, 5)
		c.Status, c.Stage = status, "placement"
		if status == "closed" {
			c.Stage = "closed"
		}
		c.Milestones = store.Milestones{Enrolled: true, Insured: true, Graduated: true, GraduatedOn: &g, PlacementCategory: category}
		return c
	}
	dropout := newCase("X", "P1", "h-x", 1)
	// Graduated, but still waiting for the certificate: not yet in follow-up.
	assessing := grad("H", "", "open")
	assessing.Stage = "certification"
	for _, c := range []store.Case{grad("A", "formal", "closed"), grad("B", "formal", "closed"), grad("C", "informal", "closed"),
		grad("D", "self-employed", "closed"), grad("E", "continuing-study", "closed"), grad("F", "", "closed"),
		grad("G", "", "open"), assessing, dropout} {
		must(t, st.UpsertCase(ctx, c))
	}
	rows, err := st.TracerStudy(ctx)
	must(t, err)
	want := store.TracerRow{CentreCode: "BLK-SBY", CentreName: rows[0].CentreName, Trade: "Welding", Graduates: 8, Formal: 2,
		Informal: 1, SelfEmployed: 1, ContinuingStudy: 1, NotPlaced: 1, InFollowUp: 1, InAssessment: 1}
	if len(rows) != 1 || rows[0] != want || rows[0].CentreName == "" || rows[0].Placed() != 4 {
		t.Fatalf("tracer rows %+v", rows)
	}
}

// An escalation mark survives the journey's next projection, like attempts do.
func TestMarkEscalatedSurvivesProjection(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	c := stuckCase("S1", "BLK-SBY", "LSP-BLK-SBY", "insurance", "partner-failing", "bpjs", 1)
	must(t, st.UpsertCase(ctx, c))
	must(t, st.MarkEscalated(ctx, "S1", "insurer-liaison", opsT0.Add(3*time.Hour)))
	c.Version = 2
	must(t, st.UpsertCase(ctx, c))
	got, err := st.GetCase(ctx, "S1")
	must(t, err)
	if got.EscalatedAt == nil || !got.EscalatedAt.Equal(opsT0.Add(3*time.Hour)) || got.EscalatedTo != "insurer-liaison" {
		t.Fatalf("escalation lost: %v %q", got.EscalatedAt, got.EscalatedTo)
	}
	mustErrIs(t, st.MarkEscalated(ctx, "nope", "operator", opsT0), store.ErrNotFound)
}

func TestSeedSynthetic(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	must(t, st.SeedSynthetic(ctx, 2000, 7, opsT0))
	n, err := st.CountCases(ctx, store.CaseFilter{})
	must(t, err)
	if n != 2000 {
		t.Fatalf("%d cases, want 2000", n)
	}
	page, err := st.StuckCases(ctx, store.StuckFilter{Limit: 10})
	must(t, err)
	// About 6% stuck; every stuck case has a reason and a time.
	if page.Total < 60 || page.Total > 200 {
		t.Fatalf("%d stuck of 2000", page.Total)
	}
	for _, c := range page.Cases {
		if c.StuckCode == "" || c.StuckReason == "" || c.StuckSince == nil {
			t.Fatalf("stuck case without reason: %+v", c)
		}
	}
	fs, err := st.Funnels(ctx, opsT0, 30*24*time.Hour)
	must(t, err)
	var total store.Funnel
	for _, f := range fs {
		total.Add(f)
	}
	// A funnel narrows at every step.
	steps := []int{total.Cases, total.Enrolled, total.Insured, total.Trained, total.Assessed, total.Competent, total.Certified}
	for i := 1; i < len(steps); i++ {
		if steps[i] > steps[i-1] || steps[i] == 0 {
			t.Fatalf("funnel does not narrow: %v", steps)
		}
	}
	if len(fs) != 19 || total.Placed == 0 || total.Rate12.Rate == nil {
		t.Fatalf("%d centres, total %+v", len(fs), total)
	}
	// The same seed gives the same data.
	st2 := newStore(t)
	must(t, st2.SeedSynthetic(ctx, 2000, 7, opsT0))
	page2, err := st2.StuckCases(ctx, store.StuckFilter{Limit: 10})
	must(t, err)
	if !slices.Equal(caseIDs(page.Cases), caseIDs(page2.Cases)) {
		t.Fatal("same seed, different data")
	}
}
