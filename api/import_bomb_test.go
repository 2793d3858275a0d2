package api

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe/bombtest"
)

// The BPJS batch import refuses a 1 MiB spreadsheet bomb (340 MiB unzipped) with 413 and a
// message saying what was refused, allocating little: the issue measured 1.06 GB kept by the
// process for a 256 KB bomb. The server has no store, so a file that got past the limits
// would panic, not pass.
func TestBatchImportRefusesASpreadsheetBomb(t *testing.T) {
	bomb := bombtest.Bomb(t, []string{"case_ref", "kpj"})
	h := (&Server{}).Handler()
	req := httptest.NewRequest("POST", "/api/v1/insurance/batch/import?actor=liaison", bytes.NewReader(bomb))
	req.Header.Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	rec := httptest.NewRecorder()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	h.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "spreadsheet refused: it unzips to more than 64 MiB (xl/worksheets/sheet1.xml alone is 340 MiB)") {
		t.Fatalf("HTTP %d %s", rec.Code, rec.Body.String())
	}
	took := after.TotalAlloc - before.TotalAlloc
	t.Logf("refused after allocating %d KiB: %s", took>>10, strings.TrimSpace(rec.Body.String()))
	if took > 32<<20 {
		t.Fatalf("refusing the bomb allocated %d MiB", took>>20)
	}
}

// A returned file small unzipped but with a row a million rows down is refused too, naming
// the limit, not read into a million-row grid.
func TestBatchImportRefusesTooManyRows(t *testing.T) {
	book := bombtest.Workbook(t, []string{"case_ref", "kpj"}, `<row r="1000000"><c r="A1000000"><v>1</v></c></row>`, 1)
	h := (&Server{}).Handler()
	req := httptest.NewRequest("POST", "/api/v1/insurance/batch/import?actor=liaison", bytes.NewReader(book))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), `has more than 20000 rows`) {
		t.Fatalf("HTTP %d %s", rec.Code, rec.Body.String())
	}
}
