package api

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
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

// OverviewTTL is how long one count of the funnel serves the overview. Counting reads every
// case (about 10 ms per 100,000 on an idle machine, several times that on a busy one); a
// dashboard that many people open is as useful 10 seconds old, and says when it was counted.
const OverviewTTL = 10 * time.Second

// overviewCache holds the last overview of each read scope (the network's under ""): a
// centre admin must never be served the network's count, nor another centre's. The mutex also
// makes concurrent requests share one count instead of each starting its own.
type overviewCache struct {
	mu  sync.Mutex
	val map[string]Overview
}

// scopeKey names a read scope in the cache: one entry per distinct scope, not per token.
func scopeKey(sc store.Scope) string {
	if sc.CentreCodes == nil && sc.LSPCodes == nil {
		return ""
	}
	c, l := slices.Sorted(slices.Values(sc.CentreCodes)), slices.Sorted(slices.Values(sc.LSPCodes))
	return "centres=" + strings.Join(c, ",") + ";lsps=" + strings.Join(l, ",")
}

// cachedOverview returns an overview of scope at most OverviewTTL old; fresh=true counts anew.
// Expired entries are dropped whenever one is stored, so the cache holds at most the scopes
// asked for within one TTL.
func (s *Server) cachedOverview(ctx context.Context, scope store.Scope, fresh bool) (Overview, error) {
	c := &s.overviewCache
	c.mu.Lock()
	defer c.mu.Unlock()
	key := scopeKey(scope)
	if o, ok := c.val[key]; ok && !fresh && time.Since(o.GeneratedAt) < OverviewTTL {
		return o, nil
	}
	o, err := s.countOverview(ctx, scope)
	if err != nil {
		return o, err
	}
	if c.val == nil {
		c.val = map[string]Overview{}
	}
	for k, v := range c.val {
		if time.Since(v.GeneratedAt) >= OverviewTTL {
			delete(c.val, k)
		}
	}
	c.val[key] = o
	return o, nil
}

// overview counts the funnel of every registry centre (a centre without cases shows zeros) and
// of the whole network, from one pass over the read model (see OverviewTTL; ?fresh=true counts
// anew). A scoped caller gets the funnel of its own cases only (see countOverview), and a
// total that is the sum of those, never the network's.
func (s *Server) overview(w http.ResponseWriter, r *http.Request) {
	format, ok := listFormat(w, r, "csv", "xlsx")
	if !ok {
		return
	}
	fresh, _ := strconv.ParseBool(r.URL.Query().Get("fresh"))
	out, err := s.cachedOverview(r.Context(), readScope(r.Context()), fresh)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if format != "json" {
		s.writeOverviewCSV(w, r, format, out)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// countOverview counts the funnels of scope now. Unscoped, every registry centre is listed,
// with zeros when it has no case. A centre admin's lists its own centres (zeros included); an
// LSP manager's lists the centres where its LSPs' cases are, since the other centres' zeros
// would only be noise to it.
func (s *Server) countOverview(ctx context.Context, scope store.Scope) (Overview, error) {
	now := time.Now()
	month := s.Svc.Config.Journey.Month
	funnels, err := s.Store.FunnelsIn(ctx, now, month, scope)
	if err != nil {
		return Overview{}, err
	}
	centres, err := s.Store.ListCentres(ctx)
	if err != nil {
		return Overview{}, err
	}
	byCode := map[string]store.Funnel{}
	for _, f := range funnels {
		byCode[f.CentreCode] = f
	}
	out := Overview{GeneratedAt: now, MonthSeconds: int64(month / time.Second), Centres: make([]CentreFunnel, 0, len(centres))}
	for _, c := range centres {
		f, counted := byCode[c.Code]
		if (scope.CentreCodes != nil && !slices.Contains(scope.CentreCodes, c.Code)) || (scope.LSPCodes != nil && !counted) {
			continue
		}
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
	return out, nil
}

// writeOverviewCSV exports the overview: one row per centre, then the network's total.
func (s *Server) writeOverviewCSV(w http.ResponseWriter, r *http.Request, format string, out Overview) {
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
	s.writeTable(w, r, format, "ringkasan-overview", []string{"centre", "name", "cases", "enrolled", "insured", "trained", "assessed",
		"competent", "certified", "placed", "open", "stuck", "placed_6m", "graduates_6m", "rate_6m", "placed_12m",
		"graduates_12m", "rate_12m"}, rows)
}

// rateText renders a rate as a fraction with three decimals, or "" when there is none yet.
func rateText(r store.PlacementRate) string {
	if r.Rate == nil {
		return ""
	}
	return strconv.FormatFloat(*r.Rate, 'f', 3, 64)
}
