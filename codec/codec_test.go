package codec_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/bpvp-sidoarjo/kompeten/codec"
)

func key(t *testing.T, id string, fill byte) codec.Key {
	t.Helper()
	return codec.Key{ID: id, Raw: bytes.Repeat([]byte{fill}, codec.KeySize)}
}

func ring(t *testing.T, keys ...codec.Key) *codec.Keyring {
	t.Helper()
	r, err := codec.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// secret is what must never be readable in an encoded payload.
const secret = "3515014101900001 Siti Aminah"

func TestRoundTripHidesPlaintextAndNamesKey(t *testing.T) {
	dc := codec.DataConverter(ring(t, key(t, "k2", 2), key(t, "k1", 1)))
	p, err := dc.ToPayload(map[string]string{"who": secret})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(p.GetData(), []byte("3515014101900001")) || bytes.Contains(p.GetData(), []byte("Siti")) {
		t.Fatalf("encoded payload carries the plaintext")
	}
	if got := string(p.GetMetadata()[codec.MetadataKeyID]); got != "k2" {
		t.Fatalf("key id %q, want the primary k2", got)
	}
	if got := string(p.GetMetadata()[codec.MetadataEncoding]); got != codec.EncodingEncrypted {
		t.Fatalf("encoding %q", got)
	}
	var back map[string]string
	if err := dc.FromPayload(p, &back); err != nil {
		t.Fatal(err)
	}
	if back["who"] != secret {
		t.Fatalf("round trip gave %q", back["who"])
	}
	// Two encodings of the same value differ (random nonce): equal inputs are not linkable.
	p2, _ := dc.ToPayload(map[string]string{"who": secret})
	if bytes.Equal(p.GetData(), p2.GetData()) {
		t.Fatal("two encryptions of the same value are identical")
	}
}

// After a rotation the new key encrypts and payloads sealed with the old key still open; once the
// old key is removed they fail with a message naming the missing key.
func TestRotation(t *testing.T) {
	old := codec.DataConverter(ring(t, key(t, "2026a", 1)))
	p, err := old.ToPayload("before rotation")
	if err != nil {
		t.Fatal(err)
	}
	rotated := codec.DataConverter(ring(t, key(t, "2026b", 2), key(t, "2026a", 1)))
	var s string
	if err := rotated.FromPayload(p, &s); err != nil || s != "before rotation" {
		t.Fatalf("old payload after rotation: %q, %v", s, err)
	}
	np, _ := rotated.ToPayload("after")
	if got := string(np.GetMetadata()[codec.MetadataKeyID]); got != "2026b" {
		t.Fatalf("new payloads sealed with %q, want 2026b", got)
	}
	onlyNew := codec.DataConverter(ring(t, key(t, "2026b", 2)))
	err = onlyNew.FromPayload(p, &s)
	if err == nil || !strings.Contains(err.Error(), `"2026a"`) {
		t.Fatalf("decoding with the key removed: %v, want an error naming 2026a", err)
	}
}

// Histories written before encryption hold plain JSON payloads: they decode as they are.
func TestPlainPayloadsPassThrough(t *testing.T) {
	plain, err := converter.GetDefaultDataConverter().ToPayload("old history")
	if err != nil {
		t.Fatal(err)
	}
	c := codec.NewAESCodec(ring(t, key(t, "k", 1)))
	out, err := c.Decode([]*commonpb.Payload{plain})
	if err != nil {
		t.Fatal(err)
	}
	if out[0] != plain {
		t.Fatal("a plain payload was changed by Decode")
	}
	// Encoding an encrypted payload again does not wrap it twice.
	enc, _ := c.Encode([]*commonpb.Payload{plain})
	again, _ := c.Encode(enc)
	if again[0] != enc[0] {
		t.Fatal("an encrypted payload was encrypted again")
	}
}

func TestTamperingAndRelabellingFail(t *testing.T) {
	r := ring(t, key(t, "a", 1), key(t, "b", 2))
	c := codec.NewAESCodec(r)
	plain, _ := converter.GetDefaultDataConverter().ToPayload("x")
	enc, _ := c.Encode([]*commonpb.Payload{plain})

	flipped := &commonpb.Payload{Metadata: enc[0].Metadata, Data: append([]byte(nil), enc[0].Data...)}
	flipped.Data[len(flipped.Data)-1] ^= 1
	if _, err := c.Decode([]*commonpb.Payload{flipped}); err == nil {
		t.Fatal("altered ciphertext decoded")
	}
	relabelled := &commonpb.Payload{Metadata: map[string][]byte{}, Data: enc[0].Data}
	for k, v := range enc[0].Metadata {
		relabelled.Metadata[k] = v
	}
	relabelled.Metadata[codec.MetadataKeyID] = []byte("b")
	if _, err := c.Decode([]*commonpb.Payload{relabelled}); err == nil {
		t.Fatal("payload relabelled with another key id decoded")
	}
}

func TestKeyParsing(t *testing.T) {
	good := "k1:" + base64.StdEncoding.EncodeToString(bytes.Repeat([]byte{7}, 32))
	keys, err := codec.ParseKeys([]string{good, ""})
	if err != nil || len(keys) != 1 || keys[0].ID != "k1" {
		t.Fatalf("ParseKeys: %v %v", keys, err)
	}
	short := "k2:" + base64.StdEncoding.EncodeToString([]byte("too short"))
	bad := map[string][]string{
		"no colon":   {"justtext"},
		"not base64": {"k:%%%"},
	}
	for name, specs := range bad {
		if _, err := codec.ParseKeys(specs); err == nil {
			t.Errorf("%s: accepted", name)
		} else if strings.Contains(err.Error(), "%%%") {
			t.Errorf("%s: error repeats the secret: %v", name, err)
		}
	}
	k, _ := codec.ParseKey(short)
	if _, err := codec.NewKeyring([]codec.Key{k}); err == nil {
		t.Error("a 9-byte key was accepted")
	}
	if _, err := codec.NewKeyring([]codec.Key{key(t, "x", 1), key(t, "x", 2)}); err == nil {
		t.Error("duplicate key ids accepted")
	}
	if _, err := codec.NewKeyring([]codec.Key{key(t, "bad id", 1)}); err == nil {
		t.Error("key id with a space accepted")
	}

	gen, err := codec.NewKey("dev-1")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "payload.keys")
	if err := os.WriteFile(path, []byte("# rotated 2026-11\n"+gen+"\n\n"+good+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	fk, err := codec.ReadKeyFile(path)
	if err != nil {
		t.Fatal(err)
	}
	r := ring(t, fk...)
	if r.Primary() != "dev-1" || len(r.IDs()) != 2 {
		t.Fatalf("key file: primary %s ids %v", r.Primary(), r.IDs())
	}
}

func TestHTTPHandler(t *testing.T) {
	r := ring(t, key(t, "k", 1))
	const token = "codec-token-0123456789abcdef0123456789"
	mux := http.NewServeMux()
	mux.Handle("/codec/", http.StripPrefix("/codec", codec.Handler(r, codec.HandlerOptions{Token: token, Origins: []string{"http://127.0.0.1:8233"}})))
	srv := httptest.NewServer(mux)
	defer srv.Close()

	enc, _ := codec.DataConverter(r).ToPayload(secret)
	body, _ := protojson.Marshal(&commonpb.Payloads{Payloads: []*commonpb.Payload{enc}})
	post := func(path, auth, origin string) (*http.Response, string) {
		req, _ := http.NewRequest("POST", srv.URL+path, bytes.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(resp.Body)
		return resp, b.String()
	}

	for name, tc := range map[string]struct{ path, auth string }{
		"no token":    {"/codec/decode", ""},
		"wrong token": {"/codec/decode", "Bearer nope"},
		"wrong path":  {"/codec/nope/decode", ""},
	} {
		resp, out := post(tc.path, tc.auth, "")
		if resp.StatusCode != http.StatusUnauthorized || strings.Contains(out, "Siti") {
			t.Errorf("%s: HTTP %d %q, want 401 without the plaintext", name, resp.StatusCode, out)
		}
	}
	decoded := func(out string) string {
		var ps struct {
			Payloads []struct {
				Data []byte `json:"data"`
			} `json:"payloads"`
		}
		if err := json.Unmarshal([]byte(out), &ps); err != nil || len(ps.Payloads) != 1 {
			t.Fatalf("decode answer %q: %v", out, err)
		}
		return string(ps.Payloads[0].Data)
	}
	resp, out := post("/codec/decode", "Bearer "+token, "http://127.0.0.1:8233")
	if resp.StatusCode != http.StatusOK || !strings.Contains(decoded(out), "Siti Aminah") {
		t.Fatalf("bearer decode: HTTP %d %q", resp.StatusCode, out)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "http://127.0.0.1:8233" {
		t.Errorf("CORS origin not allowed: %v", resp.Header)
	}
	resp, out = post("/codec/"+token+"/decode?preserveStorageRefs=true", "", "http://evil.example")
	if resp.StatusCode != http.StatusOK || !strings.Contains(decoded(out), "Siti Aminah") {
		t.Fatalf("path-token decode: HTTP %d %q", resp.StatusCode, out)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("an unlisted origin was allowed")
	}

	req, _ := http.NewRequest("OPTIONS", srv.URL+"/codec/decode", nil)
	req.Header.Set("Origin", "http://127.0.0.1:8233")
	req.Header.Set("Access-Control-Request-Method", "POST")
	pre, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	pre.Body.Close()
	if pre.StatusCode != http.StatusNoContent || !strings.Contains(pre.Header.Get("Access-Control-Allow-Headers"), "X-Namespace") {
		t.Errorf("preflight: HTTP %d %v", pre.StatusCode, pre.Header)
	}

	// The endpoint is off without a token configured.
	off := httptest.NewServer(http.StripPrefix("/codec", codec.Handler(r, codec.HandlerOptions{})))
	defer off.Close()
	oreq, _ := http.NewRequest("POST", off.URL+"/codec/decode", bytes.NewReader(body))
	oreq.Header.Set("Authorization", "Bearer ")
	oresp, err := http.DefaultClient.Do(oreq)
	if err != nil {
		t.Fatal(err)
	}
	oresp.Body.Close()
	if oresp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token configured: HTTP %d, want 401", oresp.StatusCode)
	}
}
