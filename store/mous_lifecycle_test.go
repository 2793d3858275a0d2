package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

const seededSBY = "MOU/BPVP-SDA/LSP-BLK-SBY/2023"

func ptime(t time.Time) *time.Time { return &t }

// The coverage query follows what the agreement workflows write: status, validity, an early
// termination, and for a PKS its MoU too; the most specific agreement wins.
func TestCoveringFollowsLifecycle(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	on := day(2026, 3, 1)

	// A PKS for BLK-SBY and one scheme under the seeded MoU wins over the MoU for that centre.
	must(t, st.CreateAgreement(ctx, store.Agreement{Number: "PKS/SBY/1", Kind: agreement.KindPKS,
		Parent: seededSBY, PartnerCode: "LSP-BLK-SBY", Status: agreement.Active, SignedOn: ptime(day(2024, 1, 2)),
		ValidFrom: day(2024, 1, 2), ValidUntil: day(2027, 12, 31), Centres: []string{"BLK-SBY"}, Schemes: []string{"LAS"}}))
	a, err := st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "LAS", on)
	must(t, err)
	if a.Number != "PKS/SBY/1" || a.Kind != agreement.KindPKS || a.Parent != seededSBY {
		t.Fatalf("covering = %+v, want the PKS", a)
	}
	a, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SDA", "LAS", on)
	must(t, err)
	if a.Number != seededSBY {
		t.Fatalf("another centre: %s, want the MoU", a.Number)
	}

	// Expiring still covers; signed (validity not started) and draft do not.
	setStatus(t, st, seededSBY, agreement.Expiring)
	_, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SDA", "LAS", on)
	must(t, err)

	// A PKS never covers beyond its MoU: the MoU terminated early ends the PKS at once, even
	// before the PKS's own row says so.
	m, err := st.GetAgreement(ctx, seededSBY)
	must(t, err)
	m.Status, m.TerminatedOn, m.EndReason, m.Version = agreement.Terminated, ptime(day(2026, 2, 1)), "breach", m.Version+1
	must(t, st.UpsertAgreement(ctx, m))
	_, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "LAS", on)
	mustErrIs(t, err, store.ErrNotFound)

	// A termination dated in the future keeps covering the days before it.
	m.Status, m.TerminatedOn, m.Version = agreement.Active, ptime(day(2026, 3, 2)), m.Version+1
	must(t, st.UpsertAgreement(ctx, m))
	a, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "LAS", on)
	must(t, err)
	if a.Number != "PKS/SBY/1" {
		t.Fatalf("before the termination day: %s", a.Number)
	}
	_, err = st.Covering(ctx, "LSP-BLK-SBY", "BLK-SBY", "LAS", day(2026, 3, 2))
	mustErrIs(t, err, store.ErrNotFound)
	if got := m.LastDay(); !got.Equal(day(2026, 3, 1)) {
		t.Errorf("last day = %v", got)
	}

	// An older write is ignored.
	stale := m
	stale.Status, stale.Version = agreement.Draft, m.Version-1
	must(t, st.UpsertAgreement(ctx, stale))
	got, err := st.GetAgreement(ctx, seededSBY)
	must(t, err)
	if got.Status != agreement.Active || got.Version != m.Version || got.EndReason != "breach" {
		t.Fatalf("after a stale write: %+v", got)
	}
}

func TestCreateAgreementRefusals(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	ok := store.Agreement{Number: "MOU/NEW/1", PartnerCode: "LSP-BLK-JBG", ValidFrom: day(2026, 1, 1), ValidUntil: day(2027, 1, 1)}
	must(t, st.CreateAgreement(ctx, ok))
	a, err := st.GetAgreement(ctx, "MOU/NEW/1")
	must(t, err)
	if a.Status != agreement.Draft || a.SignedOn != nil || a.Kind != agreement.KindMoU || a.Centres == nil || a.Flags == nil {
		t.Fatalf("draft = %+v", a)
	}
	mustErrIs(t, st.CreateAgreement(ctx, ok), store.ErrExists)
	bad := ok
	bad.Number, bad.PartnerCode = "MOU/NEW/2", "LSP-NOPE"
	mustErrIs(t, st.CreateAgreement(ctx, bad), store.ErrInvalid)
	bad = ok
	bad.Number, bad.Kind = "PKS/NEW/1", agreement.KindPKS // no parent
	mustErrIs(t, st.CreateAgreement(ctx, bad), store.ErrInvalid)
	bad.Parent = "MOU/NOPE"
	mustErrIs(t, st.CreateAgreement(ctx, bad), store.ErrInvalid)
	bad = ok
	bad.Number, bad.ValidUntil = "MOU/NEW/3", day(2025, 1, 1)
	mustErrIs(t, st.CreateAgreement(ctx, bad), store.ErrInvalid)

	// Drafts are listed with the rest.
	mous, err := st.ListAgreements(ctx, store.AgreementFilter{})
	must(t, err)
	if len(mous) != 7 {
		t.Fatalf("%d mous", len(mous))
	}
	live, err := st.ListAgreements(ctx, store.AgreementFilter{PartnerCode: "LSP-BLK-JBG", LiveOnly: true})
	must(t, err)
	if len(live) != 2 {
		t.Fatalf("live JBG agreements = %d", len(live))
	}
}

func TestCertifiersForCentreAndScheme(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	on := day(2026, 3, 1)
	all, err := st.Certifiers(ctx, "BLK-SBY", "LAS", on)
	must(t, err)
	if len(all) != 5 {
		t.Fatalf("seeded: %d LSPs, want 5", len(all))
	}
	for _, n := range []string{"LSP-BLK-SDA", "LSP-BLK-SGS", "LSP-BLK-WNJ", "LSP-BLK-JBG"} {
		setStatus(t, st, store.SeedMoUNumber("BPVP-SDA", n, day(2023, 1, 19)), agreement.Terminated)
	}
	must(t, st.CreateAgreement(ctx, store.Agreement{Number: "MOU/JBG/LAS", PartnerCode: "LSP-BLK-JBG",
		Status: agreement.Active, ValidFrom: day(2026, 1, 1), ValidUntil: day(2026, 12, 31), Schemes: []string{"LAS"}}))
	got, err := st.Certifiers(ctx, "BLK-SBY", "LAS", on)
	must(t, err)
	if len(got) != 2 || got[0].PartnerCode != "LSP-BLK-JBG" || got[1].PartnerCode != "LSP-BLK-SBY" {
		t.Fatalf("certifiers = %+v", got)
	}
	got, err = st.Certifiers(ctx, "BLK-SBY", "JAHIT", on)
	must(t, err)
	if len(got) != 1 || got[0].PartnerCode != "LSP-BLK-SBY" {
		t.Fatalf("another scheme: %+v", got)
	}
}

// The journeys to tell when an agreement becomes active are found in the read model.
func TestWaitingAndDependentCases(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	start := time.Date(2026, 2, 1, 0, 0, 0, 0, time.UTC)
	createPackage(t, st, "PKG-LAS", start, start.AddDate(0, 1, 0)) // BLK-SBY, SKEMA-LAS-SMAW, LSP-BLK-SBY
	put := func(id string, stage vocab.Stage, waiting vocab.Party, stuckCode vocab.Reason) {
		t.Helper()
		must(t, st.UpsertCase(ctx, store.Case{CaseID: id, WorkflowID: "wf-" + id, PackageCode: "PKG-LAS",
			CentreCode: "BLK-SBY", LSPCode: "LSP-BLK-SBY", Stage: stage, WaitingOn: waiting,
			Stuck: stuckCode != "", StuckCode: stuckCode, Version: 1}))
	}
	put("a1", "assessment", "agreement", "no-agreement")
	put("a2", "assessment", "lsp", "")
	put("i1", "insurance", "agreement", "no-agreement")
	put("t1", "training", "", "")
	put("p1", "placement", "participant", "")

	sc := store.CaseScope{PartnerCode: "LSP-BLK-SBY", PartnerKind: "certifier"}
	w, err := st.WaitingForAgreement(ctx, sc)
	must(t, err)
	if len(w) != 1 || w[0].CaseID != "a1" || w[0].WorkflowID != "wf-a1" || w[0].Scheme != "SKEMA-LAS-SMAW" {
		t.Fatalf("waiting for the LSP = %+v", w)
	}
	w, err = st.WaitingForAgreement(ctx, store.CaseScope{PartnerCode: "BPJSTK-JATIM", PartnerKind: "insurer"})
	must(t, err)
	if len(w) != 1 || w[0].CaseID != "i1" {
		t.Fatalf("waiting for the insurer = %+v", w)
	}
	// Out of scope: another centre, another scheme, another LSP.
	for _, other := range []store.CaseScope{
		{PartnerCode: "LSP-BLK-SBY", PartnerKind: "certifier", Centres: []string{"BLK-SDA"}},
		{PartnerCode: "LSP-BLK-SBY", PartnerKind: "certifier", Schemes: []string{"JAHIT"}},
		{PartnerCode: "LSP-BLK-SDA", PartnerKind: "certifier"},
	} {
		w, err = st.WaitingForAgreement(ctx, other)
		must(t, err)
		if len(w) != 0 {
			t.Fatalf("scope %+v: %+v", other, w)
		}
	}

	dep, err := st.DependentCases(ctx, sc, 0)
	must(t, err)
	if len(dep) != 4 || dep[0].CaseID != "a1" || !dep[0].Stuck {
		t.Fatalf("dependent on the LSP = %+v", dep)
	}
	n, err := st.CountDependentCases(ctx, store.CaseScope{PartnerCode: "BPJSTK-JATIM", PartnerKind: "insurer", Centres: []string{"BLK-SBY"}})
	must(t, err)
	if n != 2 { // i1 in insurance, t1 in training
		t.Fatalf("dependent on the insurer = %d", n)
	}
	dep, err = st.DependentCases(ctx, sc, 2)
	must(t, err)
	if len(dep) != 2 {
		t.Fatalf("limit 2: %d", len(dep))
	}
}

func TestAgreementEventsAreIdempotent(t *testing.T) {
	ctx := context.Background()
	st := newStore(t)
	at := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	evs := []store.AgreementEvent{
		{Number: seededSBY, Key: "000001", Kind: "active", Detail: "in force", At: at},
		{Number: seededSBY, Key: "000002", Kind: "reminder", Detail: "90 days left", At: at.Add(time.Hour)},
	}
	must(t, st.AppendAgreementEvents(ctx, evs))
	must(t, st.AppendAgreementEvents(ctx, evs))
	got, err := st.AgreementEvents(ctx, seededSBY)
	must(t, err)
	if len(got) != 2 || got[1].Kind != "reminder" || !got[0].At.Equal(at) {
		t.Fatalf("events = %+v", got)
	}
	mustErrIs(t, st.AppendAgreementEvents(ctx, []store.AgreementEvent{{Number: seededSBY, Kind: "x"}}), store.ErrInvalid)
}
