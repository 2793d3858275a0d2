package simulator

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
)

// SMS simulates the plain HTTP SMS gateway of messaging.SMS:
//
//	POST /messages  {"to","from","text","reference"}, Idempotency-Key, bearer key (Config.APIKey)
//	GET  /sim/outbox, POST /sim/reply  as the WhatsApp simulator
//
// The same Idempotency-Key answers the message already taken and sends nothing more, so its
// injected errors include lost answers (half of them, as the partner simulators). Delivery
// reports and replies are posted to WebhookURL signed X-Signature.
type SMS struct {
	*outbox
	mux *http.ServeMux
}

// NewSMS returns an SMS gateway simulator keeping its outbox in memory.
func NewSMS(cfg MessagingConfig) *SMS {
	s := &SMS{outbox: newOutbox("sms", cfg), mux: http.NewServeMux()}
	s.encode = s.statusPayload
	s.mux.HandleFunc("POST /messages", s.handleSend)
	s.mountMessagingControl(s.mux, s.replyPayload)
	return s
}

// OpenSMS returns an SMS gateway simulator keeping its outbox in sim_messages as well.
func OpenSMS(ctx context.Context, cfg MessagingConfig, pool *pgxpool.Pool) (*SMS, error) {
	s := NewSMS(cfg)
	if err := s.load(ctx, pool); err != nil {
		return nil, err
	}
	return s, nil
}

// ServeHTTP serves the simulated gateway.
func (s *SMS) ServeHTTP(w http.ResponseWriter, r *http.Request) { s.mux.ServeHTTP(w, r) }

func (s *SMS) handleSend(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.calls++
	s.mu.Unlock()
	lost, ok := s.gate(w, r)
	if !ok {
		return
	}
	var req messaging.SMSSendRequest
	if err := readJSON(r, &req); err != nil {
		writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
		return
	}
	if _, ok := messaging.International(req.To); !ok || req.Text == "" {
		writeError(w, http.StatusUnprocessableEntity, "invalid_recipient", "to must be an Indonesian mobile number and text not empty")
		return
	}
	key := r.Header.Get("Idempotency-Key")
	s.mu.Lock()
	i, seen := s.byKey[key]
	var m OutboxMessage
	if seen && key != "" {
		m = s.msgs[i]
	}
	s.mu.Unlock()
	if !seen || key == "" {
		var err error
		if m, err = s.accept(OutboxMessage{Key: key, To: req.To, Text: req.Text}); err != nil {
			writeError(w, http.StatusServiceUnavailable, "unavailable", "service unavailable")
			return
		}
	}
	answer(w, lost, http.StatusAccepted, messaging.SMSSendResponse{ID: m.ID, Status: "queued"})
}

func (s *SMS) statusPayload(m OutboxMessage, status string) ([]byte, error) {
	return json.Marshal(messaging.SMSCallback{Type: "status", ID: m.ID, Reference: m.Key, Status: status, At: s.now().Unix()})
}

func (s *SMS) replyPayload(from, text string) ([]byte, error) {
	return json.Marshal(messaging.SMSCallback{Type: "inbound", From: from, Text: text, At: s.now().Unix()})
}

// ReplyFrom posts a trainee's reply to the webhook.
func (s *SMS) ReplyFrom(ctx context.Context, from, text string) error {
	return s.Reply(ctx, from, text, s.replyPayload)
}
