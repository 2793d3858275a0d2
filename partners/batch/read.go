package batch

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
)

// ReturnRow is one KPJ number the branch office returned.
type ReturnRow struct {
	Row     int // 1-based spreadsheet row
	CaseRef string
	KPJ     string // 11 digits
}

// RowError is a returned row that could not be used, with the reason to show the BPJS liaison.
// Reasons never quote the NIK or the name.
type RowError struct {
	Row     int // 1-based spreadsheet row
	CaseRef string
	Reason  string
}

// Error describes the row, its case and the reason, e.g. "row 4 (case c-1): KPJ is empty".
func (e RowError) Error() string {
	if e.CaseRef == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("row %d (case %s): %s", e.Row, e.CaseRef, e.Reason)
}

// ErrNoColumns means the sheet lacks a case-ref or a KPJ column header in its first row.
var ErrNoColumns = errors.New("the first row must have a case ref and a KPJ column")

// ReturnLimits bound a returned KPJ workbook's sheet: one row per registration sent, with the
// export's columns and a few the branch office may add.
var ReturnLimits = xlsxsafe.Limits{MaxRows: 20000, MaxCols: 64}

// ReadReturn reads a returned workbook: the export layout with KPJ filled in, or any sheet whose
// first row has at least "case_ref" and "kpj" headers (case-insensitive). It reads the sheet
// SheetName if present, else the first sheet. Usable rows come back in rows, unusable ones in
// rowErrs; err is set only when the file as a whole cannot be read, and wraps
// xlsxsafe.ErrRefused when it is over xlsxsafe's size limits or ReturnLimits.
func ReadReturn(r io.Reader) (rows []ReturnRow, rowErrs []RowError, err error) {
	f, err := xlsxsafe.Open(r)
	if err != nil {
		return nil, nil, fmt.Errorf("batch: read return: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, nil, errors.New("batch: read return: workbook has no sheet")
	}
	sheet := sheets[0]
	if slices.Contains(sheets, SheetName) {
		sheet = SheetName
	}
	// Raw values: the stored text or number, not what a display format makes of it.
	cells, err := xlsxsafe.Rows(f, sheet, ReturnLimits, excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, nil, fmt.Errorf("batch: read return: %w", err)
	}
	if len(cells) == 0 {
		return nil, nil, fmt.Errorf("batch: read return: sheet %q: %w", sheet, ErrNoColumns)
	}
	refCol, kpjCol := -1, -1
	for i, h := range cells[0] {
		switch headerAliases[normaliseHeader(h)] {
		case "case_ref":
			if refCol < 0 {
				refCol = i
			}
		case "kpj":
			if kpjCol < 0 {
				kpjCol = i
			}
		}
	}
	if refCol < 0 || kpjCol < 0 {
		return nil, nil, fmt.Errorf("batch: read return: sheet %q: %w", sheet, ErrNoColumns)
	}

	firstRow := map[string]int{} // case ref → row it first appeared on
	for i, line := range cells[1:] {
		rowNum := i + 2
		ref, kpj := cleanCell(at(line, refCol)), cleanCell(at(line, kpjCol))
		if ref == "" && kpj == "" {
			continue // blank or unrelated row
		}
		if ref == "" {
			rowErrs = append(rowErrs, RowError{Row: rowNum, Reason: "case ref is empty"})
			continue
		}
		if reason := checkKPJ(kpj); reason != "" {
			rowErrs = append(rowErrs, RowError{Row: rowNum, CaseRef: ref, Reason: reason})
			continue
		}
		if first, dup := firstRow[ref]; dup {
			rowErrs = append(rowErrs, RowError{Row: rowNum, CaseRef: ref,
				Reason: fmt.Sprintf("case ref appears again (first on row %d)", first)})
			continue
		}
		firstRow[ref] = rowNum
		rows = append(rows, ReturnRow{Row: rowNum, CaseRef: ref, KPJ: kpj})
	}
	return rows, rowErrs, nil
}

// at returns line[i], or "" for a short row (GetRows drops trailing empty cells).
func at(line []string, i int) string {
	if i < len(line) {
		return line[i]
	}
	return ""
}

// cleanCell trims spaces, including the non-breaking spaces that come with pasted values.
func cleanCell(s string) string {
	return strings.TrimSpace(strings.ReplaceAll(s, "\u00a0", " "))
}

// checkKPJ returns why kpj is not an 11-digit membership number, or "" when it is one.
func checkKPJ(kpj string) string {
	switch {
	case kpj == "":
		return "KPJ is empty"
	case strings.ContainsAny(kpj, "eE") && strings.ContainsAny(kpj, "0123456789"):
		return "KPJ is in scientific notation (the cell was a number): format the column as text and type the KPJ again"
	case strings.HasPrefix(kpj, "'"):
		return "KPJ starts with an apostrophe: type the digits only, in a text cell"
	case strings.Contains(kpj, "."):
		return "KPJ contains a decimal point (the cell was a number): format the column as text and type the KPJ again"
	case !allDigits(kpj):
		return "KPJ must contain digits only (no spaces or dashes)"
	case len(kpj) != 11:
		return fmt.Sprintf("KPJ must have 11 digits, found %d (leading zeros lost?)", len(kpj))
	}
	return ""
}

// allDigits reports whether s is made of ASCII digits only.
func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
