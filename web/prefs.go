package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// prefs are how the pages speak to one person: one language and one time zone. An account keeps
// them in the store (the session puts them in the request's context); a browser without an
// account session keeps them in cookies.
type prefs struct {
	Lang i18n.Lang
	// Zone is "WIB", "WITA" or "WIT"; empty: the pages' configured zone (journey.timezone).
	Zone string
}

// The cookies that remember a browser's language and time zone (no session needed: the login
// and the ended-session pages follow them too).
const (
	langCookie = "kompeten_lang"
	zoneCookie = "kompeten_zone"
)

// zoneNames are the time zones a person may choose, Indonesia's three.
var zoneNames = []string{"WIB", "WITA", "WIT"}

// zoneLocations are the IANA zones behind the names.
var zoneLocations = map[string]string{"WIB": "Asia/Jakarta", "WITA": "Asia/Makassar", "WIT": "Asia/Jayapura"}

type prefsKey struct{}

// withPrefs is ctx carrying an account's preferences (the session middleware sets it).
func withPrefs(ctx context.Context, p prefs) context.Context {
	return context.WithValue(ctx, prefsKey{}, p)
}

// prefsOf are the request's preferences: the account's, else the browser's cookies, else
// Indonesian in the configured zone.
func prefsOf(r *http.Request) prefs {
	if p, ok := r.Context().Value(prefsKey{}).(prefs); ok {
		return p
	}
	p := prefs{Lang: i18n.ID}
	if c, err := r.Cookie(langCookie); err == nil && i18n.Known(c.Value) {
		p.Lang = i18n.Lang(c.Value)
	}
	if c, err := r.Cookie(zoneCookie); err == nil {
		if _, ok := zoneLocations[c.Value]; ok {
			p.Zone = c.Value
		}
	}
	return p
}

// accountPrefs reads an account's stored language and zone; anything unknown is the default.
func accountPrefs(lang, zone string) prefs {
	p := prefs{Lang: i18n.ID}
	if i18n.Known(lang) {
		p.Lang = i18n.Lang(lang)
	}
	if _, ok := zoneLocations[zone]; ok {
		p.Zone = zone
	}
	return p
}

// location is the zone a preference names, or def.
func (p prefs) location(def *time.Location) *time.Location {
	if name, ok := zoneLocations[p.Zone]; ok {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return def
}

// reader words the catalogue's messages for these preferences.
func (p prefs) reader(def *time.Location) i18n.Reader { return i18n.For(p.Lang, p.location(def)) }

// prefsFromForm reads the language switch's form; ok is false when it names nothing known.
func prefsFromForm(r *http.Request) (prefs, bool) {
	lang, zone := r.PostFormValue("lang"), r.PostFormValue("zone")
	if !i18n.Known(lang) {
		return prefs{}, false
	}
	if _, ok := zoneLocations[zone]; !ok && zone != "" {
		return prefs{}, false
	}
	return prefs{Lang: i18n.Lang(lang), Zone: zone}, true
}

// setPrefsCookies remembers the preferences on this browser for a year.
func setPrefsCookies(w http.ResponseWriter, r *http.Request, p prefs) {
	for name, v := range map[string]string{langCookie: string(p.Lang), zoneCookie: p.Zone} {
		http.SetCookie(w, &http.Cookie{Name: name, Value: v, Path: "/", MaxAge: 365 * 24 * 3600,
			HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	}
}

// setPreferences is the language switch's form (POST /preferences, on every page): the browser
// remembers the choice; an account's session has already stored it (Sessions.Wrap).
func (s *Server) setPreferences(w http.ResponseWriter, r *http.Request) {
	if p, ok := prefsFromForm(r); ok {
		setPrefsCookies(w, r, p)
	}
	http.Redirect(w, r, back(r), http.StatusSeeOther)
}

// pairMark separates the Indonesian and English of a flash message written with both.
const pairMark = "\x1f"

// both is a flash message in both languages; the page shows the reader's (pickPair).
func both(id, en string) string { return id + pairMark + en }

// bothOf is a flash message worded by say from the catalogue in both languages (pickPair shows
// the reader's): the flash is set before the redirect, when the next page's reader is not known.
func bothOf(say func(i18n.Reader) string) string {
	return both(say(i18n.For(i18n.ID, nil)), say(i18n.For(i18n.EN, nil)))
}

// sayAll words each message for the reader and joins them with sep.
func sayAll(rd i18n.Reader, ms []i18n.Message, sep string) string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.In(rd)
	}
	return strings.Join(out, sep)
}

// pickPair keeps the reader's language of a text made by both; any other text is left as it is.
func pickPair(text string, l i18n.Lang) string {
	id, en, ok := strings.Cut(text, pairMark)
	if !ok {
		return text
	}
	if l == i18n.EN {
		return en
	}
	return id
}

// loginBack is where the login page's language switch returns: the login, keeping where it
// leads after (next, already checked by safeNext).
func loginBack(next string) string {
	if next == "" || next == "/" {
		return "/login"
	}
	return "/login?next=" + url.QueryEscape(next)
}
