package web

import (
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// peopleFuncs are the template helpers for a person's phone: a tel: link and a WhatsApp link.
// html/template refuses tel: URLs it did not make, so they are built here from the digits only.
func peopleFuncs() template.FuncMap {
	return template.FuncMap{
		"download": downloadLink, // web/downloads.go
		"xlsx":     xlsxLink,
		"tel": func(phone string) template.URL {
			d := phoneDigits(phone)
			if d == "" {
				return ""
			}
			if strings.HasPrefix(strings.TrimSpace(phone), "+") {
				d = "+" + d
			}
			return template.URL("tel:" + d)
		},
		"whatsapp": func(phone string) template.URL {
			d := phoneDigits(phone)
			if d == "" {
				return ""
			}
			return template.URL("https://wa.me/" + waNumber(d))
		},
	}
}

// phoneDigits keeps a phone number's digits; a number with fewer than 6 is none.
func phoneDigits(phone string) string {
	var b strings.Builder
	for _, r := range phone {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	if b.Len() < 6 {
		return ""
	}
	return b.String()
}

// waNumber is an Indonesian number in WhatsApp's international form: 0812... becomes 62812....
func waNumber(digits string) string {
	if rest, ok := strings.CutPrefix(digits, "0"); ok {
		return "62" + rest
	}
	return digits
}

// casesPageSize is how many cases one page of the case list shows.
const casesPageSize = 50

type casesData struct {
	Page   api.CasePage
	Search api.SearchRequest
	// Searched says the list answers a search (a POST): its paging posts the search again, so the
	// name or NIK stays in the form body and never reaches a URL.
	Searched bool
	Stages   []vocab.Stage
	Prev     int // the previous page's offset, -1 on the first page
	Next     int // the next page's offset, -1 on the last page
	// CSV downloads the list's filters (never the name or NIK: a download is a GET).
	CSV string
}

// casesPage lists every case in the reader's scope, a page at a time (GET /cases?offset=N), or
// the cases of a search by name or NIK (POST /cases, the words in the form body).
func (s *Server) casesPage(w http.ResponseWriter, r *http.Request) {
	d := casesData{Stages: vocab.Stages, Searched: r.Method == http.MethodPost}
	get := r.FormValue // the query on a GET, the body on a POST
	if d.Searched {
		get = r.PostFormValue
		d.Search.Name = strings.TrimSpace(get("name"))
		d.Search.NIK = strings.TrimSpace(get("nik"))
	}
	d.Search.Centre, d.Search.LSP, d.Search.Package = get("centre"), get("lsp"), get("package")
	d.Search.Stage, d.Search.Status = vocab.Stage(get("stage")), get("status")
	d.Search.Stuck = get("stuck") == "1"
	off, _ := strconv.Atoi(get("offset"))
	d.Search.Offset, d.Search.Limit = max(off, 0), casesPageSize
	var err error
	if d.Page, err = s.api.SearchCases(r.Context(), d.Search); err != nil {
		s.failPage(w, r, err)
		return
	}
	d.CSV = string(apiclient.CasesCSV(apiclient.CaseFilter{Package: d.Search.Package, Centre: d.Search.Centre, LSP: d.Search.LSP,
		Stage: d.Search.Stage, Status: d.Search.Status, Stuck: d.Search.Stuck}))
	d.Prev, d.Next = -1, -1
	if d.Search.Offset > 0 {
		d.Prev = max(d.Search.Offset-casesPageSize, 0)
	}
	if d.Search.Offset+len(d.Page.Cases) < d.Page.Total {
		d.Next = d.Search.Offset + casesPageSize
	}
	s.render(w, r, "cases", page{Title: both("Kasus", "Cases"), Nav: "cases", Data: d})
}

// inboxPageSize is how many cases each inbox group shows on one page.
const inboxPageSize = 50

// PageURL is the inbox page at offset (the same filters), or "" when offset is outside group
// g: the pager of a group.
func (d inboxData) PageURL(g api.InboxGroup, offset int) string {
	if offset < 0 || offset >= g.Total || offset == g.Offset {
		return ""
	}
	return "/inbox?" + d.Filter.query(url.Values{"offset": {strconv.Itoa(offset)}}) + "#group-" + g.Kind
}

// PrevOffset and NextOffset are the neighbouring pages' offsets of an inbox group.
func (d inboxData) PrevOffset(g api.InboxGroup) int {
	if g.Offset == 0 {
		return -1
	}
	return max(g.Offset-inboxPageSize, 0)
}

// NextOffset is the next page's offset of an inbox group, -1 on its last page.
func (d inboxData) NextOffset(g api.InboxGroup) int {
	if g.Offset+len(g.Cases) >= g.Total {
		return -1
	}
	return g.Offset + inboxPageSize
}
