package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func TestLegacyClaimVerifiesOnlyWhatWasSigned(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	at := time.Unix(1_790_000_000, 0)
	sig, err := SignLegacy(key, LegacyClaim{CaseID: "abcdefghij", Update: "decide-enrolment", ActorID: "siti", Role: "centre-admin", At: at})
	if err != nil {
		t.Fatal(err)
	}
	if got, err := VerifyLegacy(key, "abcdefghij", "decide-enrolment", "siti", "centre-admin", sig); err != nil || !got.Equal(at) {
		t.Fatalf("genuine claim: %v, %v", got, err)
	}
	forged := []struct {
		name, caseID, update, actor string
		role                        vocab.Role
		sig                         string
	}{
		{"other case", "bbbbbbbbbb", "decide-enrolment", "siti", "centre-admin", sig},
		{"other update", "abcdefghij", "withdraw", "siti", "centre-admin", sig},
		{"other actor", "abcdefghij", "decide-enrolment", "budi", "centre-admin", sig},
		{"raised role", "abcdefghij", "decide-enrolment", "siti", "coordinator", sig},
		{"no signature", "abcdefghij", "decide-enrolment", "siti", "centre-admin", ""},
		{"garbage", "abcdefghij", "decide-enrolment", "siti", "centre-admin", "v1.x.y"},
	}
	for _, f := range forged {
		if _, err := VerifyLegacy(key, f.caseID, f.update, f.actor, f.role, f.sig); !errors.Is(err, ErrBadClaim) {
			t.Errorf("%s: want ErrBadClaim, got %v", f.name, err)
		}
	}
	if _, err := VerifyLegacy([]byte("another key of thirty-two bytes!"), "abcdefghij", "decide-enrolment", "siti", "centre-admin", sig); !errors.Is(err, ErrBadClaim) {
		t.Errorf("other key: want ErrBadClaim, got %v", err)
	}
}
