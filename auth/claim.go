package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// claimVersion prefixes every signature so the format can change without ambiguity.
const claimVersion = "v1"

// ErrBadClaim is returned for a missing, malformed or forged actor claim.
var ErrBadClaim = errors.New("actor claim is not signed by kompeten")

// Claim is what the API vouches for when it sends a human step: who (actor id and role) did
// which update to which case, and when it was signed.
type Claim struct {
	// CaseID is what the step is about: a journey's short case ID, or an agreement's workflow
	// ID ("mou/<number>"), which no case ID can equal.
	CaseID  string
	Update  string
	ActorID string
	Role    vocab.Role
	At      time.Time
}

// message is the signed text. Fields are separated by a byte none of them may contain, so two
// different claims never produce the same message.
func (c Claim) message() ([]byte, error) {
	for _, f := range []string{c.CaseID, c.Update, c.ActorID, string(c.Role)} {
		if strings.ContainsRune(f, 0) {
			return nil, errors.New("claim field contains a NUL byte")
		}
	}
	return []byte(strings.Join([]string{claimVersion, c.CaseID, c.Update, c.ActorID, string(c.Role), strconv.FormatInt(c.At.Unix(), 10)}, "\x00")), nil
}

// Sign returns the signature of c under key: "v1.<unix seconds>.<base64url HMAC-SHA256>".
func Sign(key []byte, c Claim) (string, error) {
	if len(key) == 0 {
		return "", errors.New("security.actor_key: no key to sign actor claims with")
	}
	msg, err := c.message()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return fmt.Sprintf("%s.%d.%s", claimVersion, c.At.Unix(), base64.RawURLEncoding.EncodeToString(m.Sum(nil))), nil
}

// Verify checks sig against the claim's case, update, actor and role under key and returns the
// signing time. It is a pure function of its arguments, so a workflow validator may call it.
func Verify(key []byte, caseID, update, actorID string, role vocab.Role, sig string) (time.Time, error) {
	parts := strings.Split(sig, ".")
	if len(parts) != 3 || parts[0] != claimVersion {
		return time.Time{}, ErrBadClaim
	}
	unix, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil {
		return time.Time{}, ErrBadClaim
	}
	got, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return time.Time{}, ErrBadClaim
	}
	c := Claim{CaseID: caseID, Update: update, ActorID: actorID, Role: role, At: time.Unix(unix, 0)}
	msg, err := c.message()
	if err != nil {
		return time.Time{}, ErrBadClaim
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	if len(key) == 0 || !hmac.Equal(got, m.Sum(nil)) {
		return time.Time{}, ErrBadClaim
	}
	return c.At, nil
}
