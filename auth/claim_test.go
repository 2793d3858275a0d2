package auth

import (
	"errors"
	"testing"
	"time"

	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

type testActor struct {
	ID        string     `json:"id"`
	Role      vocab.Role `json:"role"`
	Signature string     `json:"signature,omitempty"`
}

type testStep struct {
	Actor  testActor `json:"actor"`
	Absent *int      `json:"absent,omitempty"`
}

type testNotice struct {
	Number string `json:"number"`
	Claim  string `json:"claim,omitempty"`
}

var testKey = []byte("0123456789abcdef0123456789abcdef")

// A claim covers the workflow, the message name, the actor and every byte of the argument: a
// signature copied onto anything else does not verify.
func TestClaimVerifiesOnlyWhatWasSigned(t *testing.T) {
	zero, one := 0, 1
	at := time.Unix(1_790_000_000, 0)
	step := testStep{Actor: testActor{ID: "siti", Role: vocab.RoleCentreAdmin}, Absent: &zero}
	signed, err := SignArg(testKey, PurposeAPI, "journey/P/h", "record-attendance", step, at, "id-1")
	if err != nil {
		t.Fatal(err)
	}
	s := signed.(testStep)
	is, err := VerifyArg(testKey, "journey/P/h", "record-attendance", s)
	if err != nil || is.ID != "id-1" || !is.At.Equal(at) || is.Purpose != PurposeAPI {
		t.Fatalf("genuine claim: %+v, %v", is, err)
	}
	changed := s
	changed.Absent = &one
	raised := s
	raised.Actor.Role = vocab.RoleCoordinator
	other := s
	other.Actor.ID = "budi"
	unsigned := s
	unsigned.Actor.Signature = ""
	garbage := s
	garbage.Actor.Signature = "v2.api.1.x.y"
	forged := []struct {
		name, wid, msg string
		arg            testStep
	}{
		{"changed argument", "journey/P/h", "record-attendance", changed},
		{"raised role", "journey/P/h", "record-attendance", raised},
		{"other actor", "journey/P/h", "record-attendance", other},
		{"other workflow", "journey/P/x", "record-attendance", s},
		{"other message", "journey/P/h", "withdraw", s},
		{"no signature", "journey/P/h", "record-attendance", unsigned},
		{"garbage", "journey/P/h", "record-attendance", garbage},
	}
	for _, f := range forged {
		if _, err := VerifyArg(testKey, f.wid, f.msg, f.arg); !errors.Is(err, ErrBadClaim) {
			t.Errorf("%s: want ErrBadClaim, got %v", f.name, err)
		}
	}
	if _, err := VerifyArg([]byte("another key of thirty-two bytes!"), "journey/P/h", "record-attendance", s); !errors.Is(err, ErrBadClaim) {
		t.Errorf("other key: want ErrBadClaim, got %v", err)
	}
}

// The purpose is signed: a worker's claim is not an API claim, and changing the clear part of a
// signature (its time, its ID) breaks it.
func TestClaimPurposeTimeAndIDAreSigned(t *testing.T) {
	n := testNotice{Number: "MOU/1"}
	signed, err := SignArg(testKey, PurposeWorker, "mou/PKS/1", "mou-parent-changed", n, time.Unix(1_790_000_000, 0), "abc")
	if err != nil {
		t.Fatal(err)
	}
	sig := signed.(testNotice).Claim
	is, err := ParseClaim(sig)
	if err != nil || is.Purpose != PurposeWorker || is.ID != "abc" {
		t.Fatalf("parse %q: %+v %v", sig, is, err)
	}
	for _, tampered := range []string{
		"v2.api" + sig[len("v2.worker"):],
		"v2.worker.1790000999" + sig[len("v2.worker.1790000000"):],
		"v2.worker.1790000000.abd" + sig[len("v2.worker.1790000000.abc"):],
	} {
		m := testNotice{Number: "MOU/1", Claim: tampered}
		if _, err := VerifyArg(testKey, "mou/PKS/1", "mou-parent-changed", m); !errors.Is(err, ErrBadClaim) {
			t.Errorf("%s: want ErrBadClaim, got %v", tampered, err)
		}
	}
}

// The digest is the argument's, not its Go type's: a map with the same JSON gives the same one,
// and any change to a value changes it.
func TestDigestIsCanonical(t *testing.T) {
	a, err := Digest(testNotice{Number: "MOU/1"})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Digest(map[string]any{"number": "MOU/1"})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Digest(map[string]any{"number": "MOU/2"})
	if err != nil {
		t.Fatal(err)
	}
	if string(a) != string(b) || string(a) == string(c) {
		t.Fatalf("digests: struct %x map %x other %x", a, b, c)
	}
	big1, _ := Digest(map[string]any{"n": int64(9_007_199_254_740_993)})
	big2, _ := Digest(map[string]any{"n": int64(9_007_199_254_740_992)})
	if string(big1) == string(big2) {
		t.Fatal("large integers lost precision in the digest")
	}
}

func TestArgumentWithoutAPlaceForAClaim(t *testing.T) {
	if _, err := SignArg(testKey, PurposeAPI, "w", "n", "a string", time.Now(), "id"); err == nil {
		t.Fatal("signed an argument that cannot carry a claim")
	}
	if _, err := VerifyArg(testKey, "w", "n", 42); !errors.Is(err, ErrBadClaim) {
		t.Fatalf("verify a number: %v", err)
	}
}
