package apiclient

import (
	"context"
	"net/url"

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
	var vs []starter.AgreementView
	return vs, c.call(ctx, opListMoUs, nil, url.Values(f.query()), nil, &vs)
}

// CreateMoU creates an MoU or a PKS: a draft, or signed at once when SignedOn is given.
func (c *Client) CreateMoU(ctx context.Context, req api.MoURequest) (store.Agreement, error) {
	var a store.Agreement
	return a, c.call(ctx, opCreateMoU, nil, nil, req, &a)
}

// GetMoU reads one agreement with its log, its PKS and the cases depending on it.
func (c *Client) GetMoU(ctx context.Context, number string) (starter.AgreementDetail, error) {
	var d starter.AgreementDetail
	return d, c.call(ctx, opGetMoU, []string{number}, nil, nil, &d)
}

// The changes to an agreement: each is sent to the agreement's workflow, and a refusal is an
// *Error with CodeRefused and the workflow's words.

// SignMoU signs a draft agreement.
func (c *Client) SignMoU(ctx context.Context, number string, req api.MoUSignRequest) (api.MoUActionResponse, error) {
	return c.change(ctx, opSignMoU, number, req)
}

// AmendMoU records an addendum: a new last day and/or a new scope.
func (c *Client) AmendMoU(ctx context.Context, number string, req api.MoUAmendRequest) (api.MoUActionResponse, error) {
	return c.change(ctx, opAmendMoU, number, req)
}

// RenewMoU signs a successor that takes over when the agreement ends.
func (c *Client) RenewMoU(ctx context.Context, number string, req api.MoURenewRequest) (api.MoUActionResponse, error) {
	return c.change(ctx, opRenewMoU, number, req)
}

// TerminateMoU ends an agreement early.
func (c *Client) TerminateMoU(ctx context.Context, number string, req api.MoUTerminateRequest) (api.MoUActionResponse, error) {
	return c.change(ctx, opTerminateMoU, number, req)
}

func (c *Client) change(ctx context.Context, op operation, number string, body any) (api.MoUActionResponse, error) {
	var res api.MoUActionResponse
	return res, c.call(ctx, op, []string{number}, nil, body, &res)
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
	var a store.Agreement
	q := query{}.str("partner", cq.Partner).str("centre", cq.Centre).str("scheme", cq.Scheme).str("on", cq.On)
	return a, c.call(ctx, opCoverage, nil, url.Values(q), nil, &a)
}

// Certifiers lists the LSP agreements that let a centre have a scheme assessed on a day (on:
// empty for today).
func (c *Client) Certifiers(ctx context.Context, centre, scheme, on string) ([]store.Agreement, error) {
	var as []store.Agreement
	q := query{}.str("centre", centre).str("scheme", scheme).str("on", on)
	return as, c.call(ctx, opCertifiers, nil, url.Values(q), nil, &as)
}
