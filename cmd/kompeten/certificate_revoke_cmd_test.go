package main

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/api"
)

// revoke posts the reason to the case's certificate/revoke; the server's 409 (revoked before)
// is printed as the server worded it and exits 2; no reason sends nothing.
func TestCertificateRevoke(t *testing.T) {
	t.Chdir(t.TempDir())
	var paths []string
	var reasons []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var b api.RevokeCertificateRequest
		if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
			t.Errorf("body: %v", err)
		}
		paths = append(paths, r.Method+" "+r.URL.Path)
		reasons = append(reasons, b.Reason)
		w.Header().Set("Content-Type", "application/json")
		if len(paths) > 1 {
			w.WriteHeader(http.StatusConflict)
			_, _ = w.Write([]byte(`{"error": "certificate 123/LSP/2026 of case k3f9x2m7qa was already revoked on 2026-11-29T16:00:00Z"}`))
			return
		}
		_ = json.NewEncoder(w).Encode(api.RevokeCertificateResponse{CaseID: "k3f9x2m7qa", CertificateNo: "123/LSP/2026",
			RevokedAt: time.Now(), Reason: b.Reason, Message: "certificate 123/LSP/2026 revoked; reason: " + b.Reason})
	}))
	t.Cleanup(srv.Close)

	code, stdout, stderr := runOut(t, "certificate", "revoke", "k3f9x2m7qa", "--reason", "falsified record", "--server", srv.URL, "--token", "kpt_x")
	if code != 0 || !strings.Contains(stdout, "k3f9x2m7qa: certificate 123/LSP/2026 revoked; reason: falsified record") {
		t.Fatalf("revoke: exit %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if len(paths) != 1 || paths[0] != "POST /api/v1/cases/k3f9x2m7qa/certificate/revoke" || reasons[0] != "falsified record" {
		t.Fatalf("sent %v with reasons %v", paths, reasons)
	}

	code, _, stderr = runOut(t, "certificate", "revoke", "k3f9x2m7qa", "--reason", "again", "--server", srv.URL, "--token", "kpt_x")
	if code != exitRefused || !strings.Contains(stderr, "already revoked on 2026-11-29") {
		t.Errorf("second revoke: exit %d, stderr %q", code, stderr)
	}

	code, _, stderr = runOut(t, "certificate", "revoke", "k3f9x2m7qa", "--reason", "  ", "--server", srv.URL, "--token", "kpt_x")
	if code != exitFailure || !strings.Contains(stderr, "--reason is required") {
		t.Errorf("without a reason: exit %d, stderr %q", code, stderr)
	}
	if len(paths) != 2 {
		t.Errorf("a revoke without a reason was sent: %v", paths)
	}
}
