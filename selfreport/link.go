package selfreport

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/store"
)

// DefaultTTL is how long a link works when the issuer is given no TTL (selfreport.link_ttl's
// default).
const DefaultTTL = 14 * 24 * time.Hour

// LinkPath is where the links point, before the token.
const LinkPath = "/lapor/"

// ErrLinkGone is a link that is unknown, tampered with, used or expired: the page answers all
// four the same way, so a guess learns nothing.
var ErrLinkGone = errors.New("self-report link unknown, used or expired")

// LinkStore keeps the issued links (*store.Store).
type LinkStore interface {
	CreateSelfReportLink(ctx context.Context, l store.SelfReportLink) error
	LiveSelfReportLink(ctx context.Context, caseID string, month int, at time.Time) (store.SelfReportLink, error)
	GetSelfReportLink(ctx context.Context, id string) (store.SelfReportLink, error)
	UseSelfReportLink(ctx context.Context, id, answer string, at time.Time) (store.SelfReportLink, error)
	ReleaseSelfReportLink(ctx context.Context, id string) error
}

// Issuer issues and checks follow-up links. The messaging side calls FollowUpLink for each
// follow-up message; the page checks and spends the links.
type Issuer struct {
	Store LinkStore
	// Key signs the tokens (selfreport.key); at least 32 bytes.
	Key []byte
	// BaseURL is the public address the links start with (selfreport.public_url).
	BaseURL string
	// TTL is how long a link works; zero: DefaultTTL.
	TTL time.Duration
	// Now is the clock; nil: time.Now (tests move it past the expiry).
	Now func() time.Time
}

func (i *Issuer) now() time.Time {
	if i.Now != nil {
		return i.Now()
	}
	return time.Now()
}

func (i *Issuer) ttl() time.Duration {
	if i.TTL > 0 {
		return i.TTL
	}
	return DefaultTTL
}

// FollowUpLink returns the absolute link for a case's follow-up month. It is idempotent while
// the link works: asked again for the same case and month (a retried message), it returns the
// same link; once that link is used or expired, a fresh one.
func (i *Issuer) FollowUpLink(ctx context.Context, caseID string, month int) (string, error) {
	if strings.TrimSpace(caseID) == "" || month < 0 {
		return "", fmt.Errorf("follow-up link: a case and a month are required")
	}
	now := i.now()
	l, err := i.Store.LiveSelfReportLink(ctx, caseID, month, now)
	if errors.Is(err, store.ErrNotFound) {
		l, err = i.issue(ctx, caseID, month, now)
	}
	if err != nil {
		return "", fmt.Errorf("follow-up link for case %s month %d: %w", caseID, month, err)
	}
	return i.URL(i.Token(l.ID)), nil
}

// issue stores a new link with a random ID.
func (i *Issuer) issue(ctx context.Context, caseID string, month int, now time.Time) (store.SelfReportLink, error) {
	raw := make([]byte, 16)
	if _, err := rand.Read(raw); err != nil {
		return store.SelfReportLink{}, fmt.Errorf("link id: %w", err)
	}
	l := store.SelfReportLink{ID: base64.RawURLEncoding.EncodeToString(raw), CaseID: caseID, Month: month,
		CreatedAt: now, ExpiresAt: now.Add(i.ttl())}
	return l, i.Store.CreateSelfReportLink(ctx, l)
}

// URL is the absolute address of a token's page.
func (i *Issuer) URL(token string) string {
	return strings.TrimRight(i.BaseURL, "/") + LinkPath + url.PathEscape(token)
}

// Token is a link ID with its signature: "<id>.<mac>".
func (i *Issuer) Token(id string) string { return id + "." + i.mac(id) }

func (i *Issuer) mac(id string) string {
	m := hmac.New(sha256.New, i.Key)
	m.Write([]byte("selfreport-link\x00" + id))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// linkID checks a token's signature and returns its link ID; a token that is malformed or
// signed with another key is ErrLinkGone, before the store is asked.
func (i *Issuer) linkID(token string) (string, error) {
	id, sig, ok := strings.Cut(token, ".")
	if !ok || id == "" || len(token) > 128 || !hmac.Equal([]byte(sig), []byte(i.mac(id))) {
		return "", ErrLinkGone
	}
	return id, nil
}

// Open finds the link of a token that still works (signed, unused, not expired) without
// spending it: opening the page, or a messenger's link preview, does not use it.
func (i *Issuer) Open(ctx context.Context, token string) (store.SelfReportLink, error) {
	id, err := i.linkID(token)
	if err != nil {
		return store.SelfReportLink{}, err
	}
	l, err := i.Store.GetSelfReportLink(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return l, ErrLinkGone
	}
	if err != nil {
		return l, err
	}
	if l.UsedAt != nil || !i.now().Before(l.ExpiresAt) {
		return l, ErrLinkGone
	}
	return l, nil
}

// Use spends a token's link with the answer, once: of two answers sent at once only one gets
// it; the other, and any later one, is ErrLinkGone.
func (i *Issuer) Use(ctx context.Context, token, answer string) (store.SelfReportLink, error) {
	id, err := i.linkID(token)
	if err != nil {
		return store.SelfReportLink{}, err
	}
	l, err := i.Store.UseSelfReportLink(ctx, id, answer, i.now())
	if errors.Is(err, store.ErrNotFound) {
		return l, ErrLinkGone
	}
	return l, err
}

// Release gives a spent link back when the journey refused its answer, so the graduate can try
// again while it lasts.
func (i *Issuer) Release(ctx context.Context, l store.SelfReportLink) error {
	return i.Store.ReleaseSelfReportLink(ctx, l.ID)
}
