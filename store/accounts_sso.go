package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// SSOIdentity is what an OpenID Connect provider said about a person at a login, already
// mapped to kompeten's terms: the provider (issuer) and its stable ID of the person (subject),
// the username and email to give a new account, and the role and scope the claims map to.
type SSOIdentity struct {
	Issuer, Subject string
	Username, Email string
	// EmailVerified: the provider vouches for Email, so an existing account with that email
	// may be linked to this identity.
	EmailVerified bool
	Role          vocab.Role
	Scopes        []string
}

// SSOOutcome says what an SSO login did to the accounts (each is also an account_events row).
type SSOOutcome string

// The outcomes of an SSO login.
const (
	SSOExisting SSOOutcome = "existing" // the identity's account, role and scope unchanged
	SSOCreated  SSOOutcome = "created"  // a new account for the identity
	SSOLinked   SSOOutcome = "linked"   // an existing account (same username or verified email) bound to it
	SSOChanged  SSOOutcome = "changed"  // the identity's account, with a new role or scope
)

// ErrSSOConflict is an SSO login whose username or email belongs to an account bound to
// another identity: nothing is linked or created.
var ErrSSOConflict = errors.New("account bound to another single sign-on identity")

// SSOLogin finds, links or creates the account of an SSO identity and gives it the role and
// scope of the provider's claims, in one transaction, writing an account_events row for each
// change. The account is returned as it is now, disabled or not: refusing a disabled account is
// the caller's (a provider's yes does not revive it, and the account is not changed then).
func (s *Store) SSOLogin(ctx context.Context, id SSOIdentity, at time.Time) (Account, SSOOutcome, error) {
	if id.Issuer == "" || id.Subject == "" {
		return Account{}, "", fmt.Errorf("%w: an SSO identity needs an issuer and a subject", ErrInvalid)
	}
	if id.Scopes == nil {
		id.Scopes = []string{}
	}
	actor := "sso:" + id.Issuer
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Account{}, "", fmt.Errorf("sso login: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()

	outcome := SSOExisting
	a, err := scanAccount(tx.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts
		WHERE oidc_issuer = $1 AND oidc_subject = $2 FOR UPDATE`, id.Issuer, id.Subject))
	if errors.Is(err, pgx.ErrNoRows) {
		a, outcome, err = linkOrCreate(ctx, tx, id, actor, at)
	}
	if err != nil {
		return Account{}, "", err
	}
	if a.DisabledAt != nil {
		if err := tx.Commit(ctx); err != nil { // a link made just now stays: it is audited
			return Account{}, "", fmt.Errorf("sso login: %w", err)
		}
		return a, outcome, nil
	}
	if a.Role != id.Role || !slices.Equal(a.Scopes, id.Scopes) {
		if _, err := tx.Exec(ctx, `UPDATE accounts SET role = $2, scopes = $3 WHERE id = $1`, a.ID, id.Role, id.Scopes); err != nil {
			return Account{}, "", fmt.Errorf("sso login: set role: %w", err)
		}
		if err := accountEvent(ctx, tx, a.ID, at, "sso-role-changed", actor, map[string]any{
			"from_role": a.Role, "from_scopes": a.Scopes, "role": id.Role, "scopes": id.Scopes}); err != nil {
			return Account{}, "", err
		}
		a.Role, a.Scopes = id.Role, id.Scopes
		if outcome == SSOExisting {
			outcome = SSOChanged
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return Account{}, "", fmt.Errorf("sso login: %w", err)
	}
	return a, outcome, nil
}

// linkOrCreate binds an identity seen for the first time to the account of the same username
// (or of its email, when the provider verified it), if that account is bound to no identity
// yet, or else creates an account for it.
func linkOrCreate(ctx context.Context, tx pgx.Tx, id SSOIdentity, actor string, at time.Time) (Account, SSOOutcome, error) {
	email := strings.ToLower(id.Email)
	if !id.EmailVerified {
		email = ""
	}
	var oidcSubject *string
	a, err := scanAccountSSO(tx.QueryRow(ctx, `SELECT `+accountColumns+`, oidc_subject FROM accounts
		WHERE username = $1 OR ($2 <> '' AND lower(email) = $2) ORDER BY username = $1 DESC LIMIT 1 FOR UPDATE`,
		id.Username, email), &oidcSubject)
	switch {
	case err == nil && oidcSubject != nil:
		return Account{}, "", fmt.Errorf("%w: account %q", ErrSSOConflict, a.Username)
	case err == nil:
		if _, err := tx.Exec(ctx, `UPDATE accounts SET oidc_issuer = $2, oidc_subject = $3 WHERE id = $1`, a.ID, id.Issuer, id.Subject); err != nil {
			return Account{}, "", fmt.Errorf("sso login: link account %q: %w", a.Username, err)
		}
		if err := accountEvent(ctx, tx, a.ID, at, "sso-linked", actor, map[string]any{"matched": matched(a, id.Username)}); err != nil {
			return Account{}, "", err
		}
		return a, SSOLinked, nil
	case !errors.Is(err, pgx.ErrNoRows):
		return Account{}, "", fmt.Errorf("sso login: find account to link: %w", err)
	}
	var emailArg *string
	if id.Email != "" {
		emailArg = &id.Email
	}
	a, err = scanAccount(tx.QueryRow(ctx,
		`INSERT INTO accounts (username, email, role, scopes, created_by, oidc_issuer, oidc_subject)
		 SELECT $1, $2, $3, $4, $5, $6, $7 WHERE NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = $1 AND revoked_at IS NULL)
		 RETURNING `+accountColumns,
		id.Username, emailArg, id.Role, id.Scopes, actor, id.Issuer, id.Subject))
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return Account{}, "", fmt.Errorf("%w: a live API token is named %q", ErrSSOConflict, id.Username)
	case pgCode(err) == pgUniqueViolation:
		// The email belongs to an account the provider did not verify it for.
		return Account{}, "", fmt.Errorf("%w: another account has this email", ErrSSOConflict)
	case pgCode(err) == pgCheckViolation:
		return Account{}, "", fmt.Errorf("%w: username %q or email from the provider", ErrInvalid, id.Username)
	case err != nil:
		return Account{}, "", fmt.Errorf("sso login: create account %q: %w", id.Username, err)
	}
	if err := accountEvent(ctx, tx, a.ID, at, "sso-created", actor, map[string]any{"role": id.Role, "scopes": id.Scopes}); err != nil {
		return Account{}, "", err
	}
	return a, SSOCreated, nil
}

func matched(a Account, username string) string {
	if a.Username == username {
		return "username"
	}
	return "email"
}

func scanAccountSSO(row pgx.Row, subject **string) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Username, &a.Email, &a.Role, &a.Scopes, &a.PasswordHash, &a.CreatedBy, &a.CreatedAt, &a.DisabledAt, &a.Lang, &a.TimeZone, subject)
	a.HasPassword = a.PasswordHash != ""
	return a, err
}

// accountEvent writes one audit row of an account.
func accountEvent(ctx context.Context, tx pgx.Tx, accountID int64, at time.Time, event, actor string, detail map[string]any) error {
	if _, err := tx.Exec(ctx, `INSERT INTO account_events (account_id, at, event, actor, detail) VALUES ($1, $2, $3, $4, $5)`,
		accountID, at, event, actor, detail); err != nil {
		return fmt.Errorf("account %d: record %s: %w", accountID, event, err)
	}
	return nil
}

// AccountEvent is one audit row of an account.
type AccountEvent struct {
	At     time.Time      `json:"at"`
	Event  string         `json:"event"`
	Actor  string         `json:"actor"`
	Detail map[string]any `json:"detail"`
}

// AccountEvents returns an account's audit rows, oldest first.
func (s *Store) AccountEvents(ctx context.Context, accountID int64) ([]AccountEvent, error) {
	rows, err := s.pool.Query(ctx, `SELECT at, event, actor, detail FROM account_events WHERE account_id = $1 ORDER BY at, id`, accountID)
	if err != nil {
		return nil, fmt.Errorf("account %d events: %w", accountID, err)
	}
	evs, err := pgx.CollectRows(rows, pgx.RowToStructByPos[AccountEvent])
	if err != nil {
		return nil, fmt.Errorf("account %d events: %w", accountID, err)
	}
	return evs, nil
}
