package api_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// The packages list downloads whole, a batch at a time: with batches of 4, the 11 packages take
// three batches (the last one short), and every one arrives in plain CSV, in Excel's CSV (';'
// and a BOM, times in the WIB asked for) and in XLSX (its filter reaching the last row).
func TestPackagesExportStreamsEveryRow(t *testing.T) {
	s := newOpsServer(t)
	defer api.SetExportBatch(4)()
	ctx := context.Background()
	start := time.Date(2027, 3, 1, 17, 0, 0, 0, time.UTC) // 2 March 00:00 in WIB
	var want []string
	for i := range 11 {
		code := fmt.Sprintf("PKG-%02d", i)
		if err := s.store.CreatePackage(ctx, store.Package{Code: code, CentreCode: "BLK-SBY", Trade: "Las; listrik", Scheme: "SKEMA-LAS-SMAW",
			LSPCode: "LSP-BLK-SBY", StartDate: start.AddDate(0, 0, i), EndDate: start.AddDate(0, 1, i), Capacity: 16}); err != nil {
			t.Fatal(err)
		}
		want = append(want, code)
	}
	plain := s.getCSV("/api/v1/packages?format=csv")
	if got := sortedColumn(t, plain, "code"); !slices.Equal(got, want) {
		t.Errorf("plain CSV: %d rows %v, want %v", len(got), got, want)
	}
	if got := sortedColumn(t, plain, "start"); !slices.Contains(got, "2027-03-01T17:00:00Z") {
		t.Errorf("plain CSV: start times not in UTC RFC 3339: %v", got)
	}
	_, _, excel := s.do("GET", "/api/v1/packages?format=csv&dialect=excel&centre=BLK-SBY&zone=WIB", nil)
	if !bytes.HasPrefix(excel, []byte("\uFEFFcode;centre;")) {
		t.Errorf("Excel CSV: no BOM and ';' header: %.60q", excel)
	}
	if n := bytes.Count(excel, []byte("\n")); n != len(want)+1 {
		t.Errorf("Excel CSV: %d lines, want %d", n, len(want)+1)
	}
	if !bytes.Contains(excel, []byte(`;"Las; listrik";`)) || !bytes.Contains(excel, []byte(";2027-03-02 00:00:00;")) {
		t.Errorf("Excel CSV: a ';' in a cell is not quoted or the times are not in WIB: %.400q", excel)
	}
	code, ctype, data := s.do("GET", "/api/v1/packages?format=xlsx", nil)
	if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
		t.Fatalf("xlsx: HTTP %d %s %s", code, ctype, data)
	}
	f, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	rows, err := f.GetRows("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	if got := sortedColumn(t, rows, "code"); !slices.Equal(got, want) {
		t.Errorf("XLSX: %d rows %v, want %v", len(got), got, want)
	}
	last := fmt.Sprintf("$%d", len(want)+1)
	found := false
	for _, n := range f.GetDefinedName() {
		found = found || n.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(n.RefersTo, last)
	}
	if !found {
		t.Errorf("XLSX: the filter does not reach the last row (%s): %+v", last, f.GetDefinedName())
	}
	// Another centre's download has the header only; an unknown format is refused.
	if other := s.getCSV("/api/v1/packages?format=csv&centre=BLK-NONE"); len(other) != 1 {
		t.Errorf("another centre's packages: %v", other)
	}
	if code, _, _ := s.do("GET", "/api/v1/packages?format=pdf", nil); code != 400 {
		t.Errorf("format=pdf: HTTP %d, want 400", code)
	}
}
