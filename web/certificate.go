package web

import (
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/selfreport"
	"github.com/bpvp-sidoarjo/kompeten/store"
)

// certificateData is the printable certificate summary of a case (issue 18).
type certificateData struct {
	Case      store.Case
	Name      string
	Scheme    string
	Trade     string
	VerifyURL string
	QR        template.HTML
	// Revocation is the certificate's revocation, shown above everything else (nil: valid).
	Revocation *api.Revocation
}

// certificatePage is a one-page summary of a case's certificate for the trainee to keep or show
// an employer, with a QR code to the public check (/verifikasi/<number>). It is a staff page:
// the trainee gets it printed from the case page.
func (s *Server) certificatePage(w http.ResponseWriter, r *http.Request) {
	v, err := s.api.GetCase(r.Context(), r.PathValue("id"))
	if err != nil {
		s.failPage(w, r, err)
		return
	}
	c := v.Case
	if c.CertificateNo == "" {
		s.problemPage(w, r, http.StatusNotFound, problem{Kind: "not-found", Detail: both("kasus ini belum bersertifikat", "this case has no certificate yet")})
		return
	}
	d := certificateData{Case: c, VerifyURL: s.publicURL(r) + selfreport.VerifyPath + url.PathEscape(c.CertificateNo),
		Revocation: api.RevocationIn(v.Events)}
	if c.Person != nil {
		d.Name = c.Person.Name
	}
	if p, err := s.api.GetPackage(r.Context(), c.PackageCode); err == nil {
		d.Scheme, d.Trade = p.Scheme, p.Trade
	} else if !errors.Is(err, store.ErrNotFound) {
		s.opts.Logger.Warn("certificate summary: package", "package", c.PackageCode, "error", err)
	}
	if d.QR, err = selfreport.QRSVG(d.VerifyURL); err != nil {
		s.failPage(w, r, err)
		return
	}
	s.render(w, r, "certificate", page{Title: both("Sertifikat "+c.CaseID, "Certificate "+c.CaseID), Nav: "case", Bare: true, Data: d})
}

// publicURL is where the public reaches kompeten (Options.PublicURL), else this request's host.
func (s *Server) publicURL(r *http.Request) string {
	if s.opts.PublicURL != "" {
		return strings.TrimRight(s.opts.PublicURL, "/")
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	return scheme + "://" + r.Host
}
