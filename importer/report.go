package importer

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteCSV writes the report: row, masked NIK, case ID, outcome, reason, warnings.
func (r Report) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"row", "nik", "case_id", "outcome", "reason", "warnings"}); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	for _, row := range r.Rows {
		rec := []string{strconv.Itoa(row.Line), row.NIK, row.CaseID, row.Outcome, row.Reason, strings.Join(row.Warnings, "; ")}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("write report row %d: %w", row.Line, err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("write report: %w", err)
	}
	return nil
}
