package web

import (
	"net/http"
	"strings"
)

// downloadable are the API reads the pages offer as files; /download/<path> serves them under
// the page's login, so a browser needs no API token. Only reads, only these.
var downloadable = []string{"v1/cases", "v1/stuck", "v1/inbox", "v1/packages", "v1/followups", "v1/overview", "v1/reports/tracer-study", "openapi.yaml"}

// download serves GET /download/<api path>?<query> as GET /api/<api path> with the session's
// identity (the session middleware put it in the context): a logged-in browser downloads what
// its role and scope may read. A CSV is Excel's Indonesian dialect (semicolon, BOM, WIB) unless
// the link asks for another; the answer streams straight from the API.
func (s *Server) download(w http.ResponseWriter, r *http.Request) {
	p := r.PathValue("path")
	ok := false
	for _, d := range downloadable {
		if p == d || (d == "v1/cases" && strings.HasPrefix(p, "v1/cases/") && strings.HasSuffix(p, "/events")) {
			ok = true
		}
	}
	if !ok {
		s.notFound(w, r)
		return
	}
	q := r.URL.Query()
	if q.Get("format") == "csv" && q.Get("dialect") == "" {
		q.Set("dialect", "excel")
	}
	// The file's times are in the person's own zone, as on the pages.
	if z := prefsOf(r).Zone; z != "" && q.Get("zone") == "" && (q.Get("format") == "csv" || q.Get("format") == "xlsx") {
		q.Set("zone", z)
	}
	in := r.Clone(r.Context())
	in.URL.Path = "/api/" + p
	in.URL.RawPath = ""
	in.URL.RawQuery = q.Encode()
	in.RequestURI = in.URL.RequestURI()
	s.next.ServeHTTP(w, in)
}

// downloadLink turns an API download path (apiclient.Download) into its page link.
func downloadLink(apiPath string) string {
	if rest, ok := strings.CutPrefix(apiPath, "/api/"); ok {
		return "/download/" + rest
	}
	return apiPath
}

// xlsxLink is a CSV download's page link as an XLSX workbook.
func xlsxLink(apiPath string) string {
	return strings.Replace(downloadLink(apiPath), "format=csv", "format=xlsx", 1)
}
