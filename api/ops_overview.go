package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// CentreFunnel is one centre's funnel with its name.
type CentreFunnel struct {
	store.Funnel
	Name string `json:"name,omitempty"`
}

// Overview is the funnel per centre and for the whole network.
type Overview struct {
	GeneratedAt time.Time `json:"generated_at"`
	// MonthSeconds is the length of a follow-up month (journey.month) the placement rates use.
	MonthSeconds int64          `json:"month_seconds"`
	Total        store.Funnel   `json:"total"`
	Centres      []CentreFunnel `json:"centres"`
}

// overview counts the funnel of every registry centre (a centre without cases shows zeros) and
// of the whole network, from one pass over the read model.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv")
	if !ok {
		return
	}
	now := time.Now()
	month := s.Svc.Config.Journey.Month
	funnels, err := s.Store.Funnels(r.Context(), now, month)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	centres, err := s.Store.ListCentres(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	byCode := map[string]store.Funnel{}
	for _, f := range funnels {
		byCode[f.CentreCode] = f
	}
	out := Overview{GeneratedAt: now, MonthSeconds: int64(month / time.Second), Centres: make([]CentreFunnel, 0, len(centres))}
	for _, c := range centres {
		f := byCode[c.Code]
		f.CentreCode = c.Code
		out.Centres = append(out.Centres, CentreFunnel{Funnel: f, Name: c.Name})
		delete(byCode, c.Code)
	}
	// Cases of a centre missing from the registry still count, under their code.
	for _, f := range funnels {
		if _, left := byCode[f.CentreCode]; left {
			out.Centres = append(out.Centres, CentreFunnel{Funnel: f})
		}
	}
	for _, c := range out.Centres {
		out.Total.Add(c.Funnel)
	}
	if format == "csv" {
		rows := make([][]string, 0, len(out.Centres)+1)
		row := func(code, name string, f store.Funnel) []string {
			n := strconv.Itoa
			return []string{code, name, n(f.Cases), n(f.Enrolled), n(f.Insured), n(f.Trained), n(f.Assessed), n(f.Competent),
				n(f.Certified), n(f.Placed), n(f.Open), n(f.Stuck), n(f.Rate6.Placed), n(f.Rate6.Graduates), rateText(f.Rate6),
				n(f.Rate12.Placed), n(f.Rate12.Graduates), rateText(f.Rate12)}
		}
		for _, c := range out.Centres {
			rows = append(rows, row(c.CentreCode, c.Name, c.Funnel))
		}
		rows = append(rows, row("TOTAL", "", out.Total))
		writeCSV(w, "ringkasan-overview", []string{"centre", "name", "cases", "enrolled", "insured", "trained", "assessed",
			"competent", "certified", "placed", "open", "stuck", "placed_6m", "graduates_6m", "rate_6m", "placed_12m",
			"graduates_12m", "rate_12m"}, rows)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// rateText renders a rate as a fraction with three decimals, or "" when there is none yet.
func rateText(r store.PlacementRate) string {
	if r.Rate == nil {
		return ""
	}
	return strconv.FormatFloat(*r.Rate, 'f', 3, 64)
}
