package simulator

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
)

// MessagingConfig tunes the WhatsApp and SMS simulators.
type MessagingConfig struct {
	Config
	// WebhookURL is kompeten's webhook the simulator posts delivery statuses and replies to
	// (…/webhooks/whatsapp or …/webhooks/sms); empty posts nothing. SetWebhook changes it.
	WebhookURL string
	// Secret signs what the simulator posts (the Meta app secret, the gateway's secret).
	Secret string
	// StatusDelay is how long after accepting a message its "sent" and then "delivered"
	// statuses are posted.
	StatusDelay time.Duration
}

// OutboxMessage is one message a simulator accepted: what the trainee's phone would show.
type OutboxMessage struct {
	ID       string    `json:"id"`
	Key      string    `json:"key,omitempty"` // Idempotency-Key (SMS) or biz_opaque_callback_data (WhatsApp)
	To       string    `json:"to"`
	Template string    `json:"template,omitempty"`
	Params   []string  `json:"params,omitempty"`
	Text     string    `json:"text"`
	Status   string    `json:"status"`
	At       time.Time `json:"at"`
}

// outbox is what both messaging simulators share: the accepted messages (in memory, and in
// sim_messages when persistent) and the posting of statuses and replies to kompeten's webhook.
type outbox struct {
	sim string // "whatsapp" or "sms"
	*core
	pool   *pgxpool.Pool // nil: memory only
	post   func(ctx context.Context, url, secret string, body []byte) error
	encode func(m OutboxMessage, status string) ([]byte, error)

	hookMu sync.Mutex
	hook   string
	secret string
	delay  time.Duration

	// Guarded by core.mu.
	msgs  []OutboxMessage
	byKey map[string]int // index in msgs by idempotency key (SMS only dedupes on it)
	calls int
	wg    sync.WaitGroup
}

func newOutbox(sim string, cfg MessagingConfig) *outbox {
	name := map[string]string{"whatsapp": "WhatsApp", "sms": "SMS"}[sim]
	return &outbox{sim: sim, core: newCore(name, cfg.Config), hook: cfg.WebhookURL, secret: cfg.Secret, delay: cfg.StatusDelay,
		byKey: map[string]int{}, post: postSigned}
}

// SetWebhook points the simulator at kompeten's webhook (tests learn the address late).
func (o *outbox) SetWebhook(url string) {
	o.hookMu.Lock()
	defer o.hookMu.Unlock()
	o.hook = url
}

func (o *outbox) webhook() (string, string) {
	o.hookMu.Lock()
	defer o.hookMu.Unlock()
	return o.hook, o.secret
}

// Outbox lists every accepted message, oldest first.
func (o *outbox) Outbox() []OutboxMessage {
	o.mu.Lock()
	defer o.mu.Unlock()
	out := make([]OutboxMessage, len(o.msgs))
	copy(out, o.msgs)
	return out
}

// OutboxFor lists the messages to one number (international form, "628…").
func (o *outbox) OutboxFor(to string) []OutboxMessage {
	var out []OutboxMessage
	for _, m := range o.Outbox() {
		if m.To == to {
			out = append(out, m)
		}
	}
	return out
}

// Calls is how many send requests reached the simulator (failed ones included).
func (o *outbox) Calls() int {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.calls
}

// accept stores a new message (written to sim_messages first when persistent) and schedules
// its statuses. The caller holds no lock.
func (o *outbox) accept(m OutboxMessage) (OutboxMessage, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if i, ok := o.byKey[m.Key]; ok && m.Key != "" {
		return o.msgs[i], nil // the same key raced in twice: one message
	}
	n := len(o.msgs) + 1
	if o.pool != nil {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		var err error
		if n, err = nextMessageNumber(ctx, o.pool, o.sim); err != nil {
			return m, err
		}
	}
	m.ID = messageID(o.sim, n)
	m.Status = "accepted"
	m.At = o.now()
	if o.pool != nil {
		if err := o.save(m); err != nil {
			return m, err
		}
	}
	o.msgs = append(o.msgs, m)
	if m.Key != "" && o.sim == "sms" {
		o.byKey[m.Key] = len(o.msgs) - 1
	}
	o.wg.Add(1)
	go o.deliver(m)
	return m, nil
}

// messageID is the n-th message's id: "wamid.SIM…" like Meta's, "sms-…" for the gateway.
func messageID(sim string, n int) string {
	if sim == "whatsapp" {
		return fmt.Sprintf("wamid.SIM%012d", n)
	}
	return fmt.Sprintf("sms-%012d", n)
}

// deliver posts "sent" and then "delivered" to the webhook, StatusDelay apart; a webhook that
// does not answer 200 is asked again a few times, as Meta does.
func (o *outbox) deliver(m OutboxMessage) {
	defer o.wg.Done()
	for _, status := range []string{messaging.StatusSent, messaging.StatusDelivered} {
		if o.delay > 0 {
			time.Sleep(o.delay)
		}
		o.setStatus(m.ID, status)
		url, secret := o.webhook()
		if url == "" {
			continue
		}
		body, err := o.encode(m, status)
		if err != nil {
			slog.Warn("simulator status not encoded", "simulator", o.name, "error", err)
			return
		}
		for try := range 5 {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			err = o.post(ctx, url, secret, body)
			cancel()
			if err == nil {
				break
			}
			time.Sleep(time.Duration(try+1) * 200 * time.Millisecond)
		}
		if err != nil {
			slog.Warn("simulator status not delivered to the webhook", "simulator", o.name, "status", status, "error", err)
		}
	}
}

// Wait waits for the statuses still to be posted (tests, before they stop the webhook).
func (o *outbox) Wait() { o.wg.Wait() }

// setStatus changes a message's status in memory and in sim_messages.
func (o *outbox) setStatus(id, status string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for i := range o.msgs {
		if o.msgs[i].ID == id {
			o.msgs[i].Status = status
		}
	}
	if o.pool != nil {
		ctx, cancel := context.WithTimeout(context.Background(), writeTimeout)
		defer cancel()
		if _, err := o.pool.Exec(ctx, `UPDATE sim_messages SET status = $3 WHERE sim = $1 AND id = $2`, o.sim, id, status); err != nil {
			slog.Warn("simulator status not recorded", "simulator", o.name, "error", err)
		}
	}
}

// postSigned posts body to url, signed as the providers sign (X-Hub-Signature-256 for
// WhatsApp; the SMS gateway's X-Signature carries the same value).
func postSigned(ctx context.Context, url, secret string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	sig := messaging.Sign([]byte(secret), body)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hub-Signature-256", sig)
	req.Header.Set("X-Signature", sig)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("webhook answered HTTP %d", resp.StatusCode)
	}
	return nil
}

// Reply posts a message from a trainee's number to kompeten's webhook, as the provider does
// when the trainee answers (a "STOP", say).
func (o *outbox) Reply(ctx context.Context, from, text string, encode func(from, text string) ([]byte, error)) error {
	url, secret := o.webhook()
	if url == "" {
		return fmt.Errorf("%s simulator: no webhook to post the reply to", o.name)
	}
	body, err := encode(from, text)
	if err != nil {
		return err
	}
	return o.post(ctx, url, secret, body)
}

// handleOutbox serves GET /sim/outbox[?to=628…]: the accepted messages.
func (o *outbox) handleOutbox(w http.ResponseWriter, r *http.Request) {
	msgs := o.Outbox()
	if to := r.URL.Query().Get("to"); to != "" {
		msgs = o.OutboxFor(to)
	}
	if msgs == nil {
		msgs = []OutboxMessage{}
	}
	writeJSON(w, http.StatusOK, msgs)
}

// handleReply serves POST /sim/reply {"from":"628…","text":"STOP"}.
func (o *outbox) handleReply(encode func(from, text string) ([]byte, error)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		var body struct {
			From string `json:"from"`
			Text string `json:"text"`
		}
		if err := readJSON(r, &body); err != nil || body.From == "" {
			writeError(w, http.StatusBadRequest, "invalid_request", "from and text are required")
			return
		}
		if err := o.Reply(r.Context(), body.From, body.Text, encode); err != nil {
			writeError(w, http.StatusBadGateway, "webhook_failed", err.Error())
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}
}

// mountMessagingControl registers the control endpoints of a messaging simulator.
func (o *outbox) mountMessagingControl(mux *http.ServeMux, reply func(from, text string) ([]byte, error)) {
	o.mountControl(mux)
	mux.HandleFunc("GET /sim/outbox", o.handleOutbox)
	mux.HandleFunc("POST /sim/reply", o.handleReply(reply))
	mux.HandleFunc("GET /sim/config", func(w http.ResponseWriter, _ *http.Request) {
		o.mu.Lock()
		defer o.mu.Unlock()
		writeJSON(w, http.StatusOK, o.baseView())
	})
	mux.HandleFunc("POST /sim/config", func(w http.ResponseWriter, r *http.Request) {
		var p configPatch
		if err := readJSON(r, &p); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		o.mu.Lock()
		defer o.mu.Unlock()
		if err := o.applyBase(p); err != nil {
			writeError(w, http.StatusBadRequest, "invalid_request", err.Error())
			return
		}
		writeJSON(w, http.StatusOK, o.baseView())
	})
}
