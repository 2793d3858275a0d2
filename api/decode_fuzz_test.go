package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/workflows"
)

// decodeTargets are request bodies of the API, decoded the way their handlers do.
var decodeTargets = map[string]func() any{
	"enrolment":     func() any { return &workflows.EnrolmentDecision{} },
	"attendance":    func() any { return &workflows.Attendance{} },
	"assessment":    func() any { return &workflows.AssessmentResult{} },
	"placement":     func() any { return &workflows.PlacementReport{} },
	"lookup":        func() any { return &LookupRequest{} },
	"package":       func() any { return &PackageRequest{} },
	"enrolments":    func() any { return &EnrolRequest{} },
	"enrolled":      func() any { return &EnrolledRequest{} },
	"retry":         func() any { return &RetryRequest{} },
	"certification": func() any { return &workflows.CertificationDecision{} },
}

// FuzzDecode feeds arbitrary bodies to the strict decoder: it never panics, answers only 2xx
// (accepted), 400 (malformed, unknown field, more than one value) or 413 (too large) with a JSON
// error, and what it accepts is a single JSON object that encodes again.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		`{"actor":{"id":"siti","role":"centre-admin"},"approve":true}`,
		`{"approve":true,"bogus":1}`,
		`{"attended":3}{"attended":4}`,
		`{"units":[{"unit":"U1","result":"K"}],"assessor_id":"a"}`,
		`{"nik":"3515014101900001"}`,
		`[1,2,3]`, `null`, `"x"`, `{`, "\xff\xfe", `{"start":"not a time"}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		for name, target := range decodeTargets {
			v := target()
			rec := httptest.NewRecorder()
			req := httptest.NewRequest(http.MethodPost, "/x", bytes.NewReader(data))
			req.Header.Set("Content-Type", "application/json")
			ok := decode(rec, req, v)
			switch {
			case ok && rec.Code != http.StatusOK:
				t.Fatalf("%s: accepted but wrote HTTP %d", name, rec.Code)
			case ok:
				if _, err := json.Marshal(v); err != nil {
					t.Fatalf("%s: accepted a body that does not encode again: %v", name, err)
				}
			case rec.Code != http.StatusBadRequest && rec.Code != http.StatusRequestEntityTooLarge:
				t.Fatalf("%s: refused with HTTP %d, want 400 or 413", name, rec.Code)
			default:
				var e ErrorBody
				if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
					t.Fatalf("%s: refusal is not a JSON error sentence: %q", name, rec.Body.String())
				}
			}
		}
	})
}
