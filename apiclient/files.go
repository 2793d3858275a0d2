package apiclient

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// XLSX is the content type of the spreadsheets the API sends and takes.
const XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// A Download is the link (path and query) of a list or report as a file, CSV or XLSX: the
// pages put it in an href, Client.Download fetches it. The functions below make them.
type Download string

func download(op operation, params []string, q query, format string) Download {
	return Download(op.url(params, url.Values(q.str("format", format))))
}

// CasesCSV is the case list as CSV.
func CasesCSV(f CaseFilter) Download { return download(opListCases, nil, f.query(), "csv") }

// CaseEventsCSV is a case's event log as CSV.
func CaseEventsCSV(id string) Download { return download(opCaseEvents, []string{id}, query{}, "csv") }

// StuckCSV is the stuck list as CSV (everything, unless f limits it).
func StuckCSV(f StuckFilter) Download { return download(opListStuck, nil, f.query(), "csv") }

// PackagesCSV is the packages list as CSV, of one centre when centre is not empty.
func PackagesCSV(centre string) Download {
	return download(opListPackages, nil, query{}.str("centre", centre), "csv")
}

// FollowUpsCSV is the placement follow-ups due or overdue as CSV, of one centre when centre is
// not empty.
func FollowUpsCSV(centre string) Download {
	return download(opListFollowUps, nil, query{}.str("centre", centre), "csv")
}

// InboxCSV is the approvals inbox as CSV.
func InboxCSV(f InboxFilter) Download { return download(opInbox, nil, f.query(), "csv") }

// OverviewCSV is the funnel per centre as CSV.
func OverviewCSV() Download { return download(opOverview, nil, query{}, "csv") }

// TracerStudyCSV is the tracer-study report as CSV.
func TracerStudyCSV() Download { return download(opTracerStudy, nil, query{}, "csv") }

// TracerStudyXLSX is the tracer-study report as a workbook.
func TracerStudyXLSX() Download { return download(opTracerStudy, nil, query{}, "xlsx") }

// Download fetches a list or report as a file.
func (c *Client) Download(ctx context.Context, d Download) (*File, error) {
	return c.Fetch(ctx, http.MethodGet, string(d), "", nil)
}

// ExportBatch fetches the registrations waiting for the BPJS branch office as a workbook and
// marks them exported; its X-Kompeten-Rows header counts them.
func (c *Client) ExportBatch(ctx context.Context) (*File, error) {
	return c.fetch(ctx, opExportBatch, nil, nil, "", nil)
}

// ImportBatch sends the workbook the branch office returned (xlsx) and delivers each KPJ in it
// to its waiting journey; actor is who imports it (the token's name when the API requires
// tokens).
func (c *Client) ImportBatch(ctx context.Context, actor string, xlsx []byte) (api.BatchImportResponse, error) {
	var res api.BatchImportResponse
	f, err := c.fetch(ctx, opImportBatch, nil, query{}.str("actor", actor), XLSX, xlsx)
	if err != nil {
		return res, err
	}
	if err := json.Unmarshal(f.Data, &res); err != nil {
		return res, c.fail(fmt.Errorf("decode answer of %s %s: %w", opImportBatch.Method, opImportBatch.Path, err))
	}
	return res, nil
}

// ListBatchExports lists the BPJS batch files taken, newest first: who took each, when, how
// many rows and which cases; limit 0 is the server's default (100).
func (c *Client) ListBatchExports(ctx context.Context, limit int) ([]store.BatchExport, error) {
	return do[[]store.BatchExport](ctx, c, opListBatchExports, nil, query{}.num("limit", limit), nil)
}

// ListFollowUps downloads the placement follow-ups due or overdue (of one centre when centre is
// not empty) as Excel's CSV (GET /api/v1/followups); FollowUps reads one page of it.
func (c *Client) ListFollowUps(ctx context.Context, centre string) (*File, error) {
	return c.Download(ctx, Download(string(FollowUpsCSV(centre))+"&dialect=excel"))
}

// FollowUpFilter selects a page of the follow-ups list.
type FollowUpFilter struct {
	Centre string
	Limit  int // 0: the API's default (200)
	Offset int
}

// FollowUps reads one page of the placement follow-ups due or overdue, with the self-reported
// placements waiting for staff (GET /api/v1/followups?format=json), from the read model.
func (c *Client) FollowUps(ctx context.Context, f FollowUpFilter) (api.FollowUpList, error) {
	q := query{}.str("format", "json").str("centre", f.Centre).num("limit", f.Limit).num("offset", f.Offset)
	return do[api.FollowUpList](ctx, c, opListFollowUps, nil, q, nil)
}
