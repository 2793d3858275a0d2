package web

import (
	"net/http"
	"sort"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// agreementStatusLabels word an agreement's status in both languages.
var agreementStatusLabels = map[string]label{
	agreement.Draft:      {"Draf", "Draft"},
	agreement.Signed:     {"Ditandatangani, belum berlaku", "Signed, not yet in force"},
	agreement.Active:     {"Berlaku", "In force"},
	agreement.Expiring:   {"Segera berakhir", "Ending soon"},
	agreement.Expired:    {"Berakhir", "Expired"},
	agreement.Renewed:    {"Diperpanjang", "Renewed"},
	agreement.Terminated: {"Diakhiri lebih awal", "Terminated early"},
}

// mouRow is one agreement on the page with the cases that depend on it.
type mouRow struct {
	starter.AgreementView
	StatusLabel label
	// Cases lists the live cases depending on it (up to what the API lists).
	Cases []store.AgreementCase
}

// mousData is the agreements page: every MoU and PKS, those that need someone first.
type mousData struct {
	Rows        []mouRow
	Partner     string
	Partners    []store.Partner
	Highlighted int // ending soon with live cases depending on them and no successor
}

// mousPage lists the agreements with their status, days to expiry and the live cases that
// depend on each; an agreement ending soon with cases depending on it and no successor comes
// first and is marked, so nobody learns of a lapsed MoU from a failed case.
func (s *Server) mousPage(w http.ResponseWriter, r *http.Request) {
	d := mousData{Partner: r.URL.Query().Get("partner")}
	vs, err := s.api.ListMoUs(r.Context(), apiclient.MoUFilter{Partner: d.Partner})
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	if d.Partners, err = s.api.ListPartners(r.Context()); err != nil {
		s.failPage(w, r, err)
		return
	}
	for _, v := range vs {
		row := mouRow{AgreementView: v, StatusLabel: lookup(agreementStatusLabels, v.Status)}
		if v.DependentCases > 0 {
			// One call per agreement with dependants: a network has a few dozen agreements.
			det, err := s.api.GetMoU(r.Context(), v.Number)
			if err != nil {
				s.failPage(w, r, err)
				return
			}
			row.Cases = det.Cases
		}
		if v.Highlight {
			d.Highlighted++
		}
		d.Rows = append(d.Rows, row)
	}
	// Those that need someone first, then live before ended; the API's order otherwise.
	sort.SliceStable(d.Rows, func(a, b int) bool {
		ra, rb := d.Rows[a], d.Rows[b]
		if ra.Highlight != rb.Highlight {
			return ra.Highlight
		}
		return ra.Live() && !rb.Live()
	})
	s.render(w, r, "mous", page{Title: both("Perjanjian", "Agreements"), Nav: "mous", Data: d})
}
