package web

import (
	"context"
	"crypto/hmac"
	"errors"
	"net/http"
)

// PreferenceStore keeps an account's language and time zone (*store.Store). Sessions uses it
// when its Accounts store has it too.
type PreferenceStore interface {
	SetAccountPreferences(ctx context.Context, id int64, lang, zone string) error
}

// preferences is the language switch (POST /preferences) in front of the login: a signed-out
// browser keeps its choice in cookies; a password session also stores it on its account, so the
// next login on any browser speaks the same language. A live session's form must carry its
// CSRF token.
func (s *Sessions) preferences(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 16<<10)
	p, ok := prefsFromForm(r)
	if !ok {
		http.Redirect(w, r, back(r), http.StatusSeeOther)
		return
	}
	ws, err := s.liveSession(r)
	switch {
	case errors.Is(err, errNoSession):
	case err != nil:
		s.logger().Error("preferences session", "error", err)
		http.Error(w, "the sessions cannot be checked just now; try again shortly", http.StatusServiceUnavailable)
		return
	default:
		if !hmac.Equal([]byte(r.PostFormValue("csrf")), []byte(s.csrfToken(r))) {
			bareProblem(w, r, http.StatusForbidden, problem{Kind: "form-expired", Back: back(r)})
			return
		}
		if ps, ok := s.Accounts.(PreferenceStore); ok && ws.AccountID != 0 {
			zone := p.Zone
			if zone == "" {
				zone = "WIB"
			}
			if err := ps.SetAccountPreferences(r.Context(), ws.AccountID, string(p.Lang), zone); err != nil {
				s.logger().Error("store preferences", "account", ws.AccountID, "error", err)
				http.Error(w, "the preferences could not be saved; try again shortly", http.StatusServiceUnavailable)
				return
			}
		}
	}
	setPrefsCookies(w, r, p)
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}
