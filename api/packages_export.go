package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// packageExportHeader are the columns of a packages list export.
var packageExportHeader = []string{"code", "centre", "trade", "scheme", "lsp", "start", "end", "hours", "capacity",
	"attendance_min", "auto_approve", "created_at"}

// packageRows renders packages as export rows, times with at (the export's zone).
func packageRows(ps []store.Package, at func(time.Time) string) [][]string {
	rows := make([][]string, 0, len(ps))
	for _, p := range ps {
		rows = append(rows, []string{p.Code, p.CentreCode, p.Trade, p.Scheme, p.LSPCode, at(p.StartDate), at(p.EndDate),
			strconv.Itoa(p.Hours), strconv.Itoa(p.Capacity), strconv.FormatFloat(p.AttendanceMin, 'f', -1, 64),
			strconv.FormatBool(p.AutoApprove), at(p.CreatedAt)})
	}
	return rows
}

// streamPackages exports every package (of one centre with ?centre=) as CSV or XLSX, a batch of
// exportBatch at a time as it is read (streamTable, store.EachPackageBatch). A package holds no
// personal data: who may read the list may download all of it, as on the page.
func (s *Server) streamPackages(w http.ResponseWriter, r *http.Request, format, centre string) {
	at, _ := s.timeCells(r, format)
	s.streamTable(w, r, format, "paket-packages", packageExportHeader, func(emit func([][]string) error) error {
		return s.Store.EachPackageBatch(r.Context(), centre, exportBatch, func(ps []store.Package) error {
			return emit(packageRows(ps, at))
		})
	})
}
