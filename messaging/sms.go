package messaging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// SMSConfig addresses a plain HTTP SMS gateway (messaging.sms.*).
type SMSConfig struct {
	BaseURL string // the gateway, or the simulator's /sim/sms
	APIKey  string // bearer
	Sender  string // sender id shown to the trainee, e.g. "BLK-SBY"
	Timeout time.Duration
}

// SMS sends text messages through a gateway speaking a small protocol:
//
//	POST {base}/messages   Authorization: Bearer <key>   Idempotency-Key: <case>/<milestone>
//	{"to":"628…","from":"BLK-SBY","text":"…","reference":"<case>/<milestone>"}
//	→ 202 {"id":"…","status":"queued"}; the same Idempotency-Key answers the same id and
//	  sends nothing more.
//
// The gateway posts delivery reports and replies to kompeten's webhook (SMSWebhook).
type SMS struct {
	cfg  SMSConfig
	http *http.Client
}

// NewSMS builds the SMS gateway adapter.
func NewSMS(c SMSConfig) *SMS {
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	return &SMS{cfg: c, http: &http.Client{Timeout: c.Timeout}}
}

// Channel is "sms".
func (s *SMS) Channel() string { return ChannelSMS }

// SMSSendRequest is the body of POST /messages.
type SMSSendRequest struct {
	To        string `json:"to"`
	From      string `json:"from,omitempty"`
	Text      string `json:"text"`
	Reference string `json:"reference"`
}

// SMSSendResponse is the gateway's answer.
type SMSSendResponse struct {
	ID     string `json:"id"`
	Status string `json:"status"`
}

// smsError is the gateway's error answer.
type smsError struct {
	Code    string `json:"code"`
	Message string `json:"message"`
}

// Send posts one text message.
func (s *SMS) Send(ctx context.Context, m Outgoing) (Receipt, error) {
	body, err := json.Marshal(SMSSendRequest{To: m.To, From: s.cfg.Sender, Text: m.Message.Text, Reference: m.IdempotencyKey})
	if err != nil {
		return Receipt{}, fmt.Errorf("sms: encode message: %w", err)
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimRight(s.cfg.BaseURL, "/")+"/messages", bytes.NewReader(body))
	if err != nil {
		return Receipt{}, fmt.Errorf("sms: build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+s.cfg.APIKey)
	hr.Header.Set("Idempotency-Key", m.IdempotencyKey)
	resp, err := s.http.Do(hr)
	if err != nil {
		return Receipt{}, fmt.Errorf("sms: send: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e smsError
		_ = json.Unmarshal(raw, &e)
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return Receipt{}, fmt.Errorf("sms: send: HTTP %d: %s", resp.StatusCode, scrub(e.Message))
		}
		return Receipt{}, &RejectedError{Channel: ChannelSMS, Status: resp.StatusCode, Code: scrub(e.Code), Message: scrub(e.Message)}
	}
	var ok SMSSendResponse
	if err := json.Unmarshal(raw, &ok); err != nil || ok.ID == "" {
		return Receipt{}, fmt.Errorf("sms: send: answer without a message id (HTTP %d)", resp.StatusCode)
	}
	return Receipt{ProviderID: ok.ID}, nil
}
