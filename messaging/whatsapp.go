package messaging

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// WhatsAppConfig addresses the WhatsApp Business Cloud API (messaging.whatsapp.*).
type WhatsAppConfig struct {
	BaseURL       string // https://graph.facebook.com, or the simulator's /sim/whatsapp
	Version       string // Graph API version, e.g. "v21.0"
	PhoneNumberID string // the business phone number's id
	Token         string // system user access token (bearer)
	Language      string // template language code; empty means "id"
	Timeout       time.Duration
}

// WhatsApp sends template messages through the Cloud API:
// POST {base}/{version}/{phone-number-id}/messages.
type WhatsApp struct {
	cfg  WhatsAppConfig
	http *http.Client
}

// NewWhatsApp builds the Cloud API adapter.
func NewWhatsApp(c WhatsAppConfig) *WhatsApp {
	if c.Timeout <= 0 {
		c.Timeout = 15 * time.Second
	}
	if c.Language == "" {
		c.Language = "id"
	}
	return &WhatsApp{cfg: c, http: &http.Client{Timeout: c.Timeout}}
}

// Channel is "whatsapp".
func (w *WhatsApp) Channel() string { return ChannelWhatsApp }

// WAParam is one template parameter of the Cloud API.
type WAParam struct {
	Type string `json:"type"`
	Text string `json:"text"`
}

// WAComponent is one component of a template message (kompeten uses the body only).
type WAComponent struct {
	Type       string    `json:"type"`
	Parameters []WAParam `json:"parameters"`
}

// WALanguage is a template's language.
type WALanguage struct {
	Code string `json:"code"`
}

// WATemplate is the template of a template message.
type WATemplate struct {
	Name       string        `json:"name"`
	Language   WALanguage    `json:"language"`
	Components []WAComponent `json:"components,omitempty"`
}

// WASendRequest is the body of POST /{version}/{phone-number-id}/messages for a template
// message. BizOpaqueCallbackData carries kompeten's idempotency key: Meta echoes it in the
// statuses webhook, so a status is matched to the message even before the send's answer is
// recorded.
type WASendRequest struct {
	MessagingProduct      string     `json:"messaging_product"`
	RecipientType         string     `json:"recipient_type"`
	To                    string     `json:"to"`
	Type                  string     `json:"type"`
	Template              WATemplate `json:"template"`
	BizOpaqueCallbackData string     `json:"biz_opaque_callback_data,omitempty"`
}

// WASendResponse is the Cloud API's answer to an accepted message.
type WASendResponse struct {
	MessagingProduct string `json:"messaging_product"`
	Contacts         []struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	} `json:"contacts"`
	Messages []struct {
		ID            string `json:"id"`
		MessageStatus string `json:"message_status,omitempty"`
	} `json:"messages"`
}

// WAError is the Graph API's error answer.
type WAError struct {
	Error struct {
		Message   string `json:"message"`
		Type      string `json:"type"`
		Code      int    `json:"code"`
		FBTraceID string `json:"fbtrace_id"`
	} `json:"error"`
}

// Send posts a template message.
func (w *WhatsApp) Send(ctx context.Context, m Outgoing) (Receipt, error) {
	params := make([]WAParam, len(m.Message.Params))
	for i, p := range m.Message.Params {
		params[i] = WAParam{Type: "text", Text: p}
	}
	req := WASendRequest{
		MessagingProduct: "whatsapp", RecipientType: "individual", To: m.To, Type: "template",
		Template:              WATemplate{Name: m.Message.Template, Language: WALanguage{Code: w.cfg.Language}},
		BizOpaqueCallbackData: m.IdempotencyKey,
	}
	if len(params) > 0 {
		req.Template.Components = []WAComponent{{Type: "body", Parameters: params}}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return Receipt{}, fmt.Errorf("whatsapp: encode message: %w", err)
	}
	url := strings.TrimRight(w.cfg.BaseURL, "/") + "/" + w.cfg.Version + "/" + w.cfg.PhoneNumberID + "/messages"
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return Receipt{}, fmt.Errorf("whatsapp: build request: %w", err)
	}
	hr.Header.Set("Content-Type", "application/json")
	hr.Header.Set("Authorization", "Bearer "+w.cfg.Token)
	resp, err := w.http.Do(hr)
	if err != nil {
		// The error names the URL, which holds no personal data.
		return Receipt{}, fmt.Errorf("whatsapp: send: %w", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode/100 != 2 {
		var e WAError
		_ = json.Unmarshal(raw, &e)
		// 429 (throttled) and 5xx are worth another try; other 4xx are final.
		if resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500 {
			return Receipt{}, fmt.Errorf("whatsapp: send: HTTP %d: %s", resp.StatusCode, scrub(e.Error.Message))
		}
		return Receipt{}, &RejectedError{Channel: ChannelWhatsApp, Status: resp.StatusCode, Code: strconv.Itoa(e.Error.Code), Message: scrub(e.Error.Message)}
	}
	var ok WASendResponse
	if err := json.Unmarshal(raw, &ok); err != nil || len(ok.Messages) == 0 || ok.Messages[0].ID == "" {
		return Receipt{}, fmt.Errorf("whatsapp: send: answer without a message id (HTTP %d)", resp.StatusCode)
	}
	return Receipt{ProviderID: ok.Messages[0].ID}, nil
}
