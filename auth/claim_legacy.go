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

// legacyVersion prefixes the signatures of the first claim format.
const legacyVersion = "v1"

// LegacyClaim is the first claim format (v1): who (actor id and role) did which update to which
// case, and when. It did not cover the step's argument, the workflow or a unique ID, so a
// signature could be resent with another argument. Histories recorded before claims v2 carry it
// and must replay as they ran; kompeten signs no new v1 claim (only tests do, to make such a
// history).
type LegacyClaim struct {
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
func (c LegacyClaim) message() ([]byte, error) {
	for _, f := range []string{c.CaseID, c.Update, c.ActorID, string(c.Role)} {
		if strings.ContainsRune(f, 0) {
			return nil, errors.New("claim field contains a NUL byte")
		}
	}
	return []byte(strings.Join([]string{legacyVersion, c.CaseID, c.Update, c.ActorID, string(c.Role), strconv.FormatInt(c.At.Unix(), 10)}, "\x00")), nil
}

// SignLegacy returns the v1 signature of c under key: "v1.<unix seconds>.<base64url
// HMAC-SHA256>".
func SignLegacy(key []byte, c LegacyClaim) (string, error) {
	if len(key) == 0 {
		return "", errors.New("security.actor_key: no key to sign actor claims with")
	}
	msg, err := c.message()
	if err != nil {
		return "", err
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return fmt.Sprintf("%s.%d.%s", legacyVersion, c.At.Unix(), base64.RawURLEncoding.EncodeToString(m.Sum(nil))), nil
}

// VerifyLegacy checks a v1 sig against the claim's case, update, actor and role under key and
// returns the signing time. It is a pure function of its arguments.
func VerifyLegacy(key []byte, caseID, update, actorID string, role vocab.Role, sig string) (time.Time, error) {
	parts := strings.Split(sig, ".")
	if len(parts) != 3 || parts[0] != legacyVersion {
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
	c := LegacyClaim{CaseID: caseID, Update: update, ActorID: actorID, Role: role, At: time.Unix(unix, 0)}
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
