package integration

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// The batch exchange: registrations wait in a queue, are exported to a spreadsheet, and the
// KPJ numbers of the returned file reach the waiting journeys, which go on to training. A bad
// row is reported with its row number, and importing the file again delivers nothing twice.
func TestBPJSBatchExchange(t *testing.T) {
	cfg := fastConfig(t)
	cfg.Partners.BPJS.Adapter = "batch"
	sys := startSystem(t, cfg)
	now := time.Now()
	var pkg store.Package
	if code := sys.call("POST", "/api/v1/packages", api.PackageRequest{
		Code: "IT-BATCH", Centre: "BLK-JBG", Trade: "Menjahit", Scheme: "SKM-JAHIT", LSP: "LSP-BLK-JBG",
		Start: now.Add(time.Hour).Format(time.RFC3339), End: now.Add(2 * time.Hour).Format(time.RFC3339), AutoApprove: true,
	}, &pkg); code != http.StatusCreated {
		t.Fatalf("create package: HTTP %d", code)
	}
	people := validPeople(t, pkg.StartDate, 2)
	var enrolled api.EnrolResponse
	sys.call("POST", "/api/v1/packages/IT-BATCH/enrolments", api.EnrolRequest{People: people}, &enrolled)
	for _, r := range enrolled.Results {
		sys.eventSeen(r.CaseID, "insurance-queued", 20*time.Second)
	}

	export, err := sys.client().ExportBatch(t.Context())
	if err != nil {
		t.Fatalf("export: %v", err)
	}
	if export.Status != http.StatusOK || export.Header.Get("X-Kompeten-Rows") != "2" {
		t.Fatalf("export: HTTP %d rows %q", export.Status, export.Header.Get("X-Kompeten-Rows"))
	}
	x, err := excelize.OpenReader(bytes.NewReader(export.Data))
	if err != nil {
		t.Fatal(err)
	}
	sheet, _ := x.GetRows(batch.SheetName)
	if len(sheet) != 3 {
		t.Fatalf("export sheet has %d rows, want header + 2", len(sheet))
	}
	found := 0
	for _, row := range sheet[1:] {
		for _, p := range people {
			for _, cell := range row {
				if cell == p.NIK {
					found++
				}
			}
		}
	}
	if found != 2 {
		t.Fatalf("the two NIKs should be in the export as text, found %d", found)
	}

	// The branch office returns the file with KPJ numbers, one of them mangled.
	ret := excelize.NewFile()
	s := ret.GetSheetName(0)
	_ = ret.SetSheetRow(s, "A1", &[]any{"case_ref", "kpj"})
	_ = ret.SetSheetRow(s, "A2", &[]any{enrolled.Results[0].CaseID, "12345678901"})
	_ = ret.SetSheetRow(s, "A3", &[]any{enrolled.Results[1].CaseID, "1.23457E+10"})
	var buf bytes.Buffer
	if err := ret.Write(&buf); err != nil {
		t.Fatal(err)
	}
	imp := postXLSX(t, sys, "rina", buf.Bytes())
	byCase := map[string]api.BatchImportRow{}
	for _, r := range imp.Rows {
		byCase[r.CaseRef] = r
	}
	if r := byCase[enrolled.Results[0].CaseID]; r.Outcome != "delivered" {
		t.Fatalf("good row: %+v", r)
	}
	if r := byCase[enrolled.Results[1].CaseID]; r.Outcome != "rejected" || r.Row != 3 || r.Reason == "" {
		t.Fatalf("mangled KPJ row: %+v, want rejected at row 3 with a reason", r)
	}
	c := sys.caseIn(enrolled.Results[0].CaseID, vocab.StageTraining, 20*time.Second)
	if c.KPJ != "12345678901" {
		t.Fatalf("KPJ in the read model = %q", c.KPJ)
	}
	// The second person still waits; the same file again delivers nothing new.
	again := postXLSX(t, sys, "rina", buf.Bytes())
	for _, r := range again.Rows {
		if r.CaseRef == enrolled.Results[0].CaseID && r.Outcome != "already-delivered" {
			t.Fatalf("re-import: %+v, want already-delivered", r)
		}
	}
	c2, _ := sys.store.GetCase(t.Context(), enrolled.Results[1].CaseID)
	if c2.Stage != vocab.StageInsurance || c2.KPJ != "" {
		t.Fatalf("second case: stage %s kpj %q, want still waiting in insurance", c2.Stage, c2.KPJ)
	}
}

// postXLSX imports a returned KPJ workbook as actor and requires the API to take it.
func postXLSX(t *testing.T, sys *system, actor string, body []byte) api.BatchImportResponse {
	t.Helper()
	out, err := sys.client().ImportBatch(t.Context(), actor, body)
	if err != nil {
		t.Fatalf("import: %v", err)
	}
	return out
}
