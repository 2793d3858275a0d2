package codec

import (
	"bufio"
	"bytes"
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"regexp"
	"strings"
)

// KeySize is the length of an AES-256 key in bytes.
const KeySize = 32

// keyIDPattern keeps key ids short and printable: they are stored in clear in every payload.
var keyIDPattern = regexp.MustCompile(`^[A-Za-z0-9._-]{1,64}$`)

// Keyring holds the payload keys by id. The first key is the primary: it encrypts. All keys
// decrypt, so payloads sealed before a rotation stay readable.
type Keyring struct {
	primary string
	aeads   map[string]cipher.AEAD
	ids     []string
}

// Key is one payload key and its id.
type Key struct {
	ID  string
	Raw []byte
}

// NewKeyring builds a keyring; keys[0] is the primary. Ids must be unique and keys 32 bytes.
func NewKeyring(keys []Key) (*Keyring, error) {
	if len(keys) == 0 {
		return nil, errors.New("no payload key configured")
	}
	r := &Keyring{primary: keys[0].ID, aeads: map[string]cipher.AEAD{}}
	for _, k := range keys {
		if !keyIDPattern.MatchString(k.ID) {
			return nil, fmt.Errorf("payload key id %q: use 1-64 letters, digits, '.', '_' or '-'", k.ID)
		}
		if _, dup := r.aeads[k.ID]; dup {
			return nil, fmt.Errorf("payload key id %q appears twice", k.ID)
		}
		if len(k.Raw) != KeySize {
			return nil, fmt.Errorf("payload key %q: %d bytes, want %d (AES-256)", k.ID, len(k.Raw), KeySize)
		}
		block, err := aes.NewCipher(k.Raw)
		if err != nil {
			return nil, fmt.Errorf("payload key %q: %w", k.ID, err)
		}
		gcm, err := cipher.NewGCM(block)
		if err != nil {
			return nil, fmt.Errorf("payload key %q: %w", k.ID, err)
		}
		r.aeads[k.ID] = gcm
		r.ids = append(r.ids, k.ID)
	}
	return r, nil
}

// Primary is the id of the key that encrypts.
func (r *Keyring) Primary() string { return r.primary }

// IDs lists the key ids, primary first.
func (r *Keyring) IDs() []string { return append([]string(nil), r.ids...) }

// ParseKey reads one "id:base64key" entry (standard or URL base64, padded or not).
func ParseKey(spec string) (Key, error) {
	id, b64, ok := strings.Cut(strings.TrimSpace(spec), ":")
	if !ok || id == "" || b64 == "" {
		// Never echo the entry: it is a secret.
		return Key{}, errors.New(`payload key: want "id:base64key"`)
	}
	raw, err := decodeBase64(b64)
	if err != nil {
		return Key{}, fmt.Errorf("payload key %q: not base64", id)
	}
	return Key{ID: id, Raw: raw}, nil
}

func decodeBase64(s string) ([]byte, error) {
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if b, err := enc.DecodeString(s); err == nil {
			return b, nil
		}
	}
	return nil, errors.New("not base64")
}

// ParseKeys reads "id:base64key" entries in order (the first is the primary).
func ParseKeys(specs []string) ([]Key, error) {
	var out []Key
	for i, s := range specs {
		if strings.TrimSpace(s) == "" {
			continue
		}
		k, err := ParseKey(s)
		if err != nil {
			return nil, fmt.Errorf("entry %d: %w", i+1, err)
		}
		out = append(out, k)
	}
	return out, nil
}

// ReadKeyFile reads a key file: one "id:base64key" per line, the primary first; blank lines
// and lines starting with # are ignored.
func ReadKeyFile(path string) ([]Key, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read payload key file: %w", err)
	}
	var specs []string
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		specs = append(specs, line)
	}
	keys, err := ParseKeys(specs)
	if err != nil {
		return nil, fmt.Errorf("payload key file %s: %w", path, err)
	}
	if len(keys) == 0 {
		return nil, fmt.Errorf("payload key file %s: no key in it", path)
	}
	return keys, nil
}

// NewKey makes a random key with the given id, as "id:base64key" (for a key file).
func NewKey(id string) (string, error) {
	if !keyIDPattern.MatchString(id) {
		return "", fmt.Errorf("payload key id %q: use 1-64 letters, digits, '.', '_' or '-'", id)
	}
	raw := make([]byte, KeySize)
	if _, err := rand.Read(raw); err != nil {
		return "", fmt.Errorf("generate payload key: %w", err)
	}
	return id + ":" + base64.StdEncoding.EncodeToString(raw), nil
}
