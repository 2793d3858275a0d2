package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// wordingAPI answers every request with status and an error body as the API words it: the
// English error for programs and the message in the language Accept-Language asks for
// (Indonesian when it names none). It records the Accept-Language headers it was sent.
type wordingAPI struct {
	*httptest.Server
	mu    sync.Mutex
	langs []string
}

func newWordingAPI(t *testing.T, status int, english, indonesian string) *wordingAPI {
	t.Helper()
	f := &wordingAPI{}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.mu.Lock()
		f.langs = append(f.langs, r.Header.Get("Accept-Language"))
		f.mu.Unlock()
		message := indonesian
		if i18n.FromAcceptLanguage(r.Header.Get("Accept-Language")) == i18n.EN {
			message = english
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_ = json.NewEncoder(w).Encode(map[string]string{"error": english, "message": message})
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *wordingAPI) sentLanguages() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.langs...)
}

// The command line speaks Indonesian unless told otherwise (--lang, KOMPETEN_LANGUAGE, the
// configuration's language): it sends its language as Accept-Language and prints the API's
// refusals and errors as the server worded them in it, not the English error meant for scripts,
// framed by its own words ("ditolak:", "galat:") in the same language.
func TestCommandLineSpeaksItsLanguage(t *testing.T) {
	t.Chdir(t.TempDir()) // no kompeten.yaml of the developer's is read
	t.Setenv("KOMPETEN_TOKEN", "kpt_ok")
	const (
		refusalEN = "this case is not waiting for a batch registration"
		refusalID = "kasus ini tidak menunggu pendaftaran lewat batch"
		brokenEN  = "internal error; see the server log"
		brokenID  = "kesalahan internal; lihat log server"
	)
	refusing := newWordingAPI(t, http.StatusUnprocessableEntity, refusalEN, refusalID)
	broken := newWordingAPI(t, http.StatusInternalServerError, brokenEN, brokenID)

	for _, tc := range []struct {
		name     string
		env      string // KOMPETEN_LANGUAGE
		args     []string
		code     int
		says     string
		saysNot  string
		language string // the Accept-Language sent
		api      *wordingAPI
	}{
		{"Indonesian by default", "", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", refusing.URL}, exitRefused,
			"ditolak: k3f9x2m7qa: " + refusalID, refusalEN, "id", refusing},
		{"English by flag", "", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", refusing.URL, "--lang", "en"}, exitRefused,
			"refused: k3f9x2m7qa: " + refusalEN, refusalID, "en", refusing},
		{"English by the environment", "en", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", refusing.URL}, exitRefused,
			"refused: k3f9x2m7qa: " + refusalEN, refusalID, "en", refusing},
		{"the flag wins over the environment", "en", []string{"approve", "enrolment", "k3f9x2m7qa", "--server", refusing.URL, "--lang", "id"}, exitRefused,
			"ditolak: k3f9x2m7qa: " + refusalID, refusalEN, "id", refusing},
		{"a server error in Indonesian", "", []string{"case", "list", "--server", broken.URL}, exitFailure,
			"galat: " + brokenID, brokenEN, "id", broken},
		{"a server error in English", "", []string{"case", "list", "--server", broken.URL, "--lang", "en"}, exitFailure,
			"error: " + brokenEN, brokenID, "en", broken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("KOMPETEN_LANGUAGE", tc.env)
			before := len(tc.api.sentLanguages())
			code, stderr := run(t, tc.args...)
			if code != tc.code {
				t.Errorf("exit code %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if !strings.Contains(stderr, tc.says) || strings.Contains(stderr, tc.saysNot) {
				t.Errorf("stderr should say %q and not %q:\n%s", tc.says, tc.saysNot, stderr)
			}
			// The command line's own frame words are in its language too (from the catalogue).
			frames := map[string][]string{"id": {"refused:", "error:"}, "en": {"ditolak:", "galat:"}}
			for _, w := range frames[tc.language] {
				if strings.Contains(stderr, w) {
					t.Errorf("stderr in %s says %q:\n%s", tc.language, w, stderr)
				}
			}
			sent := tc.api.sentLanguages()[before:]
			if len(sent) == 0 || slices.ContainsFunc(sent, func(l string) bool { return l != tc.language }) {
				t.Errorf("Accept-Language sent %q, want %q on every request", sent, tc.language)
			}
		})
	}

	// A language the catalogue does not speak stops the command before any request.
	t.Setenv("KOMPETEN_LANGUAGE", "")
	before := len(refusing.sentLanguages())
	code, stderr := run(t, "approve", "enrolment", "k3f9x2m7qa", "--server", refusing.URL, "--lang", "fr")
	if code != exitFailure || !strings.Contains(stderr, `--lang: must be one of id or en, got "fr"`) {
		t.Errorf("--lang fr: exit code %d, stderr %s", code, stderr)
	}
	if n := len(refusing.sentLanguages()); n != before {
		t.Errorf("--lang fr still sent %d request(s)", n-before)
	}
}
