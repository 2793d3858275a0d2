package integration

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// requireConflict checks a case is stuck with code, waiting on party, naming itself and holder.
func requireConflict(t *testing.T, c store.Case, code vocab.Reason, party vocab.Party, holder string) {
	t.Helper()
	if !c.Stuck || c.StuckCode != code || c.WaitingOn != party {
		t.Fatalf("case %s: stuck %v %s waiting on %s, want %s on %s", c.CaseID, c.Stuck, c.StuckCode, c.WaitingOn, code, party)
	}
	if !strings.Contains(c.StuckReason, "case "+c.CaseID) || !strings.Contains(c.StuckReason, "belongs to case "+holder) {
		t.Fatalf("case %s: stuck reason %q does not name both cases (%s holds the number)", c.CaseID, c.StuckReason, holder)
	}
}

// BPJS hands trainee B the KPJ of trainee A, and later the LSP hands B the certificate number of
// A: each time B is held (kpj-conflict on the BPJS liaison, certificate-conflict on the LSP's
// certification manager) naming both cases, A's log notes it, B never shows A's number, and the
// person who can unblock it asks the partner again through the API, after which B gets a number
// of its own and the journey goes on.
func TestPartnerNumberConflictsHoldTheCaseUntilResolved(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Journey.AttendanceMode = "absence"
	sys := startSystemWith(t, cfg, systemOptions{Auth: true})
	ctx := context.Background()
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-CONFLICT", Centre: "BLK-SBY", Trade: "Las", Scheme: "SKM-LAS", LSP: "LSP-BLK-SBY",
		Start: now.Add(8 * time.Second).Format(time.RFC3339), End: now.Add(10 * time.Second).Format(time.RFC3339), Capacity: 4, AutoApprove: true})
	people := validPeople(t, pkg.StartDate, 2)
	a := enrol(t, sys, pkg.Code, people[:1])[0]
	aKPJ := sys.caseAfter(a, "insured", 30*time.Second).KPJ

	sys.sims.BPJS.HandOutNext(aKPJ)
	b := enrol(t, sys, pkg.Code, people[1:])[0]
	var held store.Case
	eventually(t, 30*time.Second, "case "+b+" held kpj-conflict", func() (bool, string) {
		held, _ = sys.store.GetCase(ctx, b)
		return held.StuckCode == vocab.StuckKPJConflict, string(held.StuckCode)
	})
	requireConflict(t, held, vocab.StuckKPJConflict, vocab.WaitingBPJS, a)
	if held.KPJ != "" {
		t.Fatalf("case %s shows KPJ %q while it is in conflict", b, held.KPJ)
	}
	if e := sys.eventSeen(a, "number-conflict", 10*time.Second); !strings.Contains(e.Detail, b) {
		t.Fatalf("case %s's log does not name case %s: %q", a, b, e.Detail)
	}

	path := "/api/v1/cases/" + b + "/number-conflict"
	admin := sys.as(sys.newToken("siti", vocab.RoleCentreAdmin, "BLK-SBY"))
	if code := admin.call("POST", path, workflows.NumberResolution{}, nil); code != http.StatusForbidden {
		t.Fatalf("a centre admin resolving a KPJ conflict: HTTP %d, want 403", code)
	}
	manager := sys.as(sys.newToken("budi", vocab.RoleLSPManager, "LSP-BLK-SBY"))
	var refusal api.ErrorBody
	if code := manager.call("POST", path, workflows.NumberResolution{}, &refusal); code != http.StatusUnprocessableEntity {
		t.Fatalf("an LSP manager resolving a KPJ conflict: HTTP %d, want the journey's 422", code)
	}
	liaison := sys.as(sys.newToken("rina", vocab.RoleInsurerLiaison))
	var eb api.ErrorBody
	if code := liaison.call("POST", path, workflows.NumberResolution{Note: "BPJS corrected the membership"}, &eb); code != http.StatusOK {
		t.Fatalf("the liaison asks BPJS again: HTTP %d %+v", code, eb)
	}
	bKPJ := sys.caseAfter(b, "insured", 30*time.Second).KPJ
	if bKPJ == aKPJ {
		t.Fatalf("case %s took case %s's KPJ %s", b, a, aKPJ)
	}

	// Certification: A first, then B gets A's certificate number from the LSP.
	lsp := sys.sims.LSPs["LSP-BLK-SBY"]
	mgr := workflows.Actor{ID: "budi", Role: vocab.RoleLSPManager}
	sys.caseIn(a, vocab.StageCertification, time.Minute)
	manager.approveCertification(mgr, a)
	aCert := sys.caseAfter(a, "certified", 30*time.Second).CertificateNo
	lsp.HandOutNext(aCert)
	sys.caseIn(b, vocab.StageCertification, time.Minute)
	manager.approveCertification(mgr, b)
	eventually(t, 30*time.Second, "case "+b+" held certificate-conflict", func() (bool, string) {
		held, _ = sys.store.GetCase(ctx, b)
		return held.StuckCode == vocab.StuckCertificateConflict, string(held.StuckCode)
	})
	requireConflict(t, held, vocab.StuckCertificateConflict, vocab.WaitingLSPManager, a)
	if code := liaison.call("POST", path, workflows.NumberResolution{}, nil); code != http.StatusUnprocessableEntity {
		t.Fatalf("the BPJS liaison resolving a certificate conflict: HTTP %d, want the journey's 422", code)
	}
	if code := manager.call("POST", path, workflows.NumberResolution{}, &eb); code != http.StatusOK {
		t.Fatalf("the LSP manager asks the LSP again: HTTP %d %+v", code, eb)
	}
	for _, id := range []string{a, b} {
		c := sys.caseIn(id, vocab.StageClosed, time.Minute)
		if c.Outcome != vocab.OutcomeNotPlaced {
			t.Errorf("case %s closed %s", id, c.Outcome)
		}
	}
	final, _ := sys.store.GetCase(ctx, b)
	if final.CertificateNo == "" || final.CertificateNo == aCert || final.KPJ != bKPJ {
		t.Fatalf("case %s: KPJ %q certificate %q (case %s has %q and %q)", b, final.KPJ, final.CertificateNo, a, aKPJ, aCert)
	}
	for _, n := range []struct {
		kind           store.NumberKind
		number, holder string
	}{{store.NumberKPJ, aKPJ, a}, {store.NumberKPJ, bKPJ, b}, {store.NumberCertificate, aCert, a}, {store.NumberCertificate, final.CertificateNo, b}} {
		if h, err := sys.store.NumberHolder(ctx, n.kind, n.number); err != nil || h.CaseID != n.holder {
			t.Errorf("%s %s held by %+v (%v), want case %s", n.kind, n.number, h, err, n.holder)
		}
	}
	recordHistories(t, sys, map[string]string{"journey-number-conflicts": b})
}

// caseAfter waits until a case's log has an event of kind and returns the case's row then.
func (s *system) caseAfter(caseID, kind string, within time.Duration) store.Case {
	s.t.Helper()
	s.eventSeen(caseID, kind, within)
	c, err := s.store.GetCase(context.Background(), caseID)
	if err != nil {
		s.t.Fatal(err)
	}
	return c
}

// The branch office returns one KPJ for two people in a batch file: the first row's case takes
// it, the second row is reported as a conflict naming the first case, and its case is held
// kpj-conflict; its registration is in the next export, and the corrected KPJ of the next
// returned file lets it go on.
func TestBatchFileWithOneKPJForTwoPeople(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Partners.BPJS.Adapter = "batch"
	sys := startSystem(t, cfg)
	now := time.Now()
	pkg := createPackage(t, sys, api.PackageRequest{Code: "IT-BATCH-DUP", Centre: "BLK-JBG", Trade: "Menjahit", Scheme: "SKM-JAHIT", LSP: "LSP-BLK-JBG",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true})
	ids := enrol(t, sys, pkg.Code, validPeople(t, pkg.StartDate, 2))
	for _, id := range ids {
		sys.eventSeen(id, "insurance-queued", 20*time.Second)
	}
	if rows := exportBatch(t, sys); rows != "2" {
		t.Fatalf("first export: %s rows, want 2", rows)
	}

	file := returnedFile(t, [][2]string{{ids[0], "23000000777"}, {ids[1], "23000000777"}})
	imp := postXLSX(t, sys, "rina", file)
	out := map[string]api.BatchImportRow{}
	for _, r := range imp.Rows {
		out[r.CaseRef] = r
	}
	if r := out[ids[0]]; r.Outcome != "delivered" {
		t.Fatalf("first row: %+v, want delivered", r)
	}
	if r := out[ids[1]]; r.Outcome != "conflict" || !strings.Contains(r.Reason, ids[0]) {
		t.Fatalf("second row: %+v, want a conflict naming case %s", r, ids[0])
	}
	if c := sys.caseIn(ids[0], vocab.StageTraining, 20*time.Second); c.KPJ != "23000000777" {
		t.Fatalf("first case: KPJ %q", c.KPJ)
	}
	var held store.Case
	eventually(t, 20*time.Second, "case "+ids[1]+" held kpj-conflict", func() (bool, string) {
		held, _ = sys.store.GetCase(t.Context(), ids[1])
		return held.StuckCode == vocab.StuckKPJConflict, string(held.StuckCode)
	})
	requireConflict(t, held, vocab.StuckKPJConflict, vocab.WaitingBPJS, ids[0])

	// The same file again changes nothing; the next export asks again for the second person only.
	again := postXLSX(t, sys, "rina", file)
	for _, r := range again.Rows {
		if want := map[string]string{ids[0]: "already-delivered", ids[1]: "conflict"}[r.CaseRef]; r.Outcome != want {
			t.Fatalf("re-import: %+v, want %s", r, want)
		}
	}
	if rows := exportBatch(t, sys); rows != "1" {
		t.Fatalf("export after the conflict: %s rows, want the second person's only", rows)
	}
	fixed := postXLSX(t, sys, "rina", returnedFile(t, [][2]string{{ids[1], "23000000778"}}))
	if len(fixed.Rows) != 1 || fixed.Rows[0].Outcome != "delivered" {
		t.Fatalf("corrected file: %+v", fixed.Rows)
	}
	if c := sys.caseIn(ids[1], vocab.StageTraining, 20*time.Second); c.KPJ != "23000000778" || c.Stuck {
		t.Fatalf("second case after the corrected file: KPJ %q stuck %v", c.KPJ, c.Stuck)
	}
	recordHistories(t, sys, map[string]string{"journey-batch-kpj-conflict": ids[1]})
}

// exportBatch takes the BPJS batch file and returns its row count.
func exportBatch(t *testing.T, sys *system) string {
	t.Helper()
	f, err := sys.client().ExportBatch(t.Context())
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	return f.Header.Get("X-Kompeten-Rows")
}

// returnedFile is a returned KPJ spreadsheet with one (case, KPJ) per row.
func returnedFile(t *testing.T, rows [][2]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	s := f.GetSheetName(0)
	if err := f.SetSheetRow(s, "A1", &[]any{"case_ref", "kpj"}); err != nil {
		t.Fatal(err)
	}
	for i, r := range rows {
		if err := f.SetSheetRow(s, fmt.Sprintf("A%d", i+2), &[]any{r[0], r[1]}); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
