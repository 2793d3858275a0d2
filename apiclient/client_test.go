package apiclient

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// An answer other than 2xx is an *Error with the status, its code and the server's sentence;
// an answer that carried no sentence keeps its status and body as the message.
func TestErrorsCarryStatusCodeAndTheServersWords(t *testing.T) {
	for _, tc := range []struct {
		status int
		body   string
		code   Code
		msg    string
	}{
		{422, `{"error": "enrolment is not waiting for a decision"}`, CodeRefused, "enrolment is not waiting for a decision"},
		{401, `{"error": "unknown or revoked API token"}`, CodeUnauthorized, "unknown or revoked API token"},
		{403, `{"error": "role viewer may not decide-enrolment"}`, CodeForbidden, "role viewer may not decide-enrolment"},
		{404, `{"error": "case k3f9x2m7qa not found"}`, CodeNotFound, "case k3f9x2m7qa not found"},
		{409, `{"error": "the case is not stuck"}`, CodeConflict, "the case is not stuck"},
		{400, `{"error": "limit must be a number between 1 and 10000"}`, CodeInvalid, "limit must be a number between 1 and 10000"},
		{500, `{"error": "internal error; see the server log"}`, CodeInternal, "internal error; see the server log"},
		{502, "bad gateway\n", CodeInternal, "HTTP 502: bad gateway"},
		{404, "", CodeNotFound, "HTTP 404"},
		{418, `{}`, CodeOther, "HTTP 418: {}"},
	} {
		t.Run(fmt.Sprint(tc.status), func(t *testing.T) {
			c := InProcess(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			_, err := c.DecideEnrolment(t.Context(), "k3f9x2m7qa", workflows.EnrolmentDecision{Approve: true})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("error %v (%T), want an *Error", err, err)
			}
			if e.Status != tc.status || e.Code != tc.code || e.Message != tc.msg || err.Error() != tc.msg {
				t.Errorf("got status %d code %q message %q, want %d %q %q", e.Status, e.Code, e.Message, tc.status, tc.code, tc.msg)
			}
		})
	}
}

// A token is sent as a bearer token on every request, JSON bodies say so, a body-less
// request has no Content-Type, and an agreement number's slashes stay inside its segment.
func TestRequestsCarryTokenAndEscapedPaths(t *testing.T) {
	type seen struct{ auth, ctype, uri string }
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got = append(got, seen{r.Header.Get("Authorization"), r.Header.Get("Content-Type"), r.RequestURI})
		_, _ = w.Write([]byte("null"))
	}))
	defer srv.Close()
	ctx := t.Context()
	with := New(srv.URL+"/", WithToken("kpt_abc"))
	if _, err := with.GetMoU(ctx, "MOU/BPVP-SDA/LSP-BLK-SBY/2023"); err != nil {
		t.Fatal(err)
	}
	if _, err := with.ListCases(ctx, CaseFilter{Package: "SBY LAS", Stuck: true, Limit: 5}); err != nil {
		t.Fatal(err)
	}
	if _, err := New(srv.URL).RetryCase(ctx, "k3f9x2m7qa", api.RetryRequest{}); err != nil {
		t.Fatal(err)
	}
	want := []seen{
		{"Bearer kpt_abc", "", "/api/v1/mous/MOU%2FBPVP-SDA%2FLSP-BLK-SBY%2F2023"},
		{"Bearer kpt_abc", "", "/api/v1/cases?limit=5&package=SBY+LAS&stuck=true"},
		{"", "application/json", "/api/v1/cases/k3f9x2m7qa/retry"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("requests\n got %v\nwant %v", got, want)
	}
}

type ctxKey struct{}

// In process, the handler gets a server-side request with the caller's context (the pages'
// login identity travels this way), its path, query and body.
func TestInProcessServesTheHandlerWithTheCallersContext(t *testing.T) {
	var value any
	var uri, host string
	var body []byte
	c := InProcess(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		value, uri, host = r.Context().Value(ctxKey{}), r.RequestURI, r.URL.Host
		body = make([]byte, r.ContentLength)
		_, _ = r.Body.Read(body)
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"case_id": "k3f9x2m7qa", "stage": "certification", "message": "approved"}`))
	}))
	ctx := context.WithValue(t.Context(), ctxKey{}, "siti")
	res, err := c.DecideCertification(ctx, "k3f9x2m7qa", workflows.CertificationDecision{Approve: true})
	if err != nil {
		t.Fatal(err)
	}
	if value != "siti" || uri != "/api/v1/cases/k3f9x2m7qa/certification" || host != "" || res.Message != "approved" {
		t.Errorf("handler saw context value %v, URI %q, URL host %q; answer %+v", value, uri, host, res)
	}
	if string(body) != `{"actor":{"id":"","role":""},"approve":true}` {
		t.Errorf("handler read body %s", body)
	}
}

// WithErrorWording sees every failure, and the *Error stays reachable behind its wording; a
// server nobody answers at is net/http's *url.Error, naming the URL.
func TestErrorWordingAndUnreachableServer(t *testing.T) {
	var worded []error
	word := func(err error) error {
		worded = append(worded, err)
		return fmt.Errorf("worded: %w", err)
	}
	c := InProcess(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		http.Error(w, `{"error": "not allowed"}`, http.StatusForbidden)
	}), WithErrorWording(word))
	_, err := c.Overview(t.Context())
	var e *Error
	if !errors.As(err, &e) || e.Code != CodeForbidden || err.Error() != "worded: not allowed" || len(worded) != 1 {
		t.Errorf("error %v, worded %v", err, worded)
	}

	srv := httptest.NewServer(http.NotFoundHandler())
	base := srv.URL
	srv.Close()
	_, err = New(base, WithErrorWording(word)).Overview(t.Context())
	var ue *url.Error
	if !errors.As(err, &ue) || errors.As(err, &e) || len(worded) != 2 || ue.URL != base+"/api/v1/overview" {
		t.Errorf("unreachable server: %v (%T)", err, err)
	}
}
