package api

import (
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// Lists export as three kinds of file: format=csv is plain CSV (comma, no BOM, times in UTC
// RFC 3339) for scripts; format=csv&dialect=excel is CSV that Excel set to Indonesian opens in
// columns (semicolon, a UTF-8 BOM, times in the journey's zone, WIB); format=xlsx is a workbook
// with a frozen header row, a filter on it and column widths, times in WIB.

// tableFormat says how a list exports: "csv", "excel" (the CSV dialect) or "xlsx".
func tableFormat(r *http.Request, format string) string {
	if format == "csv" && r.URL.Query().Get("dialect") == "excel" {
		return "excel"
	}
	return format
}

// exportZones are the zones an export may be asked for (?zone=): Indonesia's three.
var exportZones = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

// timeCells renders times for one export: UTC RFC 3339 in plain CSV, the journey's zone (WIB)
// or the one asked for (?zone=WITA) otherwise. The second renders an optional time ("" when nil).
func (s *Server) timeCells(r *http.Request, format string) (func(time.Time) string, func(*time.Time) string) {
	one := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.UTC().Format(time.RFC3339)
	}
	if tableFormat(r, format) != "csv" {
		loc := s.location()
		if z, ok := exportZones[r.URL.Query().Get("zone")]; ok {
			if l, err := time.LoadLocation(z); err == nil {
				loc = l
			}
		}
		one = func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.In(loc).Format("2006-01-02 15:04:05")
		}
	}
	return one, func(t *time.Time) string {
		if t == nil {
			return ""
		}
		return one(*t)
	}
}

// writeTable sends a list as the export asked for (see tableFormat), named
// name-YYYYMMDD-HHMM. The header row names the columns.
func (s *Server) writeTable(w http.ResponseWriter, r *http.Request, format, name string, header []string, rows [][]string) {
	switch tableFormat(r, format) {
	case "xlsx":
		s.writeXLSX(w, r, name, header, rows)
	case "excel":
		writeCSVDialect(w, name, header, rows, ';', true)
	default:
		writeCSV(w, name, header, rows)
	}
}

// writeXLSX streams rows into one sheet with a frozen, filtered header and widths that fit.
func (s *Server) writeXLSX(w http.ResponseWriter, r *http.Request, name string, header []string, rows [][]string) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	const sheet = "Sheet1"
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: %w", name, err))
		return
	}
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range rows {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], min(utf8.RuneCountInString(c), 60))
			}
		}
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(wd+2)); err != nil {
			s.fail(w, r, fmt.Errorf("xlsx %s: column width: %w", name, err))
			return
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: freeze the header: %w", name, err))
		return
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: style: %w", name, err))
		return
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: header: %w", name, err))
		return
	}
	for n, row := range rows {
		vals := make([]any, len(row))
		for i, c := range row {
			vals[i] = c
		}
		if err := sw.SetRow(fmt.Sprintf("A%d", n+2), vals); err != nil {
			s.fail(w, r, fmt.Errorf("xlsx %s: row %d: %w", name, n+2, err))
			return
		}
	}
	if err := sw.Flush(); err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: %w", name, err))
		return
	}
	last, _ := excelize.CoordinatesToCellName(len(header), max(len(rows)+1, 2))
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		s.fail(w, r, fmt.Errorf("xlsx %s: filter: %w", name, err))
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.xlsx"`, safeFileName(name), time.Now().Format("20060102-1504")))
	if _, err := f.WriteTo(w); err != nil {
		s.logger().Warn("xlsx download cut", "name", safeFileName(name), "error", err)
	}
}

// safeFileName keeps only what is safe in a Content-Disposition header.
func safeFileName(name string) string {
	return strings.Map(func(r rune) rune {
		if r == '-' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
			return r
		}
		return '_'
	}, name)
}
