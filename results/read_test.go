package results

import (
	"bytes"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// A ';'-separated CSV with a BOM and Indonesian headers in another order reads like the
// English one; bad rows say why; the rows group per case, a case with a bad row or two
// assessors not sent.
func TestReadAndGroupCSV(t *testing.T) {
	file := "\ufeffHasil;Kasus;Kode_Unit;Asesor\n" +
		"K;case000001;U1;ASR-1\n" +
		"bk;case000001;U2;ASR-1\n" +
		"K;case000002;U1;ASR-2\n" +
		"X;case000002;U2;ASR-2\n" +
		";;;\n" +
		"K;case000003;U1;ASR-3\n" +
		"K;case000003;U2;ASR-4\n" +
		"K;;U1;ASR-5\n"
	rows, err := Read("hasil.csv", []byte(file))
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 7 || !reflect.DeepEqual(rows[1], Row{Line: 3, CaseID: "case000001", Unit: "U2", Result: "BK", Assessor: "ASR-1"}) {
		t.Fatalf("rows %+v", rows)
	}
	if rows[3].Problem != `result must be K or BK, got "X"` || rows[6].Problem != "no case_id" || rows[6].Line != 9 {
		t.Errorf("problems: %q (line %d), %q", rows[3].Problem, rows[6].Line, rows[6].Problem)
	}
	cases := Group(rows)
	if len(cases) != 4 {
		t.Fatalf("cases %+v", cases)
	}
	one := cases[0]
	if one.Problem != "" || one.Assessor != "ASR-1" || len(one.Units) != 2 || one.Units[1] != (workflows.UnitResult{Unit: "U2", Result: "BK"}) {
		t.Errorf("case 1: %+v", one)
	}
	if r := one.Result(workflows.Actor{ID: "budi"}); r.AssessorID != "ASR-1" || r.Actor.ID != "budi" || len(r.Units) != 2 {
		t.Errorf("result %+v", r)
	}
	if !strings.Contains(cases[1].Problem, "line 5: result must be K or BK") {
		t.Errorf("case 2: %q", cases[1].Problem)
	}
	if !strings.Contains(cases[2].Problem, "one assessor per case") {
		t.Errorf("case 3: %q", cases[2].Problem)
	}
	if cases[3].CaseID != "" || cases[3].Problem != "line 9: no case_id" {
		t.Errorf("row without a case: %+v", cases[3])
	}
	// The same problems as catalogue messages, worded whole in Indonesian for the pages.
	id := i18n.For(i18n.ID, nil)
	if got := rows[3].Why.In(id); got != `hasil harus K atau BK, tertulis "X"` {
		t.Errorf("row problem in Indonesian: %q", got)
	}
	if len(cases[1].Whys) != 1 || cases[1].Whys[0].In(id) != `baris 5: hasil harus K atau BK, tertulis "X"` {
		t.Errorf("case 2 in Indonesian: %+v", cases[1].Whys)
	}
	if len(cases[2].Whys) != 1 || !strings.Contains(cases[2].Whys[0].In(id), "satu kasus hanya untuk satu asesor") {
		t.Errorf("case 3 in Indonesian: %+v", cases[2].Whys)
	}
}

// A header without the needed columns is refused naming them; unknown file types are refused.
func TestReadRefusesBadFiles(t *testing.T) {
	if _, err := Read("r.csv", []byte("case_id,unit\nx,y\n")); err == nil || !strings.Contains(err.Error(), "result, assessor") {
		t.Errorf("missing columns: %v", err)
	}
	if _, err := Read("r.pdf", []byte("x")); err == nil || !strings.Contains(err.Error(), "unsupported") {
		t.Errorf("pdf: %v", err)
	}
}

// An XLSX is read from its first sheet; a sheet over the limits is refused as the cohort
// upload refuses one (xlsxsafe.ErrRefused).
func TestReadXLSX(t *testing.T) {
	book := func(rows int) []byte {
		f := excelize.NewFile()
		_ = f.SetSheetRow("Sheet1", "A1", &[]any{"case_id", "unit", "result", "assessor"})
		for i := 0; i < rows; i++ {
			cell, _ := excelize.CoordinatesToCellName(1, i+2)
			_ = f.SetSheetRow("Sheet1", cell, &[]any{"case000001", "U1", "K", "ASR-1"})
		}
		var buf bytes.Buffer
		if err := f.Write(&buf); err != nil {
			t.Fatal(err)
		}
		return buf.Bytes()
	}
	rows, err := Read("hasil.xlsx", book(2))
	if err != nil || len(rows) != 2 || rows[0].CaseID != "case000001" || rows[0].Result != "K" {
		t.Fatalf("xlsx: %+v %v", rows, err)
	}
	if _, err := Read("hasil.xlsx", book(XLSXLimits.MaxRows)); !errors.Is(err, xlsxsafe.ErrRefused) {
		t.Errorf("a sheet over %d rows: %v, want refused", XLSXLimits.MaxRows, err)
	}
}
