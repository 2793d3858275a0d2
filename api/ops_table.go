package api

import (
	"net/http"
	"strings"
	"time"
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

// writeTable sends a list already in memory as the export asked for (see tableFormat), named
// name-YYYYMMDD-HHMM. The header row names the columns.
func (s *Server) writeTable(w http.ResponseWriter, r *http.Request, format, name string, header []string, rows [][]string) {
	s.streamTable(w, r, format, name, header, func(emit func([][]string) error) error { return emit(rows) })
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
