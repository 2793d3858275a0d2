package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/nik"
	"github.com/bpvp-sidoarjo/kompeten/starter"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// unfilledParam is a catalogue parameter left in braces.
var unfilledParam = regexp.MustCompile(`\{[a-z]+(\|[a-z]+)?\}`)

// errorIn sends body to url+path with token and Accept-Language lang and decodes the error.
func errorIn(t *testing.T, method, url, token, lang string, body any, status int) api.ErrorBody {
	t.Helper()
	b, err := json.Marshal(body)
	if err != nil {
		t.Fatal(err)
	}
	req, err := http.NewRequest(method, url, bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept-Language", lang)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var e api.ErrorBody
	if err := json.NewDecoder(resp.Body).Decode(&e); err != nil || resp.StatusCode != status {
		t.Fatalf("%s %s (%s): HTTP %d %+v %v, want %d", method, url, lang, resp.StatusCode, e, err, status)
	}
	return e
}

// wordedWholly checks one refusal in both languages: the Indonesian message holds none of the
// producer's English sentences (each also in the English error, so the check can fail), the two
// messages differ, and neither leaves a parameter unfilled.
func wordedWholly(t *testing.T, name string, send func(lang string) api.ErrorBody, english ...string) {
	t.Helper()
	id, en := send("id"), send("en")
	if id.Message == en.Message {
		t.Errorf("%s: the same message in both languages: %q", name, id.Message)
	}
	for _, m := range []string{id.Message, en.Message} {
		if m == "" || unfilledParam.MatchString(m) || strings.Contains(m, "%!") {
			t.Errorf("%s: message %q empty or with a parameter unfilled", name, m)
		}
	}
	for _, s := range english {
		if !strings.Contains(id.Error, s) {
			t.Fatalf("%s: the English error %q lacks the producer's sentence %q: the check below would prove nothing", name, id.Error, s)
		}
		if strings.Contains(id.Message, s) {
			t.Errorf("%s: the Indonesian message carries the English %q: %q", name, s, id.Message)
		}
		if !strings.Contains(en.Message, s) {
			t.Errorf("%s: the English message %q does not say %q", name, en.Message, s)
		}
	}
}

// englishOf is err's English, failing when there is no error.
func englishOf(t *testing.T, err error) string {
	t.Helper()
	if err == nil {
		t.Fatal("no error to word")
	}
	return err.Error()
}

// The NIK and date parsers' problems reach the reader wholly in their language: a NIK a search
// or a lookup refuses, a package's date, an agreement's dates. No store needed: each is answered
// before one would be.
func TestParserProblemsWordedInTheReadersLanguage(t *testing.T) {
	cfg := config.Default()
	svc, err := starter.New(nil, nil, &cfg, []byte("test key"))
	if err != nil {
		t.Fatal(err)
	}
	srv := newHTTPServer(t, (&api.Server{Svc: svc}).Handler())
	now := time.Now()
	_, fifteen := nik.Normalize("351501590704118")
	_, sciErr := nik.Normalize("3.51502E+15")
	_, when := starter.ParseWhen("next tuesday", time.UTC, now)
	_, dur := starter.ParseWhen("+2x", time.UTC, now)
	_, day := api.ParseDay("someday", now)
	_, days := api.ParseDay("+xd", now)
	for _, c := range []struct {
		name, path string
		body       any
		status     int
		english    []string
	}{
		{"lookup NIK", "/api/v1/cases/lookup", map[string]string{"nik": "351501590704118"}, 422, []string{englishOf(t, fifteen)}},
		{"search NIK", "/api/v1/cases/search", map[string]string{"nik": "3.51502E+15"}, 422, []string{englishOf(t, sciErr)}},
		{"package date", "/api/v1/packages", map[string]string{"code": "P1", "start": "next tuesday", "end": "2027-01-31"}, 422,
			[]string{englishOf(t, when)}},
		{"package duration", "/api/v1/packages", map[string]string{"code": "P1", "start": "2027-01-01", "end": "+2x"}, 422,
			[]string{englishOf(t, dur)}},
		{"agreement dates", "/api/v1/mous", map[string]any{"number": "MOU/1", "valid_from": "someday", "valid_until": "+xd", "signed_on": ""}, 422,
			[]string{englishOf(t, day), englishOf(t, days)}},
		{"agreement date required", "/api/v1/mous", map[string]any{"number": "MOU/1", "valid_from": "2027-01-01"}, 422,
			[]string{"valid_until is required"}},
	} {
		wordedWholly(t, c.name, func(lang string) api.ErrorBody {
			return errorIn(t, "POST", srv+c.path, "", lang, c.body, c.status)
		}, c.english...)
	}
}

// newHTTPServer serves h for the test and returns its address.
func newHTTPServer(t *testing.T, h http.Handler) string {
	t.Helper()
	s := httptest.NewServer(h)
	t.Cleanup(s.Close)
	return s.URL
}

// The enrol API's refusal of a person it cannot enrol (starter.CheckPerson), and a correction
// the import's validator refuses, reach the reader wholly in their language.
func TestPersonAndCorrectionRefusalsWordedInTheReadersLanguage(t *testing.T) {
	s := newOpsServer(t)
	ctx := context.Background()
	start := time.Now().AddDate(0, 1, 0)
	if err := s.store.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Welding", Scheme: "SKEMA-LAS-SMAW",
		LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
		t.Fatal(err)
	}
	born := time.Date(2004, 7, 19, 0, 0, 0, 0, time.UTC)
	_, badNIK := nik.Parse("9915015907041187")
	for _, c := range []struct {
		name    string
		person  starter.Person
		english string
	}{
		{"bad NIK", starter.Person{NIK: "9915015907041187", Name: "Siti", BirthDate: born}, englishOf(t, badNIK)},
		{"no name", starter.Person{NIK: "3515015907041187", BirthDate: born}, "name is required"},
		{"no birth date", starter.Person{NIK: "3515015907041187", Name: "Siti"}, "birth_date is required"},
	} {
		wordedWholly(t, "enrol: "+c.name, func(lang string) api.ErrorBody {
			return errorIn(t, "POST", s.url+"/api/v1/packages/P/enrolments", "", lang,
				api.EnrolRequest{People: []starter.Person{c.person}}, http.StatusUnprocessableEntity)
		}, c.english)
	}

	orig := store.Participant{NIKHash: "h-corrzzzzz2", NIK: "3515015907041187", Name: "Siti Nur", Sex: "P", BirthDate: born}
	if err := s.store.UpsertParticipant(ctx, orig); err != nil {
		t.Fatal(err)
	}
	s.put(opsCase("corrzzzzz2", "BLK-SBY", "LSP-BLK-SBY", vocab.StageInsurance, vocab.WaitingCorrection))
	admin := workflows.Actor{ID: "ani", Role: vocab.RoleCentreAdmin}
	for _, c := range []struct {
		name    string
		req     api.CorrectionRequest
		english string
	}{
		{"scientific NIK", api.CorrectionRequest{Actor: admin, NIK: "3.51502E+15"}, englishOf(t, sci(t))},
		{"unknown province", api.CorrectionRequest{Actor: admin, NIK: "9915015907041187"}, englishOf(t, badNIK)},
		{"unreal birth date", api.CorrectionRequest{Actor: admin, BirthDate: "31-02-2004"}, `"31-02-2004" is not a real date`},
		{"under age", api.CorrectionRequest{Actor: admin, BirthDate: "19-07-2020"}, "below the minimum"},
	} {
		wordedWholly(t, "correction: "+c.name, func(lang string) api.ErrorBody {
			return errorIn(t, "POST", s.url+"/api/v1/cases/corrzzzzz2/correction", "", lang, c.req, http.StatusUnprocessableEntity)
		}, c.english)
	}
}

// sci is the NIK parser's error for a NIK in Excel's scientific notation.
func sci(t *testing.T) error {
	t.Helper()
	_, err := nik.Normalize("3.51502E+15")
	return err
}

// A case that does not wait for a correction is refused in the reader's language, naming its
// stage in it.
func TestCorrectionNotWaitingWordedInTheReadersLanguage(t *testing.T) {
	s := newScopedServer(t)
	ctx := context.Background()
	start := time.Now().AddDate(0, 1, 0)
	if err := s.st.CreatePackage(ctx, store.Package{Code: "P", CentreCode: "BLK-SBY", Trade: "Las", Scheme: "SKEMA-LAS-SMAW",
		LSPCode: "LSP-BLK-SBY", StartDate: start, EndDate: start.AddDate(0, 1, 0), Capacity: 16}); err != nil {
		t.Fatal(err)
	}
	if err := s.st.UpsertParticipant(ctx, store.Participant{NIKHash: s.svc.NIKHash(scopeNIK), NIK: scopeNIK, Name: "Siti", Sex: "P",
		BirthDate: time.Date(1990, 1, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	s.svc.Temporal = journeyAt{state: workflows.CaseState{Stage: vocab.StageEnrolment}}
	body := api.CorrectionRequest{Name: "Siti Nurhaliza"}
	wordedWholly(t, "not waiting", func(lang string) api.ErrorBody {
		e := errorIn(t, "POST", s.url+"/api/v1/cases/sbyaaaaaaa/correction", s.token["ani"], lang, body, http.StatusUnprocessableEntity)
		want := map[string]string{"id": "Pendaftaran", "en": "Enrolment"}[lang]
		if !strings.Contains(e.Message, want) {
			t.Errorf("%s: %q does not name the stage as %q", lang, e.Message, want)
		}
		return e
	}, "is not waiting for a correction: BPJS has not refused this participant's data")
}
