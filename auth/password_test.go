package auth

import (
	"errors"
	"strings"
	"testing"
)

// A password hashes to an argon2id PHC string with a fresh salt; only the same password
// verifies; a damaged hash is an error, not a match.
func TestPasswordHash(t *testing.T) {
	h1, err := HashPassword("kuda-lumping-42")
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("kuda-lumping-42")
	if !strings.HasPrefix(h1, "$argon2id$v=19$m=19456,t=2,p=1$") || h1 == h2 {
		t.Fatalf("hashes %q %q: want argon2id PHC strings with distinct salts", h1, h2)
	}
	if strings.Contains(h1, "kuda") {
		t.Fatal("the hash contains the password")
	}
	if err := VerifyPassword(h1, "kuda-lumping-42"); err != nil {
		t.Fatalf("right password: %v", err)
	}
	if err := VerifyPassword(h1, "kuda-lumping-43"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("wrong password: %v", err)
	}
	for _, bad := range []string{"", "plain", strings.Replace(h1, "argon2id", "argon2i", 1), h1[:len(h1)-50] + "$!!"} {
		if err := VerifyPassword(bad, "kuda-lumping-42"); err == nil || errors.Is(err, ErrWrongPassword) {
			t.Fatalf("damaged hash %q: %v", bad, err)
		}
	}
	// The parameters are read from the hash, so older, cheaper hashes stay verifiable.
	cheap := "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$" // key appended below
	if err := VerifyPassword(cheap+"AAAA", "x"); !errors.Is(err, ErrWrongPassword) {
		t.Fatalf("cheap parameters: %v", err)
	}
}

func TestCheckPassword(t *testing.T) {
	for pw, ok := range map[string]bool{"short": false, "           ": false, "long enough pass": true, strings.Repeat("x", 257): false} {
		if err := CheckPassword(pw); (err == nil) != ok {
			t.Errorf("CheckPassword(%q) = %v", pw, err)
		}
	}
}

func TestLinkToken(t *testing.T) {
	a, ha, err := NewLinkToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _, _ := NewLinkToken()
	if a == b || len(a) < 40 || string(ha) != string(HashToken(a)) {
		t.Fatalf("tokens %q %q", a, b)
	}
}
