package cohort

import (
	"fmt"
	"io"
	"regexp"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
)

// XLSXLimits bound a cohort workbook's first sheet: a package's cohort is tens of people, an
// export of a whole register a few thousand, with a few dozen columns at most.
var XLSXLimits = xlsxsafe.Limits{MaxRows: 5000, MaxCols: 64}

// ReadXLSX reads a cohort export from the first sheet of an XLSX workbook,
// taking cell values as Excel displays them.
//
// A NIK cell stored as a number is rejected even when its digits look right:
// Excel keeps only 15 significant digits of a number, so a 16-digit NIK typed
// into a number cell has already lost its last digit. Birth dates stored as
// Excel dates are read from the date value, not from a locale-dependent
// display format; phone numbers stored as numbers are read from their digits.
//
// A workbook over xlsxsafe's size limits or XLSXLimits is refused (xlsxsafe.ErrRefused).
func ReadXLSX(r io.Reader) ([]Row, error) {
	f, err := xlsxsafe.Open(r)
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: a close error loses nothing

	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, i18n.Errorm("cohort.no-sheets")
	}
	sheet := sheets[0]
	// Bounded before any cell is looked up one by one (which parses the whole sheet).
	grid, err := xlsxsafe.Rows(f, sheet, XLSXLimits)
	if err != nil {
		return nil, err
	}
	if len(grid) == 0 || blank(grid[0]) {
		return nil, i18n.Errorm("cohort.sheet-empty", "sheet", strconv.Quote(sheet))
	}
	cols, err := mapHeader(grid[0])
	if err != nil {
		return nil, headerError(err)
	}
	props, err := f.GetWorkbookProps()
	if err != nil {
		return nil, fmt.Errorf("read workbook properties: %w", err)
	}
	x := xlsxSheet{f: f, sheet: sheet, date1904: props.Date1904 != nil && *props.Date1904}

	var rows []Row
	for line := 1; line < len(grid); line++ {
		if blank(grid[line]) {
			continue
		}
		v := cols.pick(grid[line])
		// The spreadsheet row of data row `line` is line+1 (row 1 is the header).
		if num, ok, err := x.number(cols[fBirthDate], line+1); err != nil {
			return rows, err
		} else if ok {
			if t, err := excelize.ExcelDateToTime(num, x.date1904); err == nil && num >= 1 && t.Year() < 10000 {
				v[fBirthDate] = t.Format("02-01-2006")
			}
		}
		if num, ok, err := x.rawDigits(cols[fPhone], line+1); err != nil {
			return rows, err
		} else if ok {
			v[fPhone] = num
		}
		row := buildRow(line, v)
		if _, ok, err := x.number(cols[fNIK], line+1); err != nil {
			return rows, err
		} else if ok {
			row.unreject()
			kind := KindNIKAsNumber
			if sciDisplay.MatchString(v[fNIK]) {
				kind = KindSciNotation
			}
			row.rejectm(kind, "row.nik-as-number")
		}
		rows = append(rows, row)
	}
	return rows, nil
}

var (
	sciDisplay = regexp.MustCompile(`[eE][+-]?[0-9]+$`)
	digitsOnly = regexp.MustCompile(`^[0-9]+$`)
)

// xlsxSheet gives typed access to single cells of the sheet being read.
type xlsxSheet struct {
	f        *excelize.File
	sheet    string
	date1904 bool
}

// number returns the value of a cell stored as a number (no type attribute
// or t="n"); ok is false for text, empty and absent cells.
func (x xlsxSheet) number(col, row int) (float64, bool, error) {
	raw, ok, err := x.rawNumber(col, row)
	if err != nil || !ok {
		return 0, false, err
	}
	n, err := strconv.ParseFloat(raw, 64)
	return n, err == nil, nil
}

// rawDigits returns the stored digits of a whole number cell, avoiding the
// display format (which may show 6.28123E+12 for a phone number).
func (x xlsxSheet) rawDigits(col, row int) (string, bool, error) {
	raw, ok, err := x.rawNumber(col, row)
	if err != nil || !ok || !digitsOnly.MatchString(raw) {
		return "", false, err
	}
	return raw, true, nil
}

func (x xlsxSheet) rawNumber(col, row int) (string, bool, error) {
	if col < 0 {
		return "", false, nil
	}
	cell, err := excelize.CoordinatesToCellName(col+1, row)
	if err != nil {
		return "", false, fmt.Errorf("cell name for column %d row %d: %w", col+1, row, err)
	}
	typ, err := x.f.GetCellType(x.sheet, cell)
	if err != nil {
		return "", false, fmt.Errorf("type of cell %s: %w", cell, err)
	}
	if typ != excelize.CellTypeUnset && typ != excelize.CellTypeNumber {
		return "", false, nil
	}
	raw, err := x.f.GetCellValue(x.sheet, cell, excelize.Options{RawCellValue: true})
	if err != nil {
		return "", false, fmt.Errorf("value of cell %s: %w", cell, err)
	}
	return raw, raw != "", nil
}
