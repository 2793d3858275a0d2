package cohort

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/xuri/excelize/v2"
)

// writeExamplesEnv, set to 1, makes TestExampleWorkbookMatchesCSV rewrite
// examples/sample-cohort.xlsx from examples/sample-cohort.csv (after a change to the CSV).
const writeExamplesEnv = "KOMPETEN_WRITE_EXAMPLES"

// exampleWorkbook is the sample cohort as the workbook users get in examples/: the CSV's cells
// as text in the first sheet (sampleXLSX: a NIK stored as a number would already have lost a
// digit), with text columns, a bold, frozen header and readable column widths.
func exampleWorkbook(t *testing.T) []byte {
	t.Helper()
	return sampleXLSX(t, func(f *excelize.File, sheet string, recs [][]string) {
		text, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": the column is text
		if err != nil {
			t.Fatal(err)
		}
		bold, err := f.NewStyle(&excelize.Style{NumFmt: 49, Font: &excelize.Font{Bold: true}})
		if err != nil {
			t.Fatal(err)
		}
		widths := []float64{20, 22, 14, 14, 14, 16, 30, 11, 36}
		last, err := excelize.ColumnNumberToName(len(recs[0]))
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range widths[:len(recs[0])] {
			col, _ := excelize.ColumnNumberToName(j + 1)
			if err := f.SetColWidth(sheet, col, col, w); err != nil {
				t.Fatal(err)
			}
		}
		if err := f.SetColStyle(sheet, "A:"+last, text); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle(sheet, "A1", last+"1", bold); err != nil {
			t.Fatal(err)
		}
		if err := f.SetPanes(sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
			t.Fatal(err)
		}
		if err := f.SetSheetName(sheet, "peserta"); err != nil {
			t.Fatal(err)
		}
	})
}

// The sample cohort in examples/ comes as CSV and as XLSX (README, "A cohort in five minutes").
// The workbook is made from the CSV, and this test fails when the two no longer hold the same
// cells and give the same rows, the 20 deliberately bad ones included; with
// KOMPETEN_WRITE_EXAMPLES=1 it rewrites the workbook first.
func TestExampleWorkbookMatchesCSV(t *testing.T) {
	csvPath := filepath.Join(sampleDir, "sample-cohort.csv")
	xlsxPath := filepath.Join(sampleDir, "sample-cohort.xlsx")
	recs := sampleRecords(t)
	if os.Getenv(writeExamplesEnv) == "1" {
		if err := os.WriteFile(xlsxPath, exampleWorkbook(t), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", xlsxPath)
	}

	f, err := excelize.OpenFile(xlsxPath)
	if err != nil {
		t.Fatalf("%v (make it with %s=1 go test ./cohort -run TestExampleWorkbookMatchesCSV)", err, writeExamplesEnv)
	}
	defer f.Close()
	cells, err := f.GetRows(f.GetSheetList()[0])
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cells, recs) {
		t.Fatalf("%s does not hold the cells of %s: rewrite it with %s=1 go test ./cohort -run TestExampleWorkbookMatchesCSV",
			xlsxPath, csvPath, writeExamplesEnv)
	}

	fromCSV, err := Open(csvPath)
	fromCSV = validated(t, fromCSV, err)
	fromXLSX, err := Open(xlsxPath)
	fromXLSX = validated(t, fromXLSX, err)
	checkOutcome(t, fromXLSX)
	if len(fromCSV) != len(fromXLSX) {
		t.Fatalf("%d rows from the CSV, %d from the workbook", len(fromCSV), len(fromXLSX))
	}
	for i := range fromCSV {
		if a, b := byValue(fromCSV[i]), byValue(fromXLSX[i]); !reflect.DeepEqual(a, b) {
			t.Errorf("row %d differs:\n csv  %+v\n xlsx %+v", fromCSV[i].Line, a, b)
		}
	}
}

// rowValue is a row with its error as words, so rows read from two files compare by value.
type rowValue struct {
	Row
	Error string
}

func byValue(r Row) rowValue {
	v := rowValue{Row: r}
	if r.Err != nil {
		v.Error, v.Err = r.Err.Error(), nil
	}
	return v
}
