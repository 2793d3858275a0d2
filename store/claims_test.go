package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/internal/testdb"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Two people's cases claim one KPJ at the same moment, many times over: each time exactly one
// gets it, and both are told the same holder.
func TestClaimNumberConcurrentOneWins(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	for round := range 20 {
		number := fmt.Sprintf("23%09d", round)
		claims := []store.NumberClaim{
			{Kind: store.NumberKPJ, Number: number, NIKHash: "hash-a", CaseID: "casea"},
			{Kind: store.NumberKPJ, Number: number, NIKHash: "hash-b", CaseID: "caseb"},
		}
		holders := make([]store.NumberClaim, len(claims))
		var wg sync.WaitGroup
		start := make(chan struct{})
		for i, c := range claims {
			wg.Go(func() {
				<-start
				h, err := st.ClaimNumber(ctx, c)
				if err != nil {
					t.Error(err)
				}
				holders[i] = h
			})
		}
		close(start)
		wg.Wait()
		if holders[0].CaseID == "" || holders[0].CaseID != holders[1].CaseID || holders[0].NIKHash != holders[1].NIKHash {
			t.Fatalf("round %d: holders %+v and %+v, want one and the same", round, holders[0], holders[1])
		}
		winners := 0
		for i, c := range claims {
			if !c.Conflicts(holders[i]) {
				winners++
			}
		}
		if winners != 1 {
			t.Fatalf("round %d: %d claims won, want exactly 1", round, winners)
		}
	}
}

// Claiming again is idempotent; the same person's second case keeps their KPJ; another person
// is told who holds it; a certificate number is a separate kind.
func TestClaimNumberSamePersonAndOtherPerson(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	first := store.NumberClaim{Kind: store.NumberKPJ, Number: "23000000001", NIKHash: "hash-a", CaseID: "casea"}
	h, err := st.ClaimNumber(ctx, first)
	must(t, err)
	if first.Conflicts(h) || h.CaseID != "casea" {
		t.Fatalf("first claim: holder %+v", h)
	}
	h, err = st.ClaimNumber(ctx, first)
	must(t, err)
	if first.Conflicts(h) || h.CaseID != "casea" {
		t.Fatalf("claiming again: holder %+v", h)
	}
	second := store.NumberClaim{Kind: store.NumberKPJ, Number: "23000000001", NIKHash: "hash-a", CaseID: "casea2"}
	h, err = st.ClaimNumber(ctx, second)
	must(t, err)
	if second.Conflicts(h) || h.CaseID != "casea" {
		t.Fatalf("the same person's second case: holder %+v, want casea's claim and no conflict", h)
	}
	other := store.NumberClaim{Kind: store.NumberKPJ, Number: "23000000001", NIKHash: "hash-b", CaseID: "caseb"}
	h, err = st.ClaimNumber(ctx, other)
	must(t, err)
	if !other.Conflicts(h) || h.CaseID != "casea" {
		t.Fatalf("another person: holder %+v, want a conflict with casea", h)
	}
	cert := store.NumberClaim{Kind: store.NumberCertificate, Number: "23000000001", NIKHash: "hash-b", CaseID: "caseb"}
	h, err = st.ClaimNumber(ctx, cert)
	must(t, err)
	if cert.Conflicts(h) {
		t.Fatalf("a certificate number is not a KPJ: holder %+v", h)
	}
	_, err = st.ClaimNumber(ctx, store.NumberClaim{Kind: store.NumberKPJ, Number: "", NIKHash: "x", CaseID: "y"})
	mustErrIs(t, err, store.ErrInvalid)
	_, err = st.NumberHolder(ctx, store.NumberKPJ, "nobody-has-it")
	mustErrIs(t, err, store.ErrNotFound)
}

// A projection claims the numbers it shows where they are free (journeys of older revisions do
// not claim), and one showing another person's number is written anyway and listed as a conflict.
func TestProjectionClaimsFreeNumbersAndListsConflicts(t *testing.T) {
	st := newStore(t)
	ctx := context.Background()
	a := caseWithNumbers("casea", "hash-a", "23000000007", "LSP-X/2027/000001")
	must(t, st.UpsertCase(ctx, a))
	h, err := st.NumberHolder(ctx, store.NumberKPJ, "23000000007")
	must(t, err)
	if h.CaseID != "casea" || h.NIKHash != "hash-a" {
		t.Fatalf("kpj holder %+v, want casea", h)
	}
	if _, err := st.NumberHolder(ctx, store.NumberCertificate, "LSP-X/2027/000001"); err != nil {
		t.Fatal(err)
	}
	b := caseWithNumbers("caseb", "hash-b", "23000000007", "")
	must(t, st.UpsertCase(ctx, b))
	got, err := st.GetCase(ctx, "caseb")
	must(t, err)
	if got.KPJ != "23000000007" {
		t.Fatalf("the projection was refused: kpj %q", got.KPJ)
	}
	conflicts, err := st.NumberConflicts(ctx)
	must(t, err)
	want := store.NumberConflict{Kind: store.NumberKPJ, Number: "23000000007", HolderCaseID: "casea", CaseID: "caseb"}
	if len(conflicts) != 1 || conflicts[0] != want {
		t.Fatalf("conflicts %+v, want [%+v]", conflicts, want)
	}
}

// A database holding duplicates from before the claims migrates: the first case to be insured
// or certified keeps each number, the others are listed, the same person's two cases are no
// conflict, and uniqueness holds from then on.
func TestClaimsMigrationKeepsTheFirstHolderOfDuplicates(t *testing.T) {
	ctx := context.Background()
	url := testdb.New(t)
	must(t, store.MigrateTo(ctx, url, 7))
	st, err := store.Open(ctx, url)
	must(t, err)
	defer st.Close()
	t0 := time.Date(2027, 3, 1, 8, 0, 0, 0, time.UTC)
	rows := []struct {
		c         store.Case
		insuredAt time.Time
		certAt    time.Time
	}{
		{caseWithNumbers("late00kpj0", "hash-a", "23000000001", "LSP/2027/000001"), t0.Add(time.Hour), t0.Add(2 * time.Hour)},
		{caseWithNumbers("early0kpj0", "hash-b", "23000000001", "LSP/2027/000001"), t0, t0.Add(3 * time.Hour)},
		{caseWithNumbers("again0kpj0", "hash-b", "23000000001", ""), t0.Add(4 * time.Hour), time.Time{}},
		{caseWithNumbers("alone0kpj0", "hash-c", "23000000002", ""), t0, time.Time{}},
	}
	for _, r := range rows {
		// The schema before the claims: insert the columns directly, as the old code wrote them.
		_, err := st.Pool().Exec(ctx, `INSERT INTO cases (case_id, workflow_id, package_code, nik_hash, kpj, certificate_no)
VALUES ($1, $2, 'P', $3, $4, $5)`, r.c.CaseID, r.c.WorkflowID, r.c.NIKHash, r.c.KPJ, r.c.CertificateNo)
		must(t, err)
		for kind, at := range map[string]time.Time{"insured": r.insuredAt, "certified": r.certAt} {
			if at.IsZero() {
				continue
			}
			_, err := st.Pool().Exec(ctx, `INSERT INTO case_events (case_id, event_key, kind, at) VALUES ($1, $2, $3, $4)`,
				r.c.CaseID, kind, kind, at)
			must(t, err)
		}
	}
	must(t, store.Migrate(ctx, url))
	for _, w := range []struct {
		kind   store.NumberKind
		number string
		holder string
	}{
		{store.NumberKPJ, "23000000001", "early0kpj0"},
		{store.NumberCertificate, "LSP/2027/000001", "late00kpj0"},
		{store.NumberKPJ, "23000000002", "alone0kpj0"},
	} {
		h, err := st.NumberHolder(ctx, w.kind, w.number)
		must(t, err)
		if h.CaseID != w.holder {
			t.Errorf("%s %s held by %s, want %s", w.kind, w.number, h.CaseID, w.holder)
		}
	}
	conflicts, err := st.NumberConflicts(ctx)
	must(t, err)
	want := []store.NumberConflict{
		{Kind: store.NumberCertificate, Number: "LSP/2027/000001", HolderCaseID: "late00kpj0", CaseID: "early0kpj0"},
		{Kind: store.NumberKPJ, Number: "23000000001", HolderCaseID: "early0kpj0", CaseID: "late00kpj0"},
	}
	if fmt.Sprint(conflicts) != fmt.Sprint(want) {
		t.Fatalf("conflicts %+v, want %+v", conflicts, want)
	}
	late := store.NumberClaim{Kind: store.NumberKPJ, Number: "23000000001", NIKHash: "hash-a", CaseID: "late00kpj0"}
	h, err := st.ClaimNumber(ctx, late)
	must(t, err)
	if !late.Conflicts(h) {
		t.Fatalf("after the migration the second holder's claim won: %+v", h)
	}
}

// caseWithNumbers is a read-model row of a case showing a KPJ and a certificate number.
func caseWithNumbers(id, nikHash, kpj, cert string) store.Case {
	return store.Case{
		CaseID: id, WorkflowID: "journey/P/" + id, PackageCode: "P", CentreCode: "BLK-SBY", NIKHash: nikHash,
		Stage: vocab.StagePlacement, KPJ: kpj, CertificateNo: cert, Version: 1,
	}
}
