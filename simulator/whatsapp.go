package simulator

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
)

// WhatsApp simulates the WhatsApp Business Cloud API as messaging.WhatsApp calls it:
//
//	POST /{version}/{phone-number-id}/messages  template messages, bearer token (Config.APIKey)
//	GET  /sim/outbox[?to=628…]                  what was sent (control)
//	POST /sim/reply {"from":"628…","text":"STOP"} a trainee's reply, posted to the webhook
//
// and posts the Meta webhook payloads (statuses "sent", then "delivered"), signed
// X-Hub-Signature-256 with Secret, to WebhookURL. The template must be one of kompeten's
// (messaging.RenderTemplate) with its number of parameters, as Meta refuses a template it has
// not approved. Like the Cloud API it has no idempotency key: each accepted request is a new
// message. So its injected errors all fail before the message is taken (noLostAnswers): what
// the journey's retries must survive is a refused send, not a duplicate the provider would
// really deliver twice (see the README on messages).
type WhatsApp struct {
	*outbox
	mux *http.ServeMux
}

// NewWhatsApp returns a WhatsApp simulator keeping its outbox in memory.
func NewWhatsApp(cfg MessagingConfig) *WhatsApp {
	s := &WhatsApp{outbox: newOutbox("whatsapp", cfg), mux: http.NewServeMux()}
	s.noLostAnswers = true
	s.encode = s.statusPayload
	s.mux.HandleFunc("POST /{version}/{phoneID}/messages", s.handleSend)
	s.mountMessagingControl(s.mux, s.replyPayload)
	return s
}

// OpenWhatsApp returns a WhatsApp simulator keeping its outbox in sim_messages as well.
func OpenWhatsApp(ctx context.Context, cfg MessagingConfig, pool *pgxpool.Pool) (*WhatsApp, error) {
	s := NewWhatsApp(cfg)
	if err := s.load(ctx, pool); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP serves the simulated API.
func (s *WhatsApp) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

// waError answers as the Graph API does.
func waError(w http.ResponseWriter, status, code int, msg string) {
	var e messaging.WAError
	e.Error.Message, e.Error.Type, e.Error.Code, e.Error.FBTraceID = msg, "OAuthException", code, "SIM"
	writeJSON(w, status, e)
}

func (s *WhatsApp) handleSend(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	if _, ok := s.gate(w, r); !ok {
		return
	}
	var req messaging.WASendRequest
	if err := readJSON(r, &req); err != nil {
		waError(w, http.StatusBadRequest, 100, "Invalid parameter: "+err.Error())
		return
	}
	if req.MessagingProduct != "whatsapp" || req.Type != "template" {
		waError(w, http.StatusBadRequest, 100, "Invalid parameter: messaging_product must be whatsapp and type template")
		return
	}
	if _, ok := messaging.International(req.To); !ok {
		waError(w, http.StatusBadRequest, 131030, "Recipient phone number not in allowed list")
		return
	}
	var params []string
	for _, c := range req.Template.Components {
		for _, p := range c.Parameters {
			params = append(params, p.Text)
		}
	}
	text, err := messaging.RenderTemplate(req.Template.Name, params)
	if err != nil {
		waError(w, http.StatusBadRequest, 132001, "Template name does not exist in the translation")
		return
	}
	m, err := s.accept(OutboxMessage{Key: req.BizOpaqueCallbackData, To: req.To, Template: req.Template.Name, Params: params, Text: text})
	if err != nil {
		waError(w, http.StatusInternalServerError, 1, "temporarily unavailable")
		return
	}
	var resp messaging.WASendResponse
	resp.MessagingProduct = "whatsapp"
	resp.Contacts = append(resp.Contacts, struct {
		Input string `json:"input"`
		WaID  string `json:"wa_id"`
	}{req.To, req.To})
	resp.Messages = append(resp.Messages, struct {
		ID            string `json:"id"`
		MessageStatus string `json:"message_status,omitempty"`
	}{ID: m.ID, MessageStatus: "accepted"})
	writeJSON(w, http.StatusOK, resp)
}

// statusPayload is Meta's statuses webhook for one message.
func (s *WhatsApp) statusPayload(m OutboxMessage, status string) ([]byte, error) {
	return json.Marshal(waHook(messaging.WAValue{Statuses: []messaging.WAStatus{{
		ID: m.ID, Status: status, Timestamp: strconv.FormatInt(s.now().Unix(), 10), RecipientID: m.To, BizOpaqueCallbackData: m.Key,
	}}}))
}

// replyPayload is Meta's messages webhook for a text a trainee sent.
func (s *WhatsApp) replyPayload(from, text string) ([]byte, error) {
	ts := strconv.FormatInt(s.now().Unix(), 10)
	return json.Marshal(waHook(messaging.WAValue{Messages: []messaging.WAInbound{{
		From: from, ID: "wamid.IN" + ts, Timestamp: ts, Type: "text", Text: &messaging.WAText{Body: text},
	}}}))
}

// ReplyFrom posts a trainee's reply to the webhook.
func (s *WhatsApp) ReplyFrom(ctx context.Context, from, text string) error {
	return s.Reply(ctx, from, text, s.replyPayload)
}

func waHook(v messaging.WAValue) messaging.WAWebhook {
	v.MessagingProduct = "whatsapp"
	v.Metadata = messaging.WAMetadata{DisplayPhoneNumber: "6231000000", PhoneNumberID: "SIM-PHONE-ID"}
	return messaging.WAWebhook{Object: "whatsapp_business_account", Entry: []messaging.WAEntry{{
		ID: "SIM-WABA", Changes: []messaging.WAChange{{Field: "messages", Value: v}},
	}}}
}
