package auth

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/crypto/argon2"
)

// Argon2id parameters of new password hashes (OWASP's recommended minimum: 19 MiB, two passes,
// one lane). A stored hash carries its own parameters, so raising these later leaves older
// hashes verifiable.
const (
	argonMemoryKiB = 19 * 1024
	argonTime      = 2
	argonThreads   = 1
	argonKeyLen    = 32
	argonSaltLen   = 16
)

// Password length limits, in characters. The upper bound keeps one login from making the
// server hash megabytes.
const (
	MinPasswordLen = 10
	MaxPasswordLen = 256
)

// ErrWrongPassword is a password that does not match its hash.
var ErrWrongPassword = errors.New("wrong password")

// CheckPassword says why a new password is not accepted, or nil.
func CheckPassword(password string) error {
	n := utf8.RuneCountInString(password)
	if n < MinPasswordLen {
		return fmt.Errorf("the password needs at least %d characters", MinPasswordLen)
	}
	if n > MaxPasswordLen {
		return fmt.Errorf("the password may have at most %d characters", MaxPasswordLen)
	}
	if strings.TrimSpace(password) == "" {
		return errors.New("the password is only spaces")
	}
	return nil
}

// HashPassword returns the argon2id hash of password with a fresh random salt, as a PHC string
// ("$argon2id$v=19$m=...,t=...,p=...$salt$key").
func HashPassword(password string) (string, error) {
	salt := make([]byte, argonSaltLen)
	if _, err := rand.Read(salt); err != nil {
		return "", fmt.Errorf("password salt: %w", err)
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemoryKiB, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemoryKiB, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword checks password against a hash made by HashPassword: nil when it matches,
// ErrWrongPassword when it does not, another error for a hash that cannot be read.
func VerifyPassword(hash, password string) error {
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return errors.New("password hash: not an argon2id PHC string")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return fmt.Errorf("password hash: argon2 version %q unsupported", parts[2])
	}
	var mem, passes uint32
	var threads uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &mem, &passes, &threads); err != nil || mem == 0 || passes == 0 || threads == 0 {
		return fmt.Errorf("password hash: parameters %q unreadable", parts[3])
	}
	salt, err := base64.RawStdEncoding.DecodeString(parts[4])
	if err != nil {
		return fmt.Errorf("password hash: salt: %w", err)
	}
	want, err := base64.RawStdEncoding.DecodeString(parts[5])
	if err != nil || len(want) == 0 {
		return errors.New("password hash: key unreadable")
	}
	got := argon2.IDKey([]byte(password), salt, passes, mem, threads, uint32(len(want)))
	if subtle.ConstantTimeCompare(got, want) != 1 {
		return ErrWrongPassword
	}
	return nil
}

// dummyHash is verified against when a login names no account, so that an unknown name takes
// as long to refuse as a wrong password (no telling which accounts exist by timing).
var dummyHash = func() string {
	h, err := HashPassword("no account has this password")
	if err != nil {
		panic(err)
	}
	return h
}()

// SpendPasswordCheck does the work of one password check and discards it (see dummyHash).
func SpendPasswordCheck(password string) { _ = VerifyPassword(dummyHash, password) }

// NewLinkToken returns a fresh random token for a one-time set-password link (256 bits, no
// personal data) and the hash to store (HashToken).
func NewLinkToken() (token string, hash []byte, err error) {
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, fmt.Errorf("generate link token: %w", err)
	}
	token = base64.RawURLEncoding.EncodeToString(raw)
	return token, HashToken(token), nil
}
