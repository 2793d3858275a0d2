package cohort

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// ReadCSV reads a cohort export in CSV form: ',' ';' or tab separated
// (detected from the header line), UTF-8 with or without byte-order mark.
// Rows come back in file order, each with its own Err; the error return is
// for problems with the file as a whole, worded by the catalogue (i18n.Worded)
// when it is one a person can fix (a header, an encoding).
func ReadCSV(r io.Reader) ([]Row, error) {
	br := bufio.NewReader(r)
	if err := skipBOM(br); err != nil {
		return nil, err
	}
	first, err := br.ReadString('\n')
	if err != nil && err != io.EOF {
		return nil, fmt.Errorf("read header line: %w", err)
	}
	if strings.TrimSpace(first) == "" {
		return nil, i18n.Errorm("cohort.file-empty")
	}

	cr := csv.NewReader(io.MultiReader(strings.NewReader(first), br))
	cr.Comma = detectDelimiter(first)
	cr.FieldsPerRecord = -1 // column counts are checked per row, so one bad row is not fatal
	cr.LazyQuotes = true    // a stray quote in a name (Nur"aini) is data, not syntax

	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("read header: %w", err)
	}
	cols, err := mapHeader(header)
	if err != nil {
		return nil, headerError(err)
	}

	var rows []Row
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if err == io.EOF {
			return rows, nil
		}
		var perr *csv.ParseError
		if errors.As(err, &perr) {
			rows = append(rows, Row{Line: line, Err: fmt.Errorf("CSV syntax: %w", perr.Err), ErrKind: KindCSVSyntax})
			continue
		}
		if err != nil {
			return rows, fmt.Errorf("read data row %d: %w", line, err)
		}
		if blank(rec) {
			continue // trailing ";;;;" rows that spreadsheets leave behind
		}
		row := buildRow(line, cols.pick(rec))
		if n := len(rec); n < len(header) || (n > len(header) && !blank(rec[len(header):])) {
			row.unreject()
			row.rejectm(KindColumnCount, "row.column-count", "fields", strconv.Itoa(n), "header", strconv.Itoa(len(header)))
		}
		rows = append(rows, row)
	}
}

// skipBOM drops a UTF-8 byte-order mark and refuses UTF-16, which Excel's
// "Unicode Text" export produces and which would otherwise read as garbage.
func skipBOM(br *bufio.Reader) error {
	b, _ := br.Peek(3)
	switch {
	case bytes.HasPrefix(b, []byte{0xEF, 0xBB, 0xBF}):
		_, err := br.Discard(3)
		return err
	case bytes.HasPrefix(b, []byte{0xFF, 0xFE}), bytes.HasPrefix(b, []byte{0xFE, 0xFF}):
		return i18n.Errorm("cohort.file-utf16")
	}
	return nil
}

// detectDelimiter picks the most frequent of ',' ';' and tab outside quotes in
// the header line; header names never contain them, while locales with a
// decimal comma make Excel write ';'.
func detectDelimiter(line string) rune {
	counts := map[rune]int{}
	quoted := false
	for _, c := range line {
		switch c {
		case '"':
			quoted = !quoted
		case ',', ';', '\t':
			if !quoted {
				counts[c]++
			}
		}
	}
	best := ','
	for _, c := range []rune{';', '\t'} {
		if counts[c] > counts[best] {
			best = c
		}
	}
	return best
}

func blank(rec []string) bool {
	for _, s := range rec {
		if strings.TrimSpace(s) != "" {
			return false
		}
	}
	return true
}
