package web

import (
	"errors"
	"net/http"
	"strings"
	"sync"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
)

// problem is what an error page says: a kind (its heading and advice, in Indonesian with the
// English beside it), the detail behind it (the API's sentence, if any) and where to go on.
type problem struct {
	Kind   string // not-found, forbidden, form-expired, session-expired, failed
	Detail string
	// Login is the login link that returns to the page the person was on (session-expired).
	Login string
	// Back is the page to return to (form-expired): the form's own page.
	Back string
}

// problemTitles are the error pages' titles.
var problemTitles = map[string]string{
	"not-found":       both("Tidak ditemukan", "Not found"),
	"forbidden":       both("Tidak diizinkan", "Not allowed"),
	"form-expired":    both("Formulir kedaluwarsa", "Form expired"),
	"session-expired": both("Sesi berakhir", "Session ended"),
	"failed":          both("Tidak dapat ditampilkan", "Cannot be shown"),
}

// problemPage renders an error page with the person's chrome (menu, identity).
func (s *Server) problemPage(w http.ResponseWriter, r *http.Request, status int, p problem) {
	p.Detail = pickPair(p.Detail, prefsOf(r).Lang)
	s.render(w, r, "error", page{Title: problemTitles[p.Kind], Status: status, Data: p})
}

// notFound is the pages' 404: an Indonesian page, not Go's "404 page not found".
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	s.problemPage(w, r, http.StatusNotFound, problem{Kind: "not-found"})
}

// formExpired answers a form post that failed the cross-origin check.
func (s *Server) formExpired(w http.ResponseWriter, r *http.Request) {
	s.problemPage(w, r, http.StatusForbidden, problem{Kind: "form-expired", Back: refererPath(r)})
}

// failPage shows an API failure as a page: its kind from the status, the API's sentence as
// the detail.
func (s *Server) failPage(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusBadGateway
	var ae *apiclient.Error
	if errors.As(err, &ae) {
		status = ae.Status
	} else {
		s.opts.Logger.Error("page", "path", r.URL.Path, "error", err)
	}
	kind := "failed"
	switch status {
	case http.StatusNotFound:
		kind = "not-found"
	case http.StatusForbidden:
		kind = "forbidden"
	}
	detail := err.Error()
	if ae != nil {
		detail = ae.Say()
	}
	s.problemPage(w, r, status, problem{Kind: kind, Detail: detail})
}

// htmlNotFound answers a browser's page request that next (the API, which knows only its own
// paths) would answer with Go's plain "404 page not found": the pages' 404 instead. API paths
// and requests that do not ask for HTML get next's answer untouched.
func (s *Server) htmlNotFound(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/api/") || !strings.Contains(r.Header.Get("Accept"), "text/html") {
			next.ServeHTTP(w, r)
			return
		}
		nf := &notFoundWriter{ResponseWriter: w}
		next.ServeHTTP(nf, r)
		if nf.missing {
			s.notFound(w, r)
		}
	})
}

// notFoundWriter swallows a plain-text 404 so the page's own can be written instead.
type notFoundWriter struct {
	http.ResponseWriter
	missing bool
	wrote   bool
}

func (n *notFoundWriter) WriteHeader(code int) {
	if n.wrote {
		return
	}
	n.wrote = true
	if code == http.StatusNotFound && strings.HasPrefix(n.Header().Get("Content-Type"), "text/plain") {
		n.missing = true
		n.Header().Del("Content-Type")
		n.Header().Del("X-Content-Type-Options")
		return
	}
	n.ResponseWriter.WriteHeader(code)
}

func (n *notFoundWriter) Write(b []byte) (int, error) {
	if !n.wrote {
		n.WriteHeader(http.StatusOK)
	}
	if n.missing {
		return len(b), nil
	}
	return n.ResponseWriter.Write(b)
}

// Flush passes streaming answers on (downloads through the API).
func (n *notFoundWriter) Flush() {
	if f, ok := n.ResponseWriter.(http.Flusher); ok && !n.missing {
		f.Flush()
	}
}

// Unwrap lets http.ResponseController reach the connection.
func (n *notFoundWriter) Unwrap() http.ResponseWriter { return n.ResponseWriter }

// refererPath is the path of the page a form was posted from, when it is this site's.
func refererPath(r *http.Request) string {
	ref := r.Header.Get("Referer")
	if ref == "" {
		return "/"
	}
	if i := strings.Index(ref, "://"); i >= 0 {
		rest := ref[i+3:]
		host, path, _ := strings.Cut(rest, "/")
		if host != r.Host {
			return "/"
		}
		ref = "/" + path
	}
	return safeNext(ref)
}

// bare renders the error pages outside the pages' server (the login's middleware: an ended
// session): no menu, no identity, no clock.
var bare struct {
	once sync.Once
	s    *Server
	err  error
}

// bareProblem writes an error page from outside the pages' server.
func bareProblem(w http.ResponseWriter, r *http.Request, status int, p problem) {
	bare.once.Do(func() { bare.s, bare.err = New(http.NotFoundHandler(), Options{}) })
	if bare.err != nil {
		http.Error(w, pickPair(problemTitles[p.Kind], prefsOf(r).Lang), status)
		return
	}
	w.Header().Set("Content-Security-Policy", pageCSP)
	w.Header().Set("X-Content-Type-Options", "nosniff")
	p.Detail = pickPair(p.Detail, prefsOf(r).Lang)
	bare.s.render(w, r, "error", page{Title: problemTitles[p.Kind], Status: status, Data: p, Bare: true})
}
