package batch_test

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/partners"
	"github.com/bpvp-sidoarjo/kompeten/partners/batch"
)

func exportRows() []batch.ExportRow {
	var rows []batch.ExportRow
	for i := 1; i <= 6; i++ {
		rows = append(rows, batch.ExportRow{
			CaseRef: fmt.Sprintf("case-%d", i),
			Registration: partners.Registration{
				NIK:           fmt.Sprintf("01150141019900%02d", i), // leading zero must survive
				Name:          fmt.Sprintf("Peserta %d", i),
				BirthDate:     time.Date(1999, 1, i, 0, 0, 0, 0, time.UTC),
				Phone:         "081234567890",
				CentreCode:    "BLK-SDA",
				CoverageStart: time.Date(2027, 3, 1, 0, 0, 0, 0, time.UTC),
				CoverageEnd:   time.Date(2027, 4, 30, 0, 0, 0, 0, time.UTC),
				MonthlyFee:    16_800,
			},
		})
	}
	return rows
}

func TestExportLayout(t *testing.T) {
	var buf bytes.Buffer
	if err := batch.WriteExport(&buf, exportRows()); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); len(got) != 1 || got[0] != batch.SheetName {
		t.Fatalf("sheets %v", got)
	}
	rows, err := f.GetRows(batch.SheetName)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || rows[0][0] != "Case Ref" || rows[0][9] != "KPJ" {
		t.Fatalf("rows %q", rows)
	}
	want := []string{"case-1", "Peserta 1", "0115014101990001", "1999-01-01", "081234567890", "BLK-SDA", "2027-03-01", "2027-04-30", "16800"}
	for i, w := range want {
		if rows[1][i] != w {
			t.Errorf("row 2 column %d: %q, want %q", i+1, rows[1][i], w)
		}
	}
	typ, err := f.GetCellType(batch.SheetName, "C2")
	if err != nil || (typ != excelize.CellTypeSharedString && typ != excelize.CellTypeInlineString) {
		t.Errorf("NIK cell type %v (%v), want a string cell", typ, err)
	}
}

func TestExportRejectsMissingCaseRef(t *testing.T) {
	rows := exportRows()
	rows[2].CaseRef = ""
	if err := batch.WriteExport(&bytes.Buffer{}, rows); err == nil {
		t.Fatal("want error")
	}
}

// fill opens an exported workbook, lets set fill cells, and returns the saved bytes.
func fill(t *testing.T, export []byte, set func(f *excelize.File)) *bytes.Buffer {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(export))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	set(f)
	var out bytes.Buffer
	if err := f.Write(&out); err != nil {
		t.Fatal(err)
	}
	return &out
}

func TestRoundTripWithBadKPJRows(t *testing.T) {
	var buf bytes.Buffer
	if err := batch.WriteExport(&buf, exportRows()); err != nil {
		t.Fatal(err)
	}
	s := batch.SheetName
	ret := fill(t, buf.Bytes(), func(f *excelize.File) {
		must(t, f.SetCellStr(s, "J2", "23000000001"))
		must(t, f.SetCellInt(s, "J3", 23000000002))   // typed as a number: 11 digits survive
		must(t, f.SetCellStr(s, "J4", "2.30000E+10")) // pasted from a number column
		must(t, f.SetCellStr(s, "J5", "230000003"))   // leading zeros lost
		// J6 left empty: not processed by the branch office
		must(t, f.SetCellStr(s, "J7", " 23000000006 "))
		must(t, f.SetCellStr(s, "A8", "case-1")) // duplicate case ref
		must(t, f.SetCellStr(s, "J8", "23000000009"))
	})
	rows, rowErrs, err := batch.ReadReturn(ret)
	if err != nil {
		t.Fatal(err)
	}
	wantRows := []batch.ReturnRow{
		{Row: 2, CaseRef: "case-1", KPJ: "23000000001"},
		{Row: 3, CaseRef: "case-2", KPJ: "23000000002"},
		{Row: 7, CaseRef: "case-6", KPJ: "23000000006"},
	}
	if fmt.Sprint(rows) != fmt.Sprint(wantRows) {
		t.Errorf("rows %+v\nwant %+v", rows, wantRows)
	}
	wantErrs := map[int]string{4: "scientific notation", 5: "11 digits, found 9", 6: "KPJ is empty", 8: "first on row 2"}
	if len(rowErrs) != len(wantErrs) {
		t.Errorf("row errors %v", rowErrs)
	}
	for _, re := range rowErrs {
		if !strings.Contains(re.Reason, wantErrs[re.Row]) || wantErrs[re.Row] == "" {
			t.Errorf("row %d: reason %q, want it to contain %q", re.Row, re.Reason, wantErrs[re.Row])
		}
		if strings.Contains(re.Error(), "Peserta") || strings.Contains(re.Error(), "01150141019900") {
			t.Errorf("row error leaks personal data: %v", re)
		}
	}
}

func TestReadMinimalSheet(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]string{"KPJ", "CASE_REF"}))
	must(t, f.SetSheetRow("Sheet1", "A2", &[]string{"23000000001", "case-1"}))
	must(t, f.SetSheetRow("Sheet1", "A3", &[]string{"2300-0000-01", "case-2"}))
	must(t, f.SetSheetRow("Sheet1", "A4", &[]string{"23000000003", ""}))
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	rows, rowErrs, err := batch.ReadReturn(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 1 || rows[0] != (batch.ReturnRow{Row: 2, CaseRef: "case-1", KPJ: "23000000001"}) {
		t.Errorf("rows %+v", rows)
	}
	if len(rowErrs) != 2 || rowErrs[0].Row != 3 || rowErrs[1].Row != 4 ||
		!strings.Contains(rowErrs[0].Reason, "digits only") || rowErrs[1].Reason != "case ref is empty" {
		t.Errorf("row errors %+v", rowErrs)
	}
}

func TestReadWithoutColumns(t *testing.T) {
	f := excelize.NewFile()
	defer f.Close()
	must(t, f.SetSheetRow("Sheet1", "A1", &[]string{"nama", "nik"}))
	var buf bytes.Buffer
	must(t, f.Write(&buf))
	if _, _, err := batch.ReadReturn(&buf); !errors.Is(err, batch.ErrNoColumns) {
		t.Fatalf("want ErrNoColumns, got %v", err)
	}
	if _, _, err := batch.ReadReturn(strings.NewReader("not a workbook")); err == nil {
		t.Fatal("want error for a non-XLSX file")
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
