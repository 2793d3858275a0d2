// Package notify tells people about stuck cases: the daily digest and escalations are written
// to the log and posted to a webhook (a chat room's incoming webhook, an on-call tool, a mail
// gateway) as JSON. Messages carry case IDs, codes and counts, never personal data.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Message is one notification. Text reads on its own (chat webhooks show "text"); Data carries
// the same content structured for machines.
type Message struct {
	// Kind is "digest" or "escalation".
	Kind string `json:"kind"`
	// To is the role addressed; empty for everyone.
	To vocab.Role `json:"to,omitempty"`
	// Scope is the centre or LSP the addressed role acts for.
	Scope string    `json:"scope,omitempty"`
	Text  string    `json:"text"`
	At    time.Time `json:"at"`
	Data  any       `json:"data,omitempty"`
}

// Webhook posts messages as JSON to a URL. A zero URL posts nothing: the log is then the only
// channel, which is the default.
type Webhook struct {
	URL     string
	Timeout time.Duration
	Client  *http.Client
}

// Enabled reports whether a URL is configured.
func (w *Webhook) Enabled() bool { return w != nil && w.URL != "" }

// Send posts m; any status outside 2xx is an error naming the status, so the caller retries.
func (w *Webhook) Send(ctx context.Context, m Message) error {
	if !w.Enabled() {
		return nil
	}
	body, err := json.Marshal(m)
	if err != nil {
		return fmt.Errorf("notify: encode %s message: %w", m.Kind, err)
	}
	if w.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, w.Timeout)
		defer cancel()
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("notify: build request: %w", err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "kompeten-notify")
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		// The URL may hold a token: name the host only.
		return fmt.Errorf("notify: post %s message to %s: %w", m.Kind, req.URL.Host, unwrapURLError(err))
	}
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		snippet, _ := io.ReadAll(io.LimitReader(resp.Body, 200))
		return fmt.Errorf("notify: webhook at %s answered HTTP %d: %s", req.URL.Host, resp.StatusCode, strings.TrimSpace(string(snippet)))
	}
	return nil
}

// unwrapURLError drops the *url.Error wrapper, whose message repeats the full URL.
func unwrapURLError(err error) error {
	type unwrapper interface{ Unwrap() error }
	if u, ok := err.(unwrapper); ok && strings.Contains(err.Error(), "://") {
		if inner := u.Unwrap(); inner != nil {
			return inner
		}
	}
	return err
}
