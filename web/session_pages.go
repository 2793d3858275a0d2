package web

import (
	"html/template"
	"net/http"
)

// noSession answers a page request without a live session. A browser that never logged in is
// sent to the login; one whose session ended (its cookie names no live session: idle, expired,
// logged out elsewhere, token revoked) is told so first, and the login it is offered returns
// to the page it was on: for a form post, the form's page (its "back" field), since the post
// itself cannot be replayed.
func (s *Sessions) noSession(w http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
		next = back(r)
	}
	_, err := r.Cookie(sessionCookie)
	ended := err == nil
	if ended {
		http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true,
			SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
	switch {
	case r.Method == http.MethodGet && !ended:
		http.Redirect(w, r, loginLink(next), http.StatusSeeOther)
	case r.Method == http.MethodGet:
		http.Redirect(w, r, "/expired?next="+template.URLQueryEscaper(next), http.StatusSeeOther)
	default:
		bareProblem(w, r, http.StatusUnauthorized, problem{Kind: "session-expired", Login: loginLink(next)})
	}
}

// expiredPage says that the session ended and offers the login that returns to next.
func (s *Sessions) expiredPage(w http.ResponseWriter, r *http.Request) {
	bareProblem(w, r, http.StatusUnauthorized, problem{Kind: "session-expired", Login: loginLink(r.URL.Query().Get("next"))})
}

// loginLink is the login that returns to next, a path on this site (safeNext).
func loginLink(next string) string {
	next = safeNext(next)
	if next == "/" {
		return "/login"
	}
	return "/login?next=" + template.URLQueryEscaper(next)
}
