package codec

import (
	"crypto/rand"
	"fmt"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/proto"
)

// Metadata the codec writes on every payload it encrypts. The key id is in clear so a reader
// knows which key to use; the original payload (metadata and data) is inside the ciphertext.
const (
	// MetadataEncoding is the standard payload metadata key for the encoding.
	MetadataEncoding = converter.MetadataEncoding
	// EncodingEncrypted marks a payload this codec sealed.
	EncodingEncrypted = "binary/encrypted"
	// MetadataKeyID names the key that sealed the payload.
	MetadataKeyID = "encryption-key-id"
	// MetadataCipher names the cipher, so a future change of cipher can be told apart.
	MetadataCipher = "encryption-cipher"
	// CipherAESGCM is the only cipher today.
	CipherAESGCM = "AES-256-GCM"
)

// AESCodec is a converter.PayloadCodec that seals payloads with the keyring's primary key and
// opens them with whichever key they name.
type AESCodec struct {
	ring *Keyring
}

var _ converter.PayloadCodec = (*AESCodec)(nil)

// NewAESCodec returns the codec for a keyring.
func NewAESCodec(ring *Keyring) *AESCodec { return &AESCodec{ring: ring} }

// Encode encrypts each payload with the primary key. Already encrypted payloads are left as
// they are, so encoding twice (a payload passed through) never double-wraps.
func (c *AESCodec) Encode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	id := c.ring.primary
	aead := c.ring.aeads[id]
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if IsEncrypted(p) {
			out[i] = p
			continue
		}
		plain, err := proto.Marshal(p)
		if err != nil {
			return nil, fmt.Errorf("encrypt payload: marshal: %w", err)
		}
		nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plain)+aead.Overhead())
		if _, err := rand.Read(nonce); err != nil {
			return nil, fmt.Errorf("encrypt payload: nonce: %w", err)
		}
		out[i] = &commonpb.Payload{
			Metadata: map[string][]byte{
				MetadataEncoding: []byte(EncodingEncrypted),
				MetadataKeyID:    []byte(id),
				MetadataCipher:   []byte(CipherAESGCM),
			},
			// The key id is bound as additional data: relabelling a payload breaks it.
			Data: aead.Seal(nonce, nonce, plain, []byte(id)),
		}
	}
	return out, nil
}

// Decode decrypts payloads this codec sealed and passes every other payload through (histories
// recorded before encryption was turned on stay readable), minus any claim it carries: only a
// sealed payload can vouch for who sent it (withoutClaims).
func (c *AESCodec) Decode(payloads []*commonpb.Payload) ([]*commonpb.Payload, error) {
	out := make([]*commonpb.Payload, len(payloads))
	for i, p := range payloads {
		if !IsEncrypted(p) {
			out[i] = withoutClaims(p)
			continue
		}
		id := string(p.GetMetadata()[MetadataKeyID])
		if cph := string(p.GetMetadata()[MetadataCipher]); cph != "" && cph != CipherAESGCM {
			return nil, fmt.Errorf("decrypt payload: unknown cipher %q", cph)
		}
		aead, ok := c.ring.aeads[id]
		if !ok {
			return nil, fmt.Errorf("decrypt payload: sealed with key %q, which is not configured (security.payload_keys / security.payload_key_file)", id)
		}
		data := p.GetData()
		if len(data) < aead.NonceSize()+aead.Overhead() {
			return nil, fmt.Errorf("decrypt payload with key %q: too short", id)
		}
		nonce, sealed := data[:aead.NonceSize()], data[aead.NonceSize():]
		plain, err := aead.Open(nil, nonce, sealed, []byte(id))
		if err != nil {
			return nil, fmt.Errorf("decrypt payload with key %q: authentication failed (wrong key or altered data)", id)
		}
		var orig commonpb.Payload
		if err := proto.Unmarshal(plain, &orig); err != nil {
			return nil, fmt.Errorf("decrypt payload with key %q: %w", id, err)
		}
		out[i] = &orig
	}
	return out, nil
}

// IsEncrypted reports whether p was sealed by this codec.
func IsEncrypted(p *commonpb.Payload) bool {
	return string(p.GetMetadata()[MetadataEncoding]) == EncodingEncrypted
}
