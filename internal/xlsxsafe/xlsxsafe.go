// Package xlsxsafe opens spreadsheets sent by people and partners without letting a small file
// (a "zip bomb") unpack into gigabytes: every XLSX that kompeten reads goes through Open and
// Rows, which refuse a file, an unzipped part, or a sheet beyond fixed limits, saying which. Each
// refusal is worded by the catalogue too (i18n.Worded), for the pages to show in the reader's
// language; its English stays as it was.
package xlsxsafe

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// The limits of one workbook. A real cohort export or KPJ return of thousands of rows is a few
// megabytes unzipped; these leave ample room while keeping a refused file's cost small.
const (
	// MaxFileBytes caps the file as sent (compressed).
	MaxFileBytes = 16 << 20
	// MaxUnzipBytes caps all the workbook's parts together, as unzipped (excelize's
	// UnzipSizeLimit, checked here first so the error names the part).
	MaxUnzipBytes = 64 << 20
	// MaxXMLBytes is excelize's UnzipXMLSizeLimit: a bigger sheet is unzipped to a temporary
	// file, not held in memory.
	MaxXMLBytes = 16 << 20
)

// ErrRefused is wrapped by every refusal of a workbook over a limit; the API answers it 413.
var ErrRefused = errors.New("spreadsheet refused")

// Limits bound one sheet's rows (the header included) and columns.
type Limits struct {
	MaxRows int
	MaxCols int
}

// Open reads a workbook from r, refusing it (ErrRefused) when the file is over MaxFileBytes or
// its parts unzip to more than MaxUnzipBytes, before anything is unzipped.
func Open(r io.Reader) (*excelize.File, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read workbook: %w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, i18n.Word(fmt.Errorf("%w: the file is larger than %d MiB", ErrRefused, MaxFileBytes>>20),
			"xlsx.too-big", "mb", strconv.Itoa(MaxFileBytes>>20))
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, i18n.Word(fmt.Errorf("not an XLSX workbook (a zip archive): %w", err), "xlsx.not-zip")
	}
	var total uint64
	for _, f := range zr.File {
		total += f.UncompressedSize64
		if f.UncompressedSize64 > MaxUnzipBytes || total > MaxUnzipBytes {
			return nil, i18n.Word(fmt.Errorf("%w: it unzips to more than %d MiB (%s alone is %d MiB): a spreadsheet bomb, or not a plain export",
				ErrRefused, MaxUnzipBytes>>20, f.Name, f.UncompressedSize64>>20),
				"xlsx.bomb", "mb", strconv.Itoa(MaxUnzipBytes>>20), "part", f.Name, "partmb", strconv.FormatUint(f.UncompressedSize64>>20, 10))
		}
	}
	// excelize checks the same limit as it unzips (the archive's reader refuses a part that
	// holds more than its header declares).
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{UnzipSizeLimit: MaxUnzipBytes, UnzipXMLSizeLimit: MaxXMLBytes})
	if err != nil {
		return nil, i18n.Word(fmt.Errorf("open XLSX: %w", err), "xlsx.unopenable")
	}
	return f, nil
}

// Rows reads a sheet's rows as GetRows does, streaming, and refuses it (ErrRefused) as soon as
// it has more than lim.MaxRows rows (empty ones counted: a row numbered a million is a million
// rows) or a row has more than lim.MaxCols columns.
func Rows(f *excelize.File, sheet string, lim Limits, opts ...excelize.Options) ([][]string, error) {
	it, err := f.Rows(sheet)
	if err != nil {
		return nil, fmt.Errorf("read sheet %q: %w", sheet, err)
	}
	defer it.Close() // a read-only iterator: closing removes its temporary file, if any
	var grid [][]string
	for it.Next() {
		if len(grid) == lim.MaxRows {
			return nil, i18n.Word(fmt.Errorf("%w: sheet %q has more than %d rows", ErrRefused, sheet, lim.MaxRows),
				"xlsx.rows", "sheet", strconv.Quote(sheet), "max", strconv.Itoa(lim.MaxRows))
		}
		cols, err := it.Columns(opts...)
		if err != nil {
			return nil, fmt.Errorf("read sheet %q row %d: %w", sheet, len(grid)+1, err)
		}
		if len(cols) > lim.MaxCols {
			return nil, i18n.Word(fmt.Errorf("%w: sheet %q row %d has more than %d columns", ErrRefused, sheet, len(grid)+1, lim.MaxCols),
				"xlsx.cols", "sheet", strconv.Quote(sheet), "row", strconv.Itoa(len(grid)+1), "max", strconv.Itoa(lim.MaxCols))
		}
		grid = append(grid, cols)
	}
	if err := it.Error(); err != nil {
		return nil, fmt.Errorf("read sheet %q: %w", sheet, err)
	}
	// GetRows drops trailing rows without cells; so does this.
	for len(grid) > 0 && len(grid[len(grid)-1]) == 0 {
		grid = grid[:len(grid)-1]
	}
	return grid, nil
}
