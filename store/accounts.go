package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
	"github.com/jackc/pgx/v5"
)

// Account is a person's login: a username (and optionally an email) with the role and scope a
// token would have. The password is kept only as its argon2id hash; HasPassword is false until
// the person used their one-time link.
type Account struct {
	ID          int64      `json:"id"`
	Username    string     `json:"username"`
	Email       string     `json:"email,omitempty"`
	Role        vocab.Role `json:"role"`
	Scopes      []string   `json:"scopes"`
	HasPassword bool       `json:"has_password"`
	CreatedBy   string     `json:"created_by"`
	CreatedAt   time.Time  `json:"created_at"`
	DisabledAt  *time.Time `json:"disabled_at,omitempty"`
	// PasswordHash is the stored hash; never sent anywhere.
	PasswordHash string `json:"-"`
	// Lang ("id", "en") and TimeZone ("WIB", "WITA", "WIT") are how the pages speak to the
	// person: the language switch and the account setting keep them (SetAccountPreferences).
	Lang     string `json:"-"`
	TimeZone string `json:"-"`
}

const accountColumns = `id, username, coalesce(email, ''), role, scopes, coalesce(password_hash, ''), created_by, created_at, disabled_at, lang, time_zone`

func scanAccount(row pgx.Row) (Account, error) {
	var a Account
	err := row.Scan(&a.ID, &a.Username, &a.Email, &a.Role, &a.Scopes, &a.PasswordHash, &a.CreatedBy, &a.CreatedAt, &a.DisabledAt, &a.Lang, &a.TimeZone)
	a.HasPassword = a.PasswordHash != ""
	return a, err
}

// CreateAccount stores a new account without a password. A taken username or email, or a
// username that is a live API token's name, is ErrExists; a username the schema refuses (lower-case letters, digits, '.', '_', '-'; 2 to 63)
// or an unknown role is ErrInvalid.
func (s *Store) CreateAccount(ctx context.Context, a Account) (Account, error) {
	if a.Scopes == nil {
		a.Scopes = []string{}
	}
	var email *string
	if a.Email != "" {
		email = &a.Email
	}
	// A live API token of the same name would make the case log's actor id ambiguous.
	out, err := scanAccount(s.pool.QueryRow(ctx,
		`INSERT INTO accounts (username, email, role, scopes, created_by)
		 SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM api_tokens WHERE name = $1 AND revoked_at IS NULL)
		 RETURNING `+accountColumns,
		a.Username, email, a.Role, a.Scopes, a.CreatedBy))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: a live API token is named %q; the name is the actor id in case logs, so it must say who acted", ErrExists, a.Username)
	}
	switch pgCode(err) {
	case "":
		return out, nil
	case pgUniqueViolation:
		if strings.Contains(pgConstraint(err), "email") {
			return Account{}, fmt.Errorf("%w: another account has this email", ErrExists)
		}
		return Account{}, fmt.Errorf("%w: an account named %q already exists", ErrExists, a.Username)
	case pgCheckViolation:
		return Account{}, fmt.Errorf("%w: account %q: the username takes 2 to 63 lower-case letters, digits, '.', '_' or '-' (starting with a letter or digit), the email needs an @, the role must be known", ErrInvalid, a.Username)
	default:
		return Account{}, fmt.Errorf("create account %q: %w", a.Username, err)
	}
}

// ListAccounts returns every account, enabled ones first, by username.
func (s *Store) ListAccounts(ctx context.Context) ([]Account, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+accountColumns+` FROM accounts ORDER BY disabled_at IS NOT NULL, username`)
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Account, error) { return scanAccount(r) })
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	return as, nil
}

// CountAccounts is how many accounts exist, disabled ones included.
func (s *Store) CountAccounts(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM accounts`).Scan(&n); err != nil {
		return 0, fmt.Errorf("count accounts: %w", err)
	}
	return n, nil
}

// AccountByID returns an account, disabled or not; ErrNotFound when there is none.
func (s *Store) AccountByID(ctx context.Context, id int64) (Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT `+accountColumns+` FROM accounts WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: account %d", ErrNotFound, id)
	}
	if err != nil {
		return Account{}, fmt.Errorf("look up account %d: %w", id, err)
	}
	return a, nil
}

// AccountByLogin returns the account whose username or email is login (case-insensitive),
// disabled or not; ErrNotFound when there is none.
func (s *Store) AccountByLogin(ctx context.Context, login string) (Account, error) {
	login = strings.ToLower(strings.TrimSpace(login))
	a, err := scanAccount(s.pool.QueryRow(ctx,
		`SELECT `+accountColumns+` FROM accounts WHERE username = $1 OR lower(email) = $1 ORDER BY username = $1 DESC LIMIT 1`, login))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: account", ErrNotFound)
	}
	if err != nil {
		return Account{}, fmt.Errorf("look up account: %w", err)
	}
	return a, nil
}

// DisableAccount disables an account and ends its page sessions and unused links at once;
// ErrNotFound for an unknown account. Disabling a disabled account keeps its first date.
func (s *Store) DisableAccount(ctx context.Context, id int64, at time.Time) (Account, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Account{}, fmt.Errorf("disable account %d: %w", id, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	a, err := scanAccount(tx.QueryRow(ctx,
		`UPDATE accounts SET disabled_at = coalesce(disabled_at, $2) WHERE id = $1 RETURNING `+accountColumns, id, at))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: account %d", ErrNotFound, id)
	}
	if err != nil {
		return Account{}, fmt.Errorf("disable account %d: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, id); err != nil {
		return Account{}, fmt.Errorf("disable account %d: end its sessions: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_links WHERE account_id = $1 AND used_at IS NULL`, id); err != nil {
		return Account{}, fmt.Errorf("disable account %d: drop its links: %w", id, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Account{}, fmt.Errorf("disable account %d: %w", id, err)
	}
	return a, nil
}

// IssuePasswordLink stores a one-time set-password link (the hash of its token) for an enabled
// account, valid until expires. Earlier unused links of the account stop working. With reset,
// the account's password is also cleared and its sessions end (a password thought leaked);
// otherwise the current password keeps working until the link is used.
func (s *Store) IssuePasswordLink(ctx context.Context, id int64, tokenHash []byte, at, expires time.Time, reset bool) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("password link for account %d: %w", id, err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var disabled *time.Time
	err = tx.QueryRow(ctx, `SELECT disabled_at FROM accounts WHERE id = $1 FOR UPDATE`, id).Scan(&disabled)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("%w: account %d", ErrNotFound, id)
	}
	if err != nil {
		return fmt.Errorf("password link for account %d: %w", id, err)
	}
	if disabled != nil {
		return fmt.Errorf("%w: account %d is disabled", ErrInvalid, id)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM account_links WHERE account_id = $1 AND used_at IS NULL`, id); err != nil {
		return fmt.Errorf("password link for account %d: drop older links: %w", id, err)
	}
	if reset {
		if _, err := tx.Exec(ctx, `UPDATE accounts SET password_hash = NULL WHERE id = $1`, id); err != nil {
			return fmt.Errorf("reset account %d: %w", id, err)
		}
		if _, err := tx.Exec(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, id); err != nil {
			return fmt.Errorf("reset account %d: end its sessions: %w", id, err)
		}
	}
	if _, err := tx.Exec(ctx, `INSERT INTO account_links (token_hash, account_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
		tokenHash, id, at, expires); err != nil {
		return fmt.Errorf("password link for account %d: %w", id, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return fmt.Errorf("password link for account %d: %w", id, err)
	}
	return nil
}

// PasswordLink returns the enabled account a live link (unused, unexpired at at) is for,
// without using it; ErrNotFound for any other link, so a page cannot tell used from unknown.
func (s *Store) PasswordLink(ctx context.Context, tokenHash []byte, at time.Time) (Account, error) {
	a, err := scanAccount(s.pool.QueryRow(ctx, `SELECT a.id, a.username, coalesce(a.email, ''), a.role, a.scopes, coalesce(a.password_hash, ''), a.created_by, a.created_at, a.disabled_at, a.lang, a.time_zone
		FROM account_links l JOIN accounts a ON a.id = l.account_id
		WHERE l.token_hash = $1 AND l.used_at IS NULL AND l.expires_at > $2 AND a.disabled_at IS NULL`, tokenHash, at))
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: password link (used, expired or unknown)", ErrNotFound)
	}
	if err != nil {
		return Account{}, fmt.Errorf("look up password link: %w", err)
	}
	return a, nil
}

// UsePasswordLink uses a live link once: it sets the account's password hash, ends the
// account's other sessions and returns the account. A used, expired or unknown link, or one of
// a disabled account, is ErrNotFound, and nothing changes.
func (s *Store) UsePasswordLink(ctx context.Context, tokenHash []byte, passwordHash string, at time.Time) (Account, error) {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return Account{}, fmt.Errorf("use password link: %w", err)
	}
	defer func() { _ = tx.Rollback(ctx) }()
	var id int64
	err = tx.QueryRow(ctx, `UPDATE account_links l SET used_at = $2 FROM accounts a
		WHERE l.token_hash = $1 AND a.id = l.account_id AND l.used_at IS NULL AND l.expires_at > $2 AND a.disabled_at IS NULL
		RETURNING l.account_id`, tokenHash, at).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return Account{}, fmt.Errorf("%w: password link (used, expired or unknown)", ErrNotFound)
	}
	if err != nil {
		return Account{}, fmt.Errorf("use password link: %w", err)
	}
	a, err := scanAccount(tx.QueryRow(ctx, `UPDATE accounts SET password_hash = $2 WHERE id = $1 RETURNING `+accountColumns, id, passwordHash))
	if err != nil {
		return Account{}, fmt.Errorf("set password of account %d: %w", id, err)
	}
	if _, err := tx.Exec(ctx, `DELETE FROM web_sessions WHERE account_id = $1`, id); err != nil {
		return Account{}, fmt.Errorf("set password of account %d: end its sessions: %w", id, err)
	}
	if err := tx.Commit(ctx); err != nil {
		return Account{}, fmt.Errorf("use password link: %w", err)
	}
	return a, nil
}

// CheckScopeCodes refuses (ErrInvalid) a scope code that names no centre (a centre-admin's)
// or no LSP (an lsp-manager's): a typo would make an account that can act on nothing.
func (s *Store) CheckScopeCodes(ctx context.Context, role vocab.Role, scopes []string) error {
	query, table := `SELECT EXISTS (SELECT 1 FROM centres WHERE code = $1)`, "centres"
	if role == vocab.RoleLSPManager {
		query, table = `SELECT EXISTS (SELECT 1 FROM partners WHERE code = $1 AND kind = 'certifier')`, "LSPs"
	}
	for _, code := range scopes {
		var ok bool
		if err := s.pool.QueryRow(ctx, query, code).Scan(&ok); err != nil {
			return fmt.Errorf("check scope %s: %w", code, err)
		}
		if !ok {
			return fmt.Errorf("%w: scope %s: no such code among the %s", ErrInvalid, code, table)
		}
	}
	return nil
}
