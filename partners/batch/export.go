package batch

import (
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/partners"
)

// ExportRow is one pending registration for the branch office.
type ExportRow struct {
	CaseRef string // how the returned KPJ finds its case; never the NIK
	partners.Registration
}

// textFormat is Excel's built-in "@" number format: the cell holds text as typed.
const textFormat = 49

// WriteExport writes regs as an XLSX workbook with one sheet, SheetName: a header row, then one row
// per registration with an empty KPJ column for the branch office.
func WriteExport(w io.Writer, regs []ExportRow) error {
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return fmt.Errorf("batch: export: name sheet: %w", err)
	}
	text, err := f.NewStyle(&excelize.Style{NumFmt: textFormat})
	if err != nil {
		return fmt.Errorf("batch: export: text style: %w", err)
	}
	// Format the whole NIK and KPJ columns as text, so what the branch office types stays intact.
	for _, col := range []string{nikColumn, kpjColumn} {
		if err := f.SetColStyle(SheetName, col, text); err != nil {
			return fmt.Errorf("batch: export: style column %s: %w", col, err)
		}
	}
	if err := f.SetSheetRow(SheetName, "A1", &exportHeaders); err != nil {
		return fmt.Errorf("batch: export: header: %w", err)
	}
	for i, r := range regs {
		row := i + 2
		if r.CaseRef == "" {
			return fmt.Errorf("batch: export: registration %d has no case ref", i+1)
		}
		if err := writeRow(f, row, r, text); err != nil {
			return fmt.Errorf("batch: export: row %d (case %s): %w", row, r.CaseRef, err)
		}
	}
	if err := f.SetColWidth(SheetName, "A", "J", 18); err != nil {
		return fmt.Errorf("batch: export: widths: %w", err)
	}
	if err := f.Write(w); err != nil {
		return fmt.Errorf("batch: export: write: %w", err)
	}
	return nil
}

// writeRow fills one data row. Every identifier is written as a string cell with the text style.
func writeRow(f *excelize.File, row int, r ExportRow, text int) error {
	cell := func(col string) string { return fmt.Sprintf("%s%d", col, row) }
	values := []struct {
		col string
		v   string
	}{
		{"A", r.CaseRef}, {"B", r.Name}, {nikColumn, r.NIK}, {"D", date(r.BirthDate)}, {"E", r.Phone},
		{"F", r.CentreCode}, {"G", date(r.CoverageStart)}, {"H", date(r.CoverageEnd)},
	}
	var errs []error
	for _, v := range values {
		errs = append(errs, f.SetCellStr(SheetName, cell(v.col), v.v))
	}
	errs = append(errs,
		f.SetCellStyle(SheetName, cell(nikColumn), cell(nikColumn), text),
		f.SetCellStyle(SheetName, cell("E"), cell("E"), text),
		f.SetCellInt(SheetName, cell("I"), r.MonthlyFee),
		f.SetCellStyle(SheetName, cell(kpjColumn), cell(kpjColumn), text),
	)
	return errors.Join(errs...)
}

// date formats t as an ISO date, or "" for the zero time. Dates go out as text: nobody computes
// with them, and text cannot be reinterpreted by a regional date setting.
func date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
