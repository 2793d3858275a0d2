package apiclient

import (
	"context"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// RetryCase retries a stuck case's failing partner calls now (409, CodeConflict, when none is
// failing).
func (c *Client) RetryCase(ctx context.Context, id string, req api.RetryRequest) (api.RetryResponse, error) {
	return do[api.RetryResponse](ctx, c, opRetryCase, []string{id}, nil, req)
}

// EscalateCase notifies whoever can unblock a stuck case (409, CodeConflict, when it is not
// stuck).
func (c *Client) EscalateCase(ctx context.Context, id string, req api.EscalateRequest) (api.EscalateResponse, error) {
	return do[api.EscalateResponse](ctx, c, opEscalateCase, []string{id}, nil, req)
}

// StuckFilter narrows the stuck list; empty fields do not filter, a zero Limit is the
// server's default (100).
type StuckFilter struct {
	Centre string
	LSP    string
	Stage  vocab.Stage
	Reason vocab.Reason
	Limit  int
	Offset int
}

func (f StuckFilter) query() query {
	return query{}.str("centre", f.Centre).str("lsp", f.LSP).str("stage", string(f.Stage)).str("reason", string(f.Reason)).
		num("limit", f.Limit).num("offset", f.Offset)
}

// ListStuck lists one page of stuck cases, the longest stuck first, and their total.
func (c *Client) ListStuck(ctx context.Context, f StuckFilter) (api.StuckList, error) {
	return do[api.StuckList](ctx, c, opListStuck, nil, f.query(), nil)
}

// StuckReasons lists the stuck codes with their labels, in the order of the path.
func (c *Client) StuckReasons(ctx context.Context) ([]api.StuckReason, error) {
	return do[[]api.StuckReason](ctx, c, opStuckReasons, nil, nil, nil)
}

// Overview reads the funnel per centre and for the network (a count up to 10 s old).
func (c *Client) Overview(ctx context.Context) (api.Overview, error) {
	return do[api.Overview](ctx, c, opOverview, nil, nil, nil)
}

// InboxFilter narrows the approvals inbox; a zero Limit is the server's default (100 per
// group).
type InboxFilter struct {
	Role   vocab.Role // centre-admin or lsp-manager
	Centre string
	LSP    string
	Limit  int
	// Offset skips cases in each group, for paging.
	Offset int
}

func (f InboxFilter) query() query {
	return query{}.str("role", string(f.Role)).str("centre", f.Centre).str("lsp", f.LSP).num("limit", f.Limit).num("offset", f.Offset)
}

// Inbox reads every case waiting on a person's decision, grouped by role and kind.
func (c *Client) Inbox(ctx context.Context, f InboxFilter) (api.Inbox, error) {
	return do[api.Inbox](ctx, c, opInbox, nil, f.query(), nil)
}

// TracerStudy reads the tracer-study report.
func (c *Client) TracerStudy(ctx context.Context) (api.TracerStudy, error) {
	return do[api.TracerStudy](ctx, c, opTracerStudy, nil, nil, nil)
}

// Doctor compares Temporal's state of every case with the read model and, with repair,
// rewrites the drifted rows. It may take minutes with many open cases: give the client a
// timeout to match (WithTimeout).
func (c *Client) Doctor(ctx context.Context, repair bool) (starter.DoctorReport, error) {
	return do[starter.DoctorReport](ctx, c, opDoctor, nil, nil, api.DoctorRequest{Repair: repair})
}
