package notify_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/notify"
)

func TestWebhookPostsJSON(t *testing.T) {
	var got notify.Message
	var ctype string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctype = r.Header.Get("Content-Type")
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &got); err != nil {
			t.Errorf("body %s: %v", b, err)
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	w := &notify.Webhook{URL: srv.URL + "/hook", Timeout: time.Second}
	m := notify.Message{Kind: "escalation", To: "lsp-manager", Scope: "LSP-X", Text: "case abc stuck", At: time.Unix(0, 0).UTC()}
	if err := w.Send(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if got.Kind != "escalation" || got.To != "lsp-manager" || got.Scope != "LSP-X" || got.Text != "case abc stuck" || ctype != "application/json" {
		t.Fatalf("received %+v (%s)", got, ctype)
	}
}

func TestWebhookErrorsNameStatusNotURL(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "rate limited", http.StatusTooManyRequests)
	}))
	defer srv.Close()
	w := &notify.Webhook{URL: srv.URL + "/hook?token=s3cret"}
	err := w.Send(context.Background(), notify.Message{Kind: "digest"})
	if err == nil || !strings.Contains(err.Error(), "429") || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("error %v", err)
	}
	srv.Close()
	err = w.Send(context.Background(), notify.Message{Kind: "digest"})
	if err == nil || strings.Contains(err.Error(), "s3cret") {
		t.Fatalf("unreachable webhook: error %v", err)
	}
}

func TestWebhookWithoutURLSendsNothing(t *testing.T) {
	var w *notify.Webhook
	if w.Enabled() {
		t.Fatal("nil webhook enabled")
	}
	if err := (&notify.Webhook{}).Send(context.Background(), notify.Message{Kind: "digest"}); err != nil {
		t.Fatal(err)
	}
}
