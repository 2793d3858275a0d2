package api

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// fillRows reads a list's export rows from the read model and hands them to emit a batch at a
// time, as they are read; an error from emit ends the read and is returned.
type fillRows func(emit func(rows [][]string) error) error

// tableSink is where streamTable writes the batches: a CSV going out to the client, or a
// workbook's stream writer. started says whether anything reached the client yet.
type tableSink interface {
	write(rows [][]string) error
	finish() error
	started() bool
}

// streamTable exports a list a batch at a time, as the export asked for (see tableFormat), so a
// network-wide list never sits whole in memory: the rows of a batch go to the client (CSV) or
// to the workbook's stream writer, which spills to a temporary file past 16 MiB (XLSX), while
// the next batch is read. A read that fails before the first batch answers as an error, and so
// does any failure of a workbook (sent only once complete). A CSV that fails later aborts the
// connection: a download is never short without the client knowing.
func (s *Server) streamTable(w http.ResponseWriter, r *http.Request, format, name string, header []string, fill fillRows) {
	var sink tableSink
	open := func(first [][]string) error {
		switch tableFormat(r, format) {
		case "xlsx":
			x, err := newXLSXSink(header, first)
			sink = x
			return err
		case "excel":
			sink = &csvSink{cw: startCSV(w, name, header, ';', true)}
		default:
			sink = &csvSink{cw: startCSV(w, name, header, ',', false)}
		}
		return nil
	}
	err := fill(func(rows [][]string) error {
		if sink == nil {
			if err := open(rows); err != nil {
				return err
			}
		}
		return sink.write(rows)
	})
	if err == nil && sink == nil {
		err = open(nil)
	}
	if err == nil {
		err = sink.finish()
	}
	x, isXLSX := sink.(*xlsxSink)
	if err != nil {
		if isXLSX {
			_ = x.f.Close()
		}
		if sink == nil || !sink.started() {
			s.fail(w, r, fmt.Errorf("export %s: %w", safeFileName(name), err))
			return
		}
		s.logger().Error("export cut", "name", safeFileName(name), "error", err)
		panic(http.ErrAbortHandler)
	}
	if isXLSX {
		x.send(w, name, s)
	}
}

// csvSink writes each batch to the client and flushes it.
type csvSink struct{ cw *csv.Writer }

func (c *csvSink) write(rows [][]string) error { return c.cw.WriteAll(rows) } // WriteAll flushes
func (c *csvSink) finish() error               { c.cw.Flush(); return c.cw.Error() }
func (c *csvSink) started() bool               { return true }

// xlsxSink writes one sheet with a frozen, filtered header through excelize's stream writer;
// the column widths fit the header and the first batch (the stream writer needs them before
// the first row).
type xlsxSink struct {
	f    *excelize.File
	sw   *excelize.StreamWriter
	cols int
	n    int // the last row written
}

const xlsxSheet = "Sheet1"

func newXLSXSink(header []string, first [][]string) (*xlsxSink, error) {
	f := excelize.NewFile()
	x := &xlsxSink{f: f, cols: len(header), n: 1}
	sw, err := f.NewStreamWriter(xlsxSheet)
	if err != nil {
		return x, fmt.Errorf("xlsx stream: %w", err)
	}
	x.sw = sw
	widths := make([]int, len(header))
	for i, h := range header {
		widths[i] = utf8.RuneCountInString(h)
	}
	for _, row := range first {
		for i, c := range row {
			if i < len(widths) {
				widths[i] = max(widths[i], min(utf8.RuneCountInString(c), 60))
			}
		}
	}
	for i, wd := range widths {
		if err := sw.SetColWidth(i+1, i+1, float64(wd+2)); err != nil {
			return x, fmt.Errorf("xlsx column width: %w", err)
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return x, fmt.Errorf("xlsx: freeze the header: %w", err)
	}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return x, fmt.Errorf("xlsx style: %w", err)
	}
	cells := make([]any, len(header))
	for i, h := range header {
		cells[i] = excelize.Cell{StyleID: bold, Value: h}
	}
	if err := sw.SetRow("A1", cells); err != nil {
		return x, fmt.Errorf("xlsx header: %w", err)
	}
	return x, nil
}

func (x *xlsxSink) write(rows [][]string) error {
	for _, row := range rows {
		x.n++
		vals := make([]any, len(row))
		for i, c := range row {
			vals[i] = c
		}
		if err := x.sw.SetRow(fmt.Sprintf("A%d", x.n), vals); err != nil {
			return fmt.Errorf("xlsx row %d: %w", x.n, err)
		}
	}
	return nil
}

func (x *xlsxSink) finish() error {
	if err := x.sw.Flush(); err != nil {
		return fmt.Errorf("xlsx: %w", err)
	}
	last, _ := excelize.CoordinatesToCellName(x.cols, max(x.n, 2))
	if err := x.f.AutoFilter(xlsxSheet, "A1:"+last, nil); err != nil {
		return fmt.Errorf("xlsx filter: %w", err)
	}
	return nil
}

func (x *xlsxSink) started() bool { return false }

// send writes the finished workbook to the client and closes it (its temporary files too).
func (x *xlsxSink) send(w http.ResponseWriter, name string, s *Server) {
	defer func() { _ = x.f.Close() }()
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-%s.xlsx"`, safeFileName(name), time.Now().Format("20060102-1504")))
	if _, err := x.f.WriteTo(w); err != nil {
		s.logger().Warn("xlsx download cut", "name", safeFileName(name), "error", err)
	}
}
