package codec_test

import (
	"testing"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"

	"github.com/bpvp-sidoarjo/kompeten/codec"
)

type step struct {
	Actor struct {
		ID        string `json:"id"`
		Signature string `json:"signature,omitempty"`
	} `json:"actor"`
	Claim  string `json:"claim,omitempty"`
	Absent int    `json:"absent"`
}

// A plain payload decodes as it was written, but no claim rides in it: only a sealed payload
// can vouch for who sent it, however the keys are spelt. A sealed one keeps its claim.
func TestPlainPayloadsCarryNoClaim(t *testing.T) {
	c := codec.NewAESCodec(ring(t, key(t, "k", 1)))
	dc := converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), c)
	for _, raw := range []string{
		`{"actor":{"id":"siti","signature":"v2.api.1.a.b"},"claim":"v2.api.1.a.b","absent":1}`,
		`{"ACTOR":{"id":"siti","Signature":"v2.api.1.a.b"},"Claim":"v2.api.1.a.b","absent":1}`,
	} {
		p := &commonpb.Payload{Metadata: map[string][]byte{converter.MetadataEncoding: []byte(converter.MetadataEncodingJSON)}, Data: []byte(raw)}
		var got step
		if err := dc.FromPayload(p, &got); err != nil {
			t.Fatal(err)
		}
		if got.Actor.ID != "siti" || got.Absent != 1 || got.Actor.Signature != "" || got.Claim != "" {
			t.Errorf("%s decoded as %+v: want the step without its claim", raw, got)
		}
	}
	var sealed step
	sealed.Actor.ID, sealed.Actor.Signature, sealed.Claim = "siti", "v2.api.1.a.b", "v2.api.1.a.b"
	p, err := dc.ToPayload(sealed)
	if err != nil {
		t.Fatal(err)
	}
	var got step
	if err := dc.FromPayload(p, &got); err != nil {
		t.Fatal(err)
	}
	if got != sealed {
		t.Fatalf("a sealed step lost its claim: %+v", got)
	}
}
