package api

import (
	"bytes"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/report"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// TracerStudy is the tracer-study report: graduates by centre, trade and placement category.
type TracerStudy struct {
	GeneratedAt time.Time         `json:"generated_at"`
	Rows        []store.TracerRow `json:"rows"`
	// Channels are the follow-ups per centre by channel: self-reported through the graduate's
	// link against staff-reported (issue 18).
	Channels []store.ChannelRow `json:"channels"`
}

// tracerStudy serves the tracer-study report as JSON, CSV or an XLSX workbook, counted over
// the graduates in the caller's read scope (see readScope): a centre admin's report is its
// centres', an LSP manager's that of the cases its LSPs certify.
func (s *Server) tracerStudy(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	rows, err := s.Store.TracerStudyIn(r.Context(), readScope(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if rows == nil {
		rows = []store.TracerRow{}
	}
	channels, err := s.Store.TracerChannelsIn(r.Context(), readScope(r.Context()))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if channels == nil {
		channels = []store.ChannelRow{}
	}
	now := time.Now()
	switch format {
	case "xlsx":
		var buf bytes.Buffer
		if err := report.WriteTracerStudyByChannel(&buf, rows, channels, now); err != nil {
			s.fail(w, r, err)
			return
		}
		w.Header().Set("Content-Type", xlsxType)
		w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="tracer-study-%s.xlsx"`, now.Format("20060102")))
		_, _ = w.Write(buf.Bytes())
	case "csv":
		out := make([][]string, 0, len(rows))
		n := strconv.Itoa
		for _, t := range rows {
			out = append(out, []string{t.CentreCode, t.CentreName, t.Trade, n(t.Graduates), n(t.Formal), n(t.Informal),
				n(t.SelfEmployed), n(t.ContinuingStudy), n(t.NotPlaced), n(t.InFollowUp), n(t.Placed()), n(t.InAssessment)})
		}
		s.writeTable(w, r, format, "tracer-study", []string{"centre", "centre_name", "trade", "graduates", "formal", "informal",
			"self_employed", "continuing_study", "not_placed", "in_follow_up", "placed", "in_assessment"}, out)
	default:
		writeJSON(w, http.StatusOK, TracerStudy{GeneratedAt: now, Rows: rows, Channels: channels})
	}
}
