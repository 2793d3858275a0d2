package results

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/internal/xlsxsafe"
)

// XLSXLimits bound a result workbook's first sheet: a cohort of a few hundred people times a
// scheme of a few dozen units, with a handful of columns.
var XLSXLimits = xlsxsafe.Limits{MaxRows: 20000, MaxCols: 32}

// Row is one line of the file: a unit's result for a case. Line is its line in the file (the
// header is line 1); Problem says why the row cannot be used, empty when it can, and Why says
// it as a catalogue message, which the pages word in the reader's language.
type Row struct {
	Line     int
	CaseID   string
	Unit     string
	Result   string
	Assessor string
	Problem  string
	Why      i18n.Message
}

// refuse gives the row its problem: the message and its English.
func (r *Row) refuse(m i18n.Message) { r.Problem, r.Why = m.English(), m }

// columns are the header names of each field, lower-case.
var columns = map[string][]string{
	"case_id":  {"case_id", "case", "kasus", "id_kasus", "case id", "id kasus"},
	"unit":     {"unit", "kode_unit", "unit_code", "kode unit", "unit code"},
	"result":   {"result", "hasil", "rekomendasi"},
	"assessor": {"assessor", "asesor", "assessor_id", "id_asesor", "assessor id", "id asesor"},
}

// Read reads a result file by its name's extension: .csv (.txt, .tsv) or .xlsx. A file it
// cannot read says why in English and, for the pages, as a catalogue message (i18n.Worded).
func Read(name string, data []byte) ([]Row, error) {
	var grid [][]string
	var err error
	switch strings.ToLower(filepath.Ext(name)) {
	case ".csv", ".tsv", ".txt":
		grid, err = readCSV(data)
	case ".xlsx", ".xlsm":
		grid, err = readXLSX(data)
	case ".xls":
		return nil, i18n.Word(errors.New("the old .xls format is not supported; save as .xlsx or \"CSV UTF-8\""), "upload.xls")
	default:
		return nil, i18n.Word(fmt.Errorf("unsupported file type %q; use .csv or .xlsx", filepath.Ext(name)),
			"upload.file-type", "ext", strconv.Quote(filepath.Ext(name)))
	}
	if err != nil {
		return nil, err
	}
	return parse(grid)
}

func readCSV(data []byte) ([][]string, error) {
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	first, _, _ := bytes.Cut(data, []byte("\n"))
	cr := csv.NewReader(bufio.NewReader(bytes.NewReader(data)))
	cr.Comma = delimiter(string(first))
	cr.FieldsPerRecord = -1
	cr.LazyQuotes = true
	var grid [][]string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			return grid, nil
		}
		if err != nil {
			return nil, fmt.Errorf("read CSV: %w", err)
		}
		if len(grid) == XLSXLimits.MaxRows {
			return nil, i18n.Word(fmt.Errorf("the file has more than %d lines; split it", XLSXLimits.MaxRows),
				"results.too-many-lines", "max", strconv.Itoa(XLSXLimits.MaxRows))
		}
		grid = append(grid, rec)
	}
}

// delimiter is the header line's most frequent separator of ';', tab and ',' (Excel in
// Indonesia writes ';').
func delimiter(header string) rune {
	best, n := ',', strings.Count(header, ",")
	for _, c := range []rune{';', '\t'} {
		if m := strings.Count(header, string(c)); m > n {
			best, n = c, m
		}
	}
	return best
}

func readXLSX(data []byte) ([][]string, error) {
	f, err := xlsxsafe.Open(bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	defer f.Close() // read-only: a close error loses nothing
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return nil, i18n.Word(errors.New("workbook has no sheets"), "cohort.no-sheets")
	}
	return xlsxsafe.Rows(f, sheets[0], XLSXLimits)
}

// parse maps the header and reads every other non-blank line into a Row.
func parse(grid [][]string) ([]Row, error) {
	if len(grid) == 0 {
		return nil, i18n.Word(errors.New("the file is empty; the first line must be the header (case_id, unit, result, assessor)"), "results.empty")
	}
	at := map[string]int{}
	for i, h := range grid[0] {
		h = strings.ToLower(strings.TrimSpace(h))
		for field, names := range columns {
			for _, n := range names {
				if h == n {
					at[field] = i
				}
			}
		}
	}
	var missing []string
	for _, field := range []string{"case_id", "unit", "result", "assessor"} {
		if _, ok := at[field]; !ok {
			missing = append(missing, field)
		}
	}
	if len(missing) > 0 {
		return nil, i18n.Word(fmt.Errorf("the header lacks the column(s) %s; it needs case_id, unit, result and assessor", strings.Join(missing, ", ")),
			"results.missing-columns", "columns", strings.Join(missing, ", "))
	}
	cell := func(rec []string, field string) string {
		if i := at[field]; i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	var rows []Row
	for i, rec := range grid[1:] {
		if strings.TrimSpace(strings.Join(rec, "")) == "" {
			continue
		}
		r := Row{Line: i + 2, CaseID: cell(rec, "case_id"), Unit: cell(rec, "unit"),
			Result: strings.ToUpper(cell(rec, "result")), Assessor: cell(rec, "assessor")}
		switch {
		case r.CaseID == "":
			r.refuse(i18n.M("results.row.no-case"))
		case r.Unit == "":
			r.refuse(i18n.M("results.row.no-unit"))
		case r.Result != "K" && r.Result != "BK":
			r.refuse(i18n.M("results.row.bad-result", "got", strconv.Quote(r.Result)))
		case r.Assessor == "":
			r.refuse(i18n.M("results.row.no-assessor"))
		}
		rows = append(rows, r)
	}
	return rows, nil
}
