package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
)

// fakeAPI answers every request with status and {"error": message}, and records the
// Authorization header it was sent.
type fakeAPI struct {
	*httptest.Server
	mu   sync.Mutex
	auth []string
}

func newFakeAPI(t *testing.T, status int, message string) *fakeAPI {
	t.Helper()
	f := &fakeAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.auth = append(f.auth, r.Header.Get("Authorization"))
		f.mu.Unlock()
		if status == http.StatusUnauthorized {
			w.Header().Set("WWW-Authenticate", `Bearer realm="kompeten", error="invalid_token"`)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": message})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeAPI) sentAuth() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.auth...)
}

// run executes the command line as main does and returns its exit code and what it printed on
// stderr.
func run(t *testing.T, args ...string) (int, string) {
	t.Helper()
	root := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs(args)
	cmd, err := root.ExecuteC()
	if err == nil {
		return 0, stderr.String()
	}
	code := exitCode(&stderr, cmd, err)
	return code, stderr.String()
}

// A refused token (HTTP 401) ends the command with exit code 4 and says which token was refused
// and how to get one; a request the token may not make (HTTP 403) ends with 5 and the server's
// reason. Every operator command goes through the same client, the raw one (batch files) too.
func TestAuthFailuresHaveTheirOwnExitCodes(t *testing.T) {
	t.Chdir(t.TempDir()) // no kompeten.yaml of the developer's is read
	t.Setenv("KOMPETEN_TOKEN", "")
	unauthorized := newFakeAPI(t, http.StatusUnauthorized, "unknown or revoked API token")
	// The server's own wording: a step the role may not take, a list filter outside the scope.
	wrongRole := newFakeAPI(t, http.StatusForbidden, "role viewer may not decide-certification; allowed: lsp-manager")
	outOfScope := newFakeAPI(t, http.StatusForbidden, "centre-admin ani is scoped to BLK-SBY; centre BLK-MLG is outside it")
	refused := newFakeAPI(t, http.StatusUnprocessableEntity, "enrolment is not waiting for a decision")
	broken := newFakeAPI(t, http.StatusInternalServerError, "internal error; see the server log")
	closed := newFakeAPI(t, http.StatusConflict, "case vzv3xwdx2q is closed (placed-formal): nothing to approve")

	for _, tc := range []struct {
		name string
		env  string // KOMPETEN_TOKEN
		args []string
		code int
		says []string
	}{
		{"401 with --token", "", []string{"case", "list", "--server", unauthorized.URL, "--token", "kpt_revoked"}, exitBadToken,
			[]string{"the API refused the token from --token: unknown or revoked API token", "kompeten token create", "KOMPETEN_TOKEN"}},
		{"401 with KOMPETEN_TOKEN", "kpt_revoked", []string{"stuck", "--server", unauthorized.URL}, exitBadToken,
			[]string{"the API refused the token from KOMPETEN_TOKEN: unknown or revoked API token", "kompeten token create"}},
		{"401 on a step", "kpt_revoked", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", unauthorized.URL}, exitBadToken,
			[]string{"refused the token from KOMPETEN_TOKEN"}},
		{"401 on the batch file", "", []string{"insurance", "export", "--server", unauthorized.URL, "--token", "kpt_revoked", "--out", "x.xlsx"}, exitBadToken,
			[]string{"the API refused the token from --token"}},
		{"401 without any token", "", []string{"case", "list", "--server", unauthorized.URL, "--data-dir", t.TempDir()}, exitBadToken,
			[]string{"the API needs a token and none was found", "kompeten token create", "dev-token"}},
		{"403 on a step", "", []string{"approve", "certification", "k3f9x2m7qa", "--server", wrongRole.URL, "--token", "kpt_vera"}, exitForbidden,
			[]string{"not allowed for the token from --token: role viewer may not decide-certification"}},
		{"403 on a list", "kpt_ani", []string{"case", "list", "--centre", "BLK-MLG", "--server", outOfScope.URL}, exitForbidden,
			[]string{"centre-admin ani is scoped to BLK-SBY; centre BLK-MLG is outside it"}},
		{"422 stays a refusal", "", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", refused.URL, "--token", "kpt_ok"}, exitRefused,
			[]string{"ditolak: k3f9x2m7qa: enrolment is not waiting for a decision"}},
		{"422 on a bulk request stays a refusal", "", []string{"approve", "enrolment", "k3f9x2m7qa", "m2hd8s0p1x", "--server", refused.URL, "--token", "kpt_ok"}, exitRefused,
			[]string{"ditolak: approve 2 keputusan enrolment: enrolment is not waiting"}},
		{"409 on a closed case is a refusal", "", []string{"approve", "enrolment", "vzv3xwdx2q", "--server", closed.URL, "--token", "kpt_ok"}, exitRefused,
			[]string{"case vzv3xwdx2q is closed (placed-formal): nothing to approve"}},
		{"500 is a failure", "", []string{"case", "list", "--server", broken.URL, "--token", "kpt_ok"}, exitFailure,
			[]string{"internal error"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KOMPETEN_TOKEN", tc.env)
			code, stderr := run(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			for _, s := range tc.says {
				if !strings.Contains(stderr, s) {
					t.Errorf("stderr does not say %q:\n%s", s, stderr)
				}
			}
		})
	}
	// Every request carried its token, the batch file's too (it used to send none); the one
	// made without any token sent no header.
	want := []string{"Bearer kpt_revoked", "Bearer kpt_revoked", "Bearer kpt_revoked", "Bearer kpt_revoked", ""}
	if got := unauthorized.sentAuth(); !slices.Equal(got, want) {
		t.Errorf("Authorization headers sent: %q, want %q", got, want)
	}
}
