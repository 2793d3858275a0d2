package starter

import (
	"context"
	"slices"
	"strconv"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/agreement"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// AgreementView is an agreement as the list and the page show it: how long it has left, how
// many live cases depend on it, and whether someone should act.
type AgreementView struct {
	store.Agreement
	PartnerKind string    `json:"partner_kind"`
	LastDay     time.Time `json:"last_day"`
	// DaysToExpiry counts the days it still covers, today included (0 once ended, nil for a
	// draft, which covers nothing yet).
	DaysToExpiry *int `json:"days_to_expiry,omitempty"`
	// DependentCases counts the open cases in its scope that still need an agreement with its
	// partner (for an LSP: until certification; the insurer: until training ends).
	DependentCases int `json:"dependent_cases"`
	// Attention says why someone should act (the agreement's flags, then the notes, in English);
	// Highlight marks an agreement that ends soon with live cases depending on it and no
	// successor. AttentionNotes are the notes besides the flags as catalogue messages (the pages
	// word them in the reader's language).
	Attention      []string       `json:"attention,omitempty"`
	AttentionNotes []i18n.Message `json:"attention_notes,omitempty"`
	Highlight      bool           `json:"highlight"`
}

// AgreementDetail is one agreement with its log, its PKS and the cases that depend on it.
type AgreementDetail struct {
	AgreementView
	Events []store.AgreementEvent `json:"events"`
	PKS    []AgreementView        `json:"pks,omitempty"`
	Cases  []store.AgreementCase  `json:"cases"`
}

// maxDetailCases caps the dependent cases listed on one agreement (the count is always exact).
const maxDetailCases = 500

// Agreements lists the agreements matching f with their days to expiry and dependent cases.
func (s *Service) Agreements(ctx context.Context, f store.AgreementFilter) ([]AgreementView, error) {
	rows, err := s.Store.ListAgreements(ctx, f)
	if err != nil {
		return nil, err
	}
	kinds, err := s.partnerKinds(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]AgreementView, 0, len(rows))
	for _, a := range rows {
		v, err := s.view(ctx, a, kinds[a.PartnerCode])
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// Agreement returns one agreement in detail.
func (s *Service) Agreement(ctx context.Context, number string) (AgreementDetail, error) {
	a, err := s.Store.GetAgreement(ctx, number)
	if err != nil {
		return AgreementDetail{}, err
	}
	kinds, err := s.partnerKinds(ctx)
	if err != nil {
		return AgreementDetail{}, err
	}
	v, err := s.view(ctx, a, kinds[a.PartnerCode])
	if err != nil {
		return AgreementDetail{}, err
	}
	d := AgreementDetail{AgreementView: v, Cases: []store.AgreementCase{}}
	if d.Events, err = s.Store.AgreementEvents(ctx, number); err != nil {
		return d, err
	}
	if a.Kind == agreement.KindMoU {
		if d.PKS, err = s.Agreements(ctx, store.AgreementFilter{Parent: number}); err != nil {
			return d, err
		}
	}
	if a.Live() {
		cases, err := s.Store.DependentCases(ctx, scopeOf(a, v.PartnerKind), maxDetailCases)
		if err != nil {
			return d, err
		}
		d.Cases = append(d.Cases, cases...)
	}
	return d, nil
}

func (s *Service) view(ctx context.Context, a store.Agreement, partnerKind string) (AgreementView, error) {
	v := AgreementView{Agreement: a, PartnerKind: partnerKind, LastDay: a.LastDay()}
	if a.Status != agreement.Draft {
		days := max(0, int(v.LastDay.Sub(s.today()).Hours()/24)+1)
		if !a.Live() {
			days = 0
		}
		v.DaysToExpiry = &days
	}
	if a.Live() {
		n, err := s.Store.CountDependentCases(ctx, scopeOf(a, partnerKind))
		if err != nil {
			return v, err
		}
		v.DependentCases = n
	}
	v.Attention = append(v.Attention, a.Flags...)
	window := slices.Max(append([]int{0}, s.Config.MoU.ReminderDays...))
	if a.Live() && a.Status != agreement.Draft && v.DaysToExpiry != nil && *v.DaysToExpiry <= window && a.Successor == "" && v.DependentCases > 0 {
		v.Highlight = true
		note := i18n.M("mou.ending", "days", strconv.Itoa(*v.DaysToExpiry), "cases", strconv.Itoa(v.DependentCases))
		v.AttentionNotes = append(v.AttentionNotes, note)
		v.Attention = append(v.Attention, note.English())
	}
	return v, nil
}

func (s *Service) partnerKinds(ctx context.Context) (map[string]string, error) {
	ps, err := s.Store.ListPartners(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]string, len(ps))
	for _, p := range ps {
		out[p.Code] = p.Kind
	}
	return out, nil
}

func scopeOf(a store.Agreement, partnerKind string) store.CaseScope {
	return store.CaseScope{PartnerCode: a.PartnerCode, PartnerKind: partnerKind, Centres: a.Centres, Schemes: a.Schemes}
}

// Coverage answers "which active agreement lets centre use partner (for an LSP: for scheme) on
// day" (the calendar day in the network's time zone).
func (s *Service) Coverage(ctx context.Context, partner, centre, scheme string, on time.Time) (store.Agreement, error) {
	return s.Store.Covering(ctx, partner, centre, scheme, s.localDay(on))
}

// Certifiers answers "which LSP may assess scheme for centre on day".
func (s *Service) Certifiers(ctx context.Context, centre, scheme string, on time.Time) ([]store.Agreement, error) {
	return s.Store.Certifiers(ctx, centre, scheme, s.localDay(on))
}

// localDay turns a calendar day (as parsed, midnight UTC) or an instant into the same calendar
// day in the network's time zone.
func (s *Service) localDay(t time.Time) time.Time {
	if t.Location() == time.UTC && t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
		return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, s.loc)
	}
	return t.In(s.loc)
}
