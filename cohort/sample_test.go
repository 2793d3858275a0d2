package cohort

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

// sampleDir holds the synthetic sample cohort that users get in examples/; the tests run in
// cohort/.
const sampleDir = "../examples"

var sampleRules = Rules{StartDate: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC), MinAge: 17, MaxAge: 0}

// expectedBad reads sample-cohort.bad-rows.tsv: data row number → kind.
func expectedBad(t *testing.T) map[int]string {
	t.Helper()
	f, err := os.Open(filepath.Join(sampleDir, "sample-cohort.bad-rows.tsv"))
	if err != nil {
		t.Fatalf("open expectations: %v", err)
	}
	defer f.Close()
	want := map[int]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line, kind, ok := strings.Cut(strings.TrimSpace(sc.Text()), "\t")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("bad expectation line %q", sc.Text())
		}
		want[n] = kind
	}
	if len(want) == 0 {
		t.Fatal("no expectations read")
	}
	return want
}

// sampleRecords returns the sample CSV as header + records.
func sampleRecords(t *testing.T) [][]string {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join(sampleDir, "sample-cohort.csv"))
	if err != nil {
		t.Fatalf("read sample: %v", err)
	}
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatalf("parse sample: %v", err)
	}
	return recs
}

// checkOutcome compares validated rows with the expectations file.
func checkOutcome(t *testing.T, rows []Row) {
	t.Helper()
	want := expectedBad(t)
	if len(rows) != 48 {
		t.Fatalf("got %d rows, want 48", len(rows))
	}
	for i, r := range rows {
		if r.Line != i+1 {
			t.Errorf("rows[%d].Line = %d", i, r.Line)
		}
		kind, bad := want[r.Line]
		switch {
		case bad && r.ErrKind != kind:
			t.Errorf("row %d: got kind %q (%v), want %q", r.Line, r.ErrKind, r.Err, kind)
		case bad && r.Err == nil:
			t.Errorf("row %d: kind %q without Err", r.Line, kind)
		case !bad && (r.Err != nil || r.ErrKind != ""):
			t.Errorf("row %d: unexpectedly rejected: %s: %v", r.Line, r.ErrKind, r.Err)
		}
		if r.Err != nil && len(r.NIK) >= 12 && strings.Contains(r.Err.Error(), r.NIK) {
			t.Errorf("row %d: error message contains the NIK: %v", r.Line, r.Err)
		}
		if !bad && (len(r.NIK) != 16 || (r.Sex != "L" && r.Sex != "P") || r.BirthDate.IsZero() || !strings.HasPrefix(r.Phone, "08")) {
			t.Errorf("row %d: accepted but not normalized: %+v", r.Line, r)
		}
	}
	// Spot checks of the duplicate message and the field values.
	if !strings.Contains(rows[24].Err.Error(), "row 24") {
		t.Errorf("duplicate message does not name the first row: %v", rows[24].Err)
	}
	if r := rows[0]; r.Name != "Kartika Hidayat" || r.Sex != "P" || r.BirthPlace != "Sidoarjo" ||
		!r.BirthDate.Equal(time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)) || r.Phone != "08140166131" ||
		r.Email != "kartika.1187@mail.example" || r.Education != "D3" || r.Address != "Jl. Hidayat No. 29, RT 01/RW 07" {
		t.Errorf("row 1 fields: %+v", r)
	}
}

func validated(t *testing.T, rows []Row, err error) []Row {
	t.Helper()
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	Validate(rows, sampleRules)
	return rows
}

func writeCSV(t *testing.T, recs [][]string, comma rune, bom bool) []byte {
	t.Helper()
	var buf bytes.Buffer
	if bom {
		buf.WriteString("\uFEFF")
	}
	w := csv.NewWriter(&buf)
	w.Comma = comma
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSampleCSV(t *testing.T) {
	rows, err := Open(filepath.Join(sampleDir, "sample-cohort.csv"))
	checkOutcome(t, validated(t, rows, err))
}

func TestSampleSemicolonBOM(t *testing.T) {
	data := writeCSV(t, sampleRecords(t), ';', true)
	rows, err := ReadCSV(bytes.NewReader(data))
	checkOutcome(t, validated(t, rows, err))
}

func TestSampleEnglishHeaders(t *testing.T) {
	recs := sampleRecords(t)
	recs[0] = []string{"NIK", "Name", "Sex", "Birth Place", "birth-date", "Phone", "E-mail", "education", "ADDRESS"}
	rows, err := ReadCSV(bytes.NewReader(writeCSV(t, recs, ',', false)))
	checkOutcome(t, validated(t, rows, err))
}

func TestSampleReorderedSpacedHeaders(t *testing.T) {
	recs := sampleRecords(t)
	recs[0] = []string{"Nik", "Nama", "Jenis Kelamin", "Tempat Lahir", "Tanggal Lahir", "No HP", "Email", "Pendidikan", "Alamat"}
	// Move the last column first and add an unknown column: order must not matter.
	for i, r := range recs {
		extra := "x"
		if i == 0 {
			extra = "Timestamp"
		}
		recs[i] = append([]string{r[8], extra}, r[:8]...)
	}
	rows, err := ReadCSV(bytes.NewReader(writeCSV(t, recs, '\t', true)))
	checkOutcome(t, validated(t, rows, err))
}

// sampleXLSX writes the sample as a workbook with every cell as text, then
// lets adjust change cells (row 1 is the header).
func sampleXLSX(t *testing.T, adjust func(f *excelize.File, sheet string, recs [][]string)) []byte {
	t.Helper()
	recs := sampleRecords(t)
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetList()[0]
	for i, rec := range recs {
		for j, v := range rec {
			cell, err := excelize.CoordinatesToCellName(j+1, i+1)
			if err != nil {
				t.Fatal(err)
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
	}
	if adjust != nil {
		adjust(f, sheet, recs)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestSampleXLSX(t *testing.T) {
	rows, err := ReadXLSX(bytes.NewReader(sampleXLSX(t, nil)))
	checkOutcome(t, validated(t, rows, err))
}

// TestSampleXLSXTypedCells stores birth dates as Excel dates and phone
// numbers as numbers (losing their leading zero), as a typed-in workbook
// would; the outcome must not change.
func TestSampleXLSXTypedCells(t *testing.T) {
	data := sampleXLSX(t, func(f *excelize.File, sheet string, recs [][]string) {
		style, err := f.NewStyle(&excelize.Style{NumFmt: 14}) // locale short date, m/d/yy in excelize
		if err != nil {
			t.Fatal(err)
		}
		for i := 1; i < len(recs); i++ {
			if d, err := parseDate(recs[i][4]); err == nil { // invalid dates stay text
				cell, _ := excelize.CoordinatesToCellName(5, i+1)
				if err := f.SetCellValue(sheet, cell, d); err != nil {
					t.Fatal(err)
				}
				if err := f.SetCellStyle(sheet, cell, cell, style); err != nil {
					t.Fatal(err)
				}
			}
			n, err := strconv.Atoi(recs[i][5])
			if err != nil {
				t.Fatal(err)
			}
			cell, _ := excelize.CoordinatesToCellName(6, i+1)
			if err := f.SetCellInt(sheet, cell, int64(n)); err != nil {
				t.Fatal(err)
			}
		}
	})
	rows, err := ReadXLSX(bytes.NewReader(data))
	checkOutcome(t, validated(t, rows, err))
}

func TestXLSXNumericNIKIsDamage(t *testing.T) {
	data := sampleXLSX(t, func(f *excelize.File, sheet string, recs [][]string) {
		// Row 1 as a number with General format; row 3 with a scientific format.
		if err := f.SetCellInt(sheet, "A2", 3504035907041187); err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellInt(sheet, "A4", 3523080209959594); err != nil {
			t.Fatal(err)
		}
		style, err := f.NewStyle(&excelize.Style{NumFmt: 11}) // 0.00E+00
		if err != nil {
			t.Fatal(err)
		}
		if err := f.SetCellStyle(sheet, "A4", "A4", style); err != nil {
			t.Fatal(err)
		}
	})
	rows, err := ReadXLSX(bytes.NewReader(data))
	rows = validated(t, rows, err)
	if rows[0].ErrKind != KindNIKAsNumber && rows[0].ErrKind != KindSciNotation {
		t.Errorf("row 1: kind %q (%v), want nik_as_number or sci_notation", rows[0].ErrKind, rows[0].Err)
	}
	if rows[2].ErrKind != KindSciNotation {
		t.Errorf("row 3: kind %q (%v), want sci_notation", rows[2].ErrKind, rows[2].Err)
	}
	if rows[3].Err != nil {
		t.Errorf("row 4 (text NIK) rejected: %v", rows[3].Err)
	}
}
