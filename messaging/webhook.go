package messaging

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// Delivery statuses kept in the messages table, in the order a message moves through them.
const (
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusDelivered = "delivered"
	StatusRead      = "read"
	StatusFailed    = "failed"
	StatusSkipped   = "skipped"
)

// StatusUpdate is a delivery status a provider reported.
type StatusUpdate struct {
	Channel    string
	ProviderID string
	Key        string // the idempotency key echoed back (biz_opaque_callback_data, reference); may be empty
	Status     string
	Detail     string // why it failed; never personal data
	At         time.Time
}

// Receiver is where the webhooks put what they learn (the store).
type Receiver interface {
	// RecordStatus applies a delivery status to the message it is about; an unknown message is
	// no error (a status of another system's message on the same number).
	RecordStatus(ctx context.Context, u StatusUpdate) error
	// StopMessages withdraws the consent of every participant with this phone number (the local
	// form, "08…") and returns how many there were.
	StopMessages(ctx context.Context, localPhone string) (int, error)
}

// Webhooks serves the providers' callbacks:
//
//	GET  {prefix}/whatsapp  Meta's verification handshake (hub.mode, hub.verify_token, hub.challenge)
//	POST {prefix}/whatsapp  statuses and inbound messages, signed X-Hub-Signature-256
//	POST {prefix}/sms       the gateway's delivery reports and replies, signed X-Signature
//
// They need no API token: the signature under the shared secret is the authentication, and a
// request without a valid one is refused 401 before its body is read as JSON.
type Webhooks struct {
	Receiver       Receiver
	WhatsAppSecret string // the Meta app secret
	VerifyToken    string // the verify token set in the Meta app's webhook settings
	SMSSecret      string
	Logger         *slog.Logger
}

// Routes mounts the webhooks under prefix (e.g. "/webhooks").
func (h *Webhooks) Routes(prefix string) map[string]http.Handler {
	return map[string]http.Handler{
		prefix + "/whatsapp": http.HandlerFunc(h.whatsapp),
		prefix + "/sms":      http.HandlerFunc(h.sms),
	}
}

func (h *Webhooks) log() *slog.Logger {
	if h.Logger != nil {
		return h.Logger
	}
	return slog.Default()
}

// readSigned reads the body and checks its signature; it has answered when ok is false.
func readSigned(w http.ResponseWriter, r *http.Request, secret, header string) ([]byte, bool) {
	if r.Method != http.MethodPost {
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return nil, false
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "cannot read body", http.StatusBadRequest)
		return nil, false
	}
	if !Verify([]byte(secret), body, r.Header.Get(header)) {
		http.Error(w, "invalid signature", http.StatusUnauthorized)
		return nil, false
	}
	return body, true
}

func (h *Webhooks) whatsapp(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodGet {
		q := r.URL.Query()
		if q.Get("hub.mode") == "subscribe" && h.VerifyToken != "" && q.Get("hub.verify_token") == h.VerifyToken {
			_, _ = io.WriteString(w, q.Get("hub.challenge"))
			return
		}
		http.Error(w, "verification refused", http.StatusForbidden)
		return
	}
	body, ok := readSigned(w, r, h.WhatsAppSecret, "X-Hub-Signature-256")
	if !ok {
		return
	}
	var hook WAWebhook
	if err := json.Unmarshal(body, &hook); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	ctx := r.Context()
	var statuses, stops int
	for _, e := range hook.Entry {
		for _, c := range e.Changes {
			for _, s := range c.Value.Statuses {
				u := StatusUpdate{Channel: ChannelWhatsApp, ProviderID: s.ID, Key: s.BizOpaqueCallbackData, Status: s.Status, At: unixText(s.Timestamp)}
				if len(s.Errors) > 0 {
					u.Detail = strconv.Itoa(s.Errors[0].Code) + " " + scrub(s.Errors[0].Title)
				}
				if err := h.Receiver.RecordStatus(ctx, u); err != nil {
					// Meta retries a webhook that does not answer 200: let it.
					h.log().Error("whatsapp status not recorded", "error", err)
					http.Error(w, "not recorded", http.StatusInternalServerError)
					return
				}
				statuses++
			}
			for _, m := range c.Value.Messages {
				if m.Text == nil || !IsStop(m.Text.Body) {
					continue
				}
				if _, err := h.Receiver.StopMessages(ctx, Local(m.From)); err != nil {
					h.log().Error("whatsapp stop not recorded", "error", err)
					http.Error(w, "not recorded", http.StatusInternalServerError)
					return
				}
				stops++
			}
		}
	}
	h.log().Debug("whatsapp webhook", "statuses", statuses, "stops", stops)
	w.WriteHeader(http.StatusOK)
}

func (h *Webhooks) sms(w http.ResponseWriter, r *http.Request) {
	body, ok := readSigned(w, r, h.SMSSecret, "X-Signature")
	if !ok {
		return
	}
	var cb SMSCallback
	if err := json.Unmarshal(body, &cb); err != nil {
		http.Error(w, "invalid body", http.StatusBadRequest)
		return
	}
	var err error
	switch cb.Type {
	case "status":
		err = h.Receiver.RecordStatus(r.Context(), StatusUpdate{Channel: ChannelSMS, ProviderID: cb.ID, Key: cb.Reference, Status: cb.Status, At: unixOrNow(cb.At)})
	case "inbound":
		if IsStop(cb.Text) {
			_, err = h.Receiver.StopMessages(r.Context(), Local(cb.From))
		}
	default:
		http.Error(w, "unknown type", http.StatusBadRequest)
		return
	}
	if err != nil {
		h.log().Error("sms webhook not recorded", "type", cb.Type, "error", err)
		http.Error(w, "not recorded", http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusOK)
}

// IsStop reports whether a reply asks to stop the messages: "STOP" or "BERHENTI", in any case,
// with spaces and punctuation around it.
func IsStop(text string) bool {
	t := strings.TrimFunc(text, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsPunct(r) })
	return strings.EqualFold(t, "STOP") || strings.EqualFold(t, "BERHENTI")
}

// unixOrNow is a Unix time, or now when the gateway gave none.
func unixOrNow(sec int64) time.Time {
	if sec <= 0 {
		return time.Now()
	}
	return time.Unix(sec, 0)
}

// unixText reads Meta's Unix-seconds-as-text timestamps; an unreadable one is now.
func unixText(s string) time.Time {
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		return time.Now()
	}
	return time.Unix(n, 0)
}
