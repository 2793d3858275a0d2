package api

import (
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// nextRows reads the next batch of a list's export rows from the read model (at most
// exportBatch); more is false once the list is done.
type nextRows func() (rows [][]string, more bool, err error)

// streamTable exports a list a batch at a time, as the export asked for (see tableFormat), so a
// network-wide list never sits whole in memory: the rows of a batch go to the client (CSV) or
// to the workbook's stream writer, which spills to a temporary file past 16 MiB (XLSX), before
// the next batch is read. The first batch is read before anything is sent, so a failing read
// model answers as an error. A CSV that fails later aborts the connection: a download is never
// short without the client knowing. A workbook is sent only once it is complete.
func (s *Server) streamTable(w http.ResponseWriter, r *http.Request, format, name string, header []string, next nextRows) {
	rows, more, err := next()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if tableFormat(r, format) == "xlsx" {
		s.streamXLSX(w, r, name, header, rows, more, next)
		return
	}
	sep, bom := ',', false
	if tableFormat(r, format) == "excel" {
		sep, bom = ';', true
	}
	cw := startCSV(w, name, header, sep, bom)
	for {
		_ = cw.WriteAll(rows) // WriteAll flushes
		if cw.Error() != nil || !more {
			return
		}
		if rows, more, err = next(); err != nil {
			s.logger().Error("export cut", "name", safeFileName(name), "error", err)
			panic(http.ErrAbortHandler)
		}
	}
}

// streamXLSX writes one sheet with a frozen, filtered header; the column widths fit the
// header and the first batch (the stream writer needs them before the first row).
func (s *Server) streamXLSX(w http.ResponseWriter, r *http.Request, name string, header []string, rows [][]string, more bool, next nextRows) {
	f := excelize.NewFile()
	defer func() { _ = f.Close() }()
	const sheet = "Sheet1"
	failed := func(what string, err error) {
		s.fail(w, r, fmt.Errorf("xlsx %s: %s: %w", name, what, err))
	}
	sw, err := f.NewStreamWriter(sheet)
	if err != nil {
		failed("stream", err)
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
			failed("column width", err)
			return
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		failed("freeze the header", err)
		return
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		failed("style", err)
		return
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		failed("header", err)
		return
	}
	n := 1
	for {
		for _, row := range rows {
			n++
			vals := make([]any, len(row))
			for i, c := range row {
				vals[i] = c
			}
			if err := sw.SetRow(fmt.Sprintf("A%d", n), vals); err != nil {
				failed(fmt.Sprintf("row %d", n), err)
				return
			}
		}
		if !more {
			break
		}
		if rows, more, err = next(); err != nil {
			failed("read", err)
			return
		}
	}
	if err := sw.Flush(); err != nil {
		failed("flush", err)
		return
	}
	last, _ := excelize.CoordinatesToCellName(len(header), max(n, 2))
	if err := f.AutoFilter(sheet, "A1:"+last, nil); err != nil {
		failed("filter", err)
		return
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.xlsx"`, safeFileName(name), time.Now().Format("20060102-1504")))
	if _, err := f.WriteTo(w); err != nil {
		s.logger().Warn("xlsx download cut", "name", safeFileName(name), "error", err)
	}
}
