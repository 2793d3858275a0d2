package auth

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// claimVersion prefixes every signature of the current format.
const claimVersion = "v2"

// ErrBadClaim is returned for a missing, malformed or forged claim.
var ErrBadClaim = errors.New("actor claim is not signed by kompeten")

// Who vouches for a message. Both sign with security.actor_key; the purpose is signed too, so a
// claim minted for one use can never pass for the other.
const (
	// PurposeAPI: kompeten's API (the starter behind it: the pages, the CLI, the import, the
	// agreement seed) sends a person's step, a partner file's result, or starts a workflow.
	PurposeAPI = "api"
	// PurposeWorker: kompeten's own workflows and activities send a message to another workflow
	// (an MoU's news to its PKS, an agreement's nudge to waiting journeys) or start one (a
	// renewal's successor, a continue-as-new).
	PurposeWorker = "worker"
)

// StartName is the name a claim on a workflow start is signed for.
func StartName(workflowType string) string { return "start:" + workflowType }

// Claim is what kompeten vouches for when it sends a message to a workflow: this message (its
// name and a digest of its whole argument), for this workflow, from this actor, issued once
// (ID) at this time. The worker refuses a claim that does not verify, one older than its
// window, and one whose ID the workflow has already taken.
type Claim struct {
	Purpose    string
	WorkflowID string
	// Name is the update or signal name, or StartName of the workflow type.
	Name string
	// ActorID and Role are the person who took the step; empty for kompeten's own messages.
	ActorID string
	Role    vocab.Role
	// ID is unique per message (NewClaimID); a workflow takes each ID once.
	ID string
	// At is when the claim was issued, to the second.
	At time.Time
	// Digest is the Digest of the argument with the signature itself emptied.
	Digest []byte
}

// Issued is what a signature says in clear: who vouches, the claim's ID and when it was issued.
// Reading it proves nothing; Verify does.
type Issued struct {
	Purpose string
	ID      string
	At      time.Time
}

// NewClaimID returns a fresh random claim ID.
func NewClaimID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", fmt.Errorf("claim id: %w", err)
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// message is the signed text. Fields are separated by a byte none of them may contain, so two
// different claims never produce the same message.
func (c Claim) message() ([]byte, error) {
	fields := []string{claimVersion, c.Purpose, c.WorkflowID, c.Name, c.ActorID, string(c.Role), c.ID,
		strconv.FormatInt(c.At.Unix(), 10), hex.EncodeToString(c.Digest)}
	for _, f := range fields {
		if strings.ContainsRune(f, 0) {
			return nil, errors.New("claim field contains a NUL byte")
		}
	}
	return []byte(strings.Join(fields, "\x00")), nil
}

func (c Claim) mac(key []byte) ([]byte, error) {
	msg, err := c.message()
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, key)
	m.Write(msg)
	return m.Sum(nil), nil
}

// Sign returns the signature of c under key: "v2.<purpose>.<unix seconds>.<id>.<base64url
// HMAC-SHA256>". The workflow ID, name, actor and digest are not in it: the verifier knows
// them from the message itself.
func Sign(key []byte, c Claim) (string, error) {
	if len(key) == 0 {
		return "", errors.New("security.actor_key: no key to sign claims with")
	}
	if c.Purpose != PurposeAPI && c.Purpose != PurposeWorker {
		return "", fmt.Errorf("claim purpose %q unknown", c.Purpose)
	}
	if c.ID == "" || strings.ContainsAny(c.ID, ".\x00") {
		return "", fmt.Errorf("claim id %q: empty or not one token", c.ID)
	}
	if len(c.Digest) != sha256.Size {
		return "", errors.New("claim without a digest of its argument")
	}
	mac, err := c.mac(key)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%s.%s.%d.%s.%s", claimVersion, c.Purpose, c.At.Unix(), c.ID, base64.RawURLEncoding.EncodeToString(mac)), nil
}

// ParseClaim reads the clear part of a v2 signature without verifying it.
func ParseClaim(sig string) (Issued, error) {
	parts := strings.Split(sig, ".")
	if len(parts) != 5 || parts[0] != claimVersion || parts[3] == "" {
		return Issued{}, ErrBadClaim
	}
	unix, err := strconv.ParseInt(parts[2], 10, 64)
	if err != nil {
		return Issued{}, ErrBadClaim
	}
	return Issued{Purpose: parts[1], ID: parts[3], At: time.Unix(unix, 0).UTC()}, nil
}

// IsLegacy reports whether sig has the first claim format (LegacyClaim).
func IsLegacy(sig string) bool { return strings.HasPrefix(sig, legacyVersion+".") }

// Verify checks sig against what the verifier knows of the message — c's workflow ID, name,
// actor, role and digest; its purpose, ID and time come from sig — and returns what sig says.
// It is a pure function of its arguments.
func Verify(key []byte, c Claim, sig string) (Issued, error) {
	is, err := ParseClaim(sig)
	if err != nil || len(key) == 0 {
		return Issued{}, ErrBadClaim
	}
	got, err := base64.RawURLEncoding.DecodeString(sig[strings.LastIndexByte(sig, '.')+1:])
	if err != nil {
		return Issued{}, ErrBadClaim
	}
	c.Purpose, c.ID, c.At = is.Purpose, is.ID, is.At
	want, err := c.mac(key)
	if err != nil || !hmac.Equal(got, want) {
		return Issued{}, ErrBadClaim
	}
	return is, nil
}
