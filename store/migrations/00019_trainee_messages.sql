-- Messages to trainees (issue 18, point 1). A participant's consent comes from the cohort file
-- (persetujuan_pesan); a reply of STOP or BERHENTI sets message_stopped_at, which a later import
-- saying "ya" again does not undo: consent is message_consent AND message_stopped_at IS NULL.
-- messages is what was sent to whom for which milestone of a case (one row per idempotency key,
-- case and milestone), with the provider's id and the delivery status its webhooks report.
-- sim_messages is the outbox of the WhatsApp and SMS simulators (package simulator): it stands
-- for the providers' systems and kompeten itself never reads it.

-- +goose Up
ALTER TABLE participants ADD COLUMN message_consent boolean NOT NULL DEFAULT false;
ALTER TABLE participants ADD COLUMN message_stopped_at timestamptz;

CREATE TABLE messages (
    idem_key     text PRIMARY KEY,          -- <case id>/<milestone>
    case_id      text NOT NULL,
    milestone    text NOT NULL,
    channel      text NOT NULL,             -- whatsapp, sms, or none
    status       text NOT NULL,             -- sending, sent, delivered, read, failed, skipped
    detail       text NOT NULL DEFAULT '',  -- why failed or skipped; never personal data
    provider_id  text,                      -- the provider's message id (wamid, gateway id)
    attempts     integer NOT NULL DEFAULT 0,
    created_at   timestamptz NOT NULL DEFAULT now(),
    sent_at      timestamptz,
    delivered_at timestamptz,
    read_at      timestamptz,
    updated_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX messages_case_idx ON messages (case_id, created_at);
CREATE UNIQUE INDEX messages_provider_idx ON messages (channel, provider_id) WHERE provider_id IS NOT NULL;

CREATE TABLE sim_messages (
    sim         text NOT NULL,              -- "whatsapp" or "sms"
    id          text NOT NULL,              -- the id the simulator answered with
    idem_key    text,                       -- SMS Idempotency-Key, WhatsApp biz_opaque_callback_data
    recipient   text NOT NULL,
    template    text NOT NULL,
    params      text[] NOT NULL,
    body        text NOT NULL DEFAULT '',
    status      text NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (sim, id)
);
CREATE UNIQUE INDEX sim_messages_idem_idx ON sim_messages (sim, idem_key) WHERE idem_key IS NOT NULL AND sim = 'sms';

-- +goose Down
DROP TABLE sim_messages;
DROP TABLE messages;
ALTER TABLE participants DROP COLUMN message_stopped_at;
ALTER TABLE participants DROP COLUMN message_consent;
