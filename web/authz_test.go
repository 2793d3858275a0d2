package web_test

import (
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/web"
)

// siteAs serves the pages over the fake API with id logged in.
func siteAs(t *testing.T, id auth.Identity) *browser {
	t.Helper()
	s, err := web.New(&fakeAPI{}, web.Options{})
	if err != nil {
		t.Fatal(err)
	}
	h := s.Handler()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r.WithContext(api.WithIdentity(r.Context(), id)))
	}))
	t.Cleanup(srv.Close)
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, base: srv.URL, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// The pages show a form only to a role auth's policy lets take its action (issue 15 point 3):
// a coordinator sees no certification Approve button, a centre admin no escalation or retry,
// a viewer no form at all; each role sees the forms of the actions it may take.
func TestPagesShowOnlyTheActionsTheRoleMayTake(t *testing.T) {
	// The fake API's inbox has an enrolment (enr0000001), a certification (cert000001) and a
	// refused certificate (refd000001); its stuck list a retryable case (bpjs000001); a case
	// whose data BPJS refused (corr000001) has the correction form on its page.
	forms := map[string]string{
		"enrolment":     `action="/cases/enr0000001/decide"`,
		"certification": `action="/cases/cert000001/decide"`,
		"retry-refused": `name="kind" value="retry"`,
		"reassess":      `name="kind" value="reassess"`,
		"skip":          `name="kind" value="skip"`,
		"retry":         `action="/cases/bpjs000001/retry"`,
		"escalate":      `action="/cases/bpjs000001/escalate"`,
		"correction":    `action="/cases/corr000001/correct"`,
	}
	if len(forms) != len(web.PageActions()) {
		t.Fatalf("the test knows %d page forms, the pages offer %d: %v", len(forms), len(web.PageActions()), web.PageActions())
	}
	for _, role := range auth.TokenRoles {
		id := auth.Identity{Name: "x", Role: role}
		if role == vocab.RoleCentreAdmin {
			id.Scopes = []string{"BLK-SBY"}
		}
		if role == vocab.RoleLSPManager {
			id.Scopes = []string{"LSP-BLK-SBY"}
		}
		b := siteAs(t, id)
		_, _, inbox := b.get("/inbox")
		_, _, stuck := b.get("/stuck")
		_, _, refused := b.get("/cases/corr000001")
		pages := inbox + stuck + refused
		for form, marker := range forms {
			want := auth.Allowed(role, web.PageActions()[form])
			if got := strings.Contains(pages, marker); got != want {
				t.Errorf("%s: form %s shown = %v, policy says %v", role, form, got, want)
			}
		}
	}
	// The example, spelled out.
	_, _, inbox := siteAs(t, auth.Identity{Name: "cora", Role: vocab.RoleCoordinator}).get("/inbox")
	if strings.Contains(inbox, `action="/cases/cert000001/decide"`) {
		t.Error("a coordinator is shown the certification Approve button")
	}
}
