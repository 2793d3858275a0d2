package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/bpvp-sidoarjo/kompeten/messaging"
)

// Message is one message to a trainee about a milestone of their case: what was sent by which
// channel and what the provider said became of it. It holds no phone number or text.
type Message struct {
	Key         string     `json:"-"`
	CaseID      string     `json:"case_id"`
	Milestone   string     `json:"milestone"`
	Channel     string     `json:"channel"`
	Status      string     `json:"status"`
	Detail      string     `json:"detail,omitempty"`
	Attempts    int        `json:"attempts"`
	CreatedAt   time.Time  `json:"created_at"`
	SentAt      *time.Time `json:"sent_at,omitempty"`
	DeliveredAt *time.Time `json:"delivered_at,omitempty"`
	ReadAt      *time.Time `json:"read_at,omitempty"`
}

// Done reports whether the message went out (or was decided not to): a send for its key must
// not go again.
func (m Message) Done() bool {
	switch m.Status {
	case messaging.StatusSent, messaging.StatusDelivered, messaging.StatusRead, messaging.StatusSkipped:
		return true
	}
	return false
}

const messageColumns = `idem_key, case_id, milestone, channel, status, detail, attempts, created_at, sent_at, delivered_at, read_at`

func scanMessage(row pgx.Row) (Message, error) {
	var m Message
	err := row.Scan(&m.Key, &m.CaseID, &m.Milestone, &m.Channel, &m.Status, &m.Detail, &m.Attempts, &m.CreatedAt, &m.SentAt, &m.DeliveredAt, &m.ReadAt)
	return m, err
}

// GetMessage returns the message under an idempotency key, or ErrNotFound.
func (s *Store) GetMessage(ctx context.Context, key string) (Message, error) {
	m, err := scanMessage(s.pool.QueryRow(ctx, `SELECT `+messageColumns+` FROM messages WHERE idem_key = $1`, key))
	if errors.Is(err, pgx.ErrNoRows) {
		return Message{}, fmt.Errorf("message %s: %w", key, ErrNotFound)
	}
	if err != nil {
		return Message{}, fmt.Errorf("message %s: %w", key, err)
	}
	return m, nil
}

// CaseMessages lists a case's messages, oldest first.
func (s *Store) CaseMessages(ctx context.Context, caseID string) ([]Message, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+messageColumns+` FROM messages WHERE case_id = $1 ORDER BY created_at, idem_key`, caseID)
	if err != nil {
		return nil, fmt.Errorf("messages of case %s: %w", caseID, err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("messages of case %s: %w", caseID, err)
	}
	return out, nil
}

// SkipMessage records that a milestone's message is not sent, and why (no consent, no phone
// number, no channel): the case shows it. A message already sent stays as it is.
func (s *Store) SkipMessage(ctx context.Context, key, caseID, milestone, channel, why string) error {
	_, err := s.pool.Exec(ctx, `
INSERT INTO messages (idem_key, case_id, milestone, channel, status, detail)
VALUES ($1, $2, $3, $4, 'skipped', $5)
ON CONFLICT (idem_key) DO UPDATE SET status = 'skipped', detail = EXCLUDED.detail, updated_at = now()
WHERE messages.status IN ('failed', 'skipped')`, key, caseID, milestone, channel, why)
	if err != nil {
		return fmt.Errorf("skip message %s: %w", key, err)
	}
	return nil
}

// BeginSend records, before the provider is called, that an attempt to send the message is
// under way: an attempt whose answer is lost leaves the row "sending", and the next attempt
// knows the provider may have the message already. It returns the row as it was before, so
// the caller sees a message that went out meanwhile (its status came by webhook).
func (s *Store) BeginSend(ctx context.Context, key, caseID, milestone, channel string) (Message, error) {
	m, err := scanMessage(s.pool.QueryRow(ctx, `
INSERT INTO messages (idem_key, case_id, milestone, channel, status, attempts)
VALUES ($1, $2, $3, $4, 'sending', 1)
ON CONFLICT (idem_key) DO UPDATE
SET attempts = messages.attempts + 1, updated_at = now(), channel = EXCLUDED.channel,
    status = CASE WHEN messages.status IN ('failed', 'sending') THEN 'sending' ELSE messages.status END
RETURNING `+messageColumns, key, caseID, milestone, channel))
	if err != nil {
		return Message{}, fmt.Errorf("begin send of message %s: %w", key, err)
	}
	return m, nil
}

// MarkSent records the provider's id of an accepted message. A status that came by webhook
// before the answer (delivered, read) is kept.
func (s *Store) MarkSent(ctx context.Context, key, providerID string, at time.Time) error {
	_, err := s.pool.Exec(ctx, `
UPDATE messages SET provider_id = $2, sent_at = COALESCE(sent_at, $3), detail = '', updated_at = now(),
    status = CASE WHEN status IN ('sending', 'failed') THEN 'sent' ELSE status END
WHERE idem_key = $1`, key, providerID, at)
	if err != nil {
		return fmt.Errorf("mark message %s sent: %w", key, err)
	}
	return nil
}

// MarkFailed records why an attempt failed; a message that went out meanwhile stays sent.
func (s *Store) MarkFailed(ctx context.Context, key, detail string) error {
	_, err := s.pool.Exec(ctx, `
UPDATE messages SET status = 'failed', detail = $2, updated_at = now()
WHERE idem_key = $1 AND status IN ('sending', 'failed')`, key, detail)
	if err != nil {
		return fmt.Errorf("mark message %s failed: %w", key, err)
	}
	return nil
}

// statusRank orders delivery statuses so a late "sent" never overwrites "delivered".
const statusRank = `CASE %s WHEN 'sending' THEN 0 WHEN 'failed' THEN 1 WHEN 'sent' THEN 2 WHEN 'delivered' THEN 3 WHEN 'read' THEN 4 ELSE -1 END`

// RecordStatus applies a provider's delivery status (messaging.Receiver). The message is found
// by the key the provider echoes, else by the provider's id; a status for a message kompeten
// does not know is ignored. A status never moves a message back (delivered stays delivered when
// a late "sent" arrives), but "failed" after "sent" is recorded: the provider gave up.
func (s *Store) RecordStatus(ctx context.Context, u messaging.StatusUpdate) error {
	switch u.Status {
	case messaging.StatusSent, messaging.StatusDelivered, messaging.StatusRead, messaging.StatusFailed:
	default:
		return nil // "deleted", "warning", …: nothing the case shows
	}
	_, err := s.pool.Exec(ctx, `
UPDATE messages SET
    provider_id  = COALESCE(provider_id, NULLIF($3, '')),
    status       = CASE WHEN $4 = 'failed' AND status <> 'read' THEN 'failed'
                        WHEN `+fmt.Sprintf(statusRank, "$4::text")+` > `+fmt.Sprintf(statusRank, "status")+` THEN $4 ELSE status END,
    detail       = CASE WHEN $4 = 'failed' THEN $5 ELSE detail END,
    sent_at      = CASE WHEN $4 IN ('sent', 'delivered', 'read') THEN COALESCE(sent_at, $6) ELSE sent_at END,
    delivered_at = CASE WHEN $4 IN ('delivered', 'read') THEN COALESCE(delivered_at, $6) ELSE delivered_at END,
    read_at      = CASE WHEN $4 = 'read' THEN COALESCE(read_at, $6) ELSE read_at END,
    updated_at   = now()
WHERE channel = $7 AND ((NULLIF($1, '') IS NOT NULL AND idem_key = $1) OR (NULLIF($1, '') IS NULL AND provider_id = $2))`,
		u.Key, u.ProviderID, u.ProviderID, u.Status, u.Detail, u.At, u.Channel)
	if err != nil {
		return fmt.Errorf("record %s status of message %s: %w", u.Channel, u.ProviderID, err)
	}
	return nil
}

// MessageRecipient is what the sending activity reads about the trainee: personal data that goes
// to the provider and nowhere else.
type MessageRecipient struct {
	Consent bool   // consent given and not withdrawn
	Phone   string // as the cohort file gave it, "08…"
	Name    string
}

// MessageBefore is what a milestone's message activity starts from, read in one statement:
// the message row's status so far and its recipient.
type MessageBefore struct {
	// Prev is the message's row with its status and channel only, nil when no attempt or
	// decision was recorded yet.
	Prev *Message
	// Recipient is nil when there is no participant record.
	Recipient *MessageRecipient
}

// MessageBefore reads a message's status by key and its recipient by NIK hash together: a
// message activity needs both every time, and they were two round trips.
func (s *Store) MessageBefore(ctx context.Context, key, nikHash string) (MessageBefore, error) {
	var (
		out                 MessageBefore
		status, channel     *string
		phone, name         *string
		consent             *bool
		haveRow, havePerson bool
	)
	err := s.pool.QueryRow(ctx, `
SELECT m.idem_key IS NOT NULL, m.status, m.channel, p.nik_hash IS NOT NULL,
	p.message_consent AND p.message_stopped_at IS NULL, p.phone, p.name
FROM (SELECT 1) AS one
LEFT JOIN messages m ON m.idem_key = $1
LEFT JOIN participants p ON p.nik_hash = $2`, key, nikHash).Scan(&haveRow, &status, &channel, &havePerson, &consent, &phone, &name)
	if err != nil {
		return out, fmt.Errorf("message %s and its recipient %s: %w", key, shortHash(nikHash), err)
	}
	if haveRow {
		out.Prev = &Message{Key: key, Status: deref(status), Channel: deref(channel)}
	}
	if havePerson {
		out.Recipient = &MessageRecipient{Consent: consent != nil && *consent, Phone: deref(phone), Name: deref(name)}
	}
	return out, nil
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// StopMessages withdraws the consent of every participant with this phone number
// (messaging.Receiver): a reply of STOP. A later import saying "ya" does not give it back.
func (s *Store) StopMessages(ctx context.Context, localPhone string) (int, error) {
	if localPhone == "" {
		return 0, nil
	}
	// The cohort file's numbers are stored "08…"; one enrolled through the API may be as given.
	forms := []string{localPhone}
	if intl, ok := messaging.International(localPhone); ok {
		forms = append(forms, intl, "+"+intl)
	}
	tag, err := s.pool.Exec(ctx, `UPDATE participants SET message_stopped_at = now(), updated_at = now() WHERE phone = ANY($1) AND message_stopped_at IS NULL`, forms)
	if err != nil {
		return 0, fmt.Errorf("stop messages: %w", err) // no number in the error: it is logged
	}
	return int(tag.RowsAffected()), nil
}
