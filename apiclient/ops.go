package apiclient

import (
	"context"
	"net/url"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// RetryCase retries a stuck case's failing partner calls now (409, CodeConflict, when none is
// failing).
func (c *Client) RetryCase(ctx context.Context, id string, req api.RetryRequest) (api.RetryResponse, error) {
	var res api.RetryResponse
	return res, c.call(ctx, opRetryCase, []string{id}, nil, req, &res)
}

// EscalateCase notifies whoever can unblock a stuck case (409, CodeConflict, when it is not
// stuck).
func (c *Client) EscalateCase(ctx context.Context, id string, req api.EscalateRequest) (api.EscalateResponse, error) {
	var res api.EscalateResponse
	return res, c.call(ctx, opEscalateCase, []string{id}, nil, req, &res)
}

// StuckFilter narrows the stuck list; empty fields do not filter, a zero Limit is the
// server's default (100).
type StuckFilter struct {
	Centre string
	LSP    string
	Stage  string
	Reason string // a stuck code (StuckReasons)
	Limit  int
	Offset int
}

func (f StuckFilter) query() query {
	return query{}.str("centre", f.Centre).str("lsp", f.LSP).str("stage", f.Stage).str("reason", f.Reason).
		num("limit", f.Limit).num("offset", f.Offset)
}

// ListStuck lists one page of stuck cases, the longest stuck first, and their total.
func (c *Client) ListStuck(ctx context.Context, f StuckFilter) (api.StuckList, error) {
	var l api.StuckList
	return l, c.call(ctx, opListStuck, nil, url.Values(f.query()), nil, &l)
}

// StuckReasons lists the stuck codes with their labels, in the order of the path.
func (c *Client) StuckReasons(ctx context.Context) ([]api.StuckReason, error) {
	var rs []api.StuckReason
	return rs, c.call(ctx, opStuckReasons, nil, nil, nil, &rs)
}

// Overview reads the funnel per centre and for the network (a count up to 10 s old).
func (c *Client) Overview(ctx context.Context) (api.Overview, error) {
	var o api.Overview
	return o, c.call(ctx, opOverview, nil, nil, nil, &o)
}

// InboxFilter narrows the approvals inbox; a zero Limit is the server's default (100 per
// group).
type InboxFilter struct {
	Role   string // centre-admin or lsp-manager
	Centre string
	LSP    string
	Limit  int
}

func (f InboxFilter) query() query {
	return query{}.str("role", f.Role).str("centre", f.Centre).str("lsp", f.LSP).num("limit", f.Limit)
}

// Inbox reads every case waiting on a person's decision, grouped by role and kind.
func (c *Client) Inbox(ctx context.Context, f InboxFilter) (api.Inbox, error) {
	var in api.Inbox
	return in, c.call(ctx, opInbox, nil, url.Values(f.query()), nil, &in)
}

// TracerStudy reads the tracer-study report.
func (c *Client) TracerStudy(ctx context.Context) (api.TracerStudy, error) {
	var ts api.TracerStudy
	return ts, c.call(ctx, opTracerStudy, nil, nil, nil, &ts)
}
