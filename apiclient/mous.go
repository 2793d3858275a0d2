package apiclient

import (
	"context"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// MoUFilter narrows the agreement list; empty fields do not filter.
type MoUFilter struct {
	Partner string
	Kind    string // mou or pks
	Parent  string // the PKS under this MoU
	Status  string
	Live    bool // only agreements not ended
}

func (f MoUFilter) query() query {
	return query{}.str("partner", f.Partner).str("kind", f.Kind).str("parent", f.Parent).str("status", f.Status).flag("live", f.Live)
}

// ListMoUs lists agreements (MoU and PKS) with days to expiry and dependent cases.
func (c *Client) ListMoUs(ctx context.Context, f MoUFilter) ([]starter.AgreementView, error) {
	return do[[]starter.AgreementView](ctx, c, opListMoUs, nil, f.query(), nil)
}

// CreateMoU creates an MoU or a PKS: a draft, or signed at once when SignedOn is given.
func (c *Client) CreateMoU(ctx context.Context, req api.MoURequest) (store.Agreement, error) {
	return do[store.Agreement](ctx, c, opCreateMoU, nil, nil, req)
}

// GetMoU reads one agreement with its log, its PKS and the cases depending on it.
func (c *Client) GetMoU(ctx context.Context, number string) (starter.AgreementDetail, error) {
	return do[starter.AgreementDetail](ctx, c, opGetMoU, []string{number}, nil, nil)
}

// The changes to an agreement: each is sent to the agreement's workflow, and a refusal is an
// *Error with CodeRefused and the workflow's words.

// SignMoU signs a draft agreement.
func (c *Client) SignMoU(ctx context.Context, number string, req api.MoUSignRequest) (api.MoUActionResponse, error) {
	return do[api.MoUActionResponse](ctx, c, opSignMoU, []string{number}, nil, req)
}

// AmendMoU records an addendum: a new last day and/or a new scope.
func (c *Client) AmendMoU(ctx context.Context, number string, req api.MoUAmendRequest) (api.MoUActionResponse, error) {
	return do[api.MoUActionResponse](ctx, c, opAmendMoU, []string{number}, nil, req)
}

// RenewMoU signs a successor that takes over when the agreement ends.
func (c *Client) RenewMoU(ctx context.Context, number string, req api.MoURenewRequest) (api.MoUActionResponse, error) {
	return do[api.MoUActionResponse](ctx, c, opRenewMoU, []string{number}, nil, req)
}

// TerminateMoU ends an agreement early.
func (c *Client) TerminateMoU(ctx context.Context, number string, req api.MoUTerminateRequest) (api.MoUActionResponse, error) {
	return do[api.MoUActionResponse](ctx, c, opTerminateMoU, []string{number}, nil, req)
}

// CoverageQuery asks which active agreement lets a centre use a partner; Scheme and On (a
// day: YYYY-MM-DD, today, +30d) are optional.
type CoverageQuery struct {
	Partner string
	Centre  string
	Scheme  string
	On      string
}

// Coverage finds the active agreement that lets a centre use a partner (for a scheme) on a day.
func (c *Client) Coverage(ctx context.Context, cq CoverageQuery) (store.Agreement, error) {
	q := query{}.str("partner", cq.Partner).str("centre", cq.Centre).str("scheme", cq.Scheme).str("on", cq.On)
	return do[store.Agreement](ctx, c, opCoverage, nil, q, nil)
}

// Certifiers lists the LSP agreements that let a centre have a scheme assessed on a day (on:
// empty for today).
func (c *Client) Certifiers(ctx context.Context, centre, scheme, on string) ([]store.Agreement, error) {
	q := query{}.str("centre", centre).str("scheme", scheme).str("on", on)
	return do[[]store.Agreement](ctx, c, opCertifiers, nil, q, nil)
}
