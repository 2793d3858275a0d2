package codec

import (
	"encoding/json"
	"strings"

	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
)

// withoutClaims returns a plain (unsealed) payload without the claim it may carry: the
// signature of its actor and its claim field (see auth.ClaimIn). Only a payload sealed with one
// of kompeten's keys can vouch for who sent it. A plain one still decodes, so histories written
// before encryption replay as they ran (none of them carries a claim), but as unsigned: the
// worker refuses it as a new step, start or signal. Keys are matched ignoring case, as Go's JSON
// decoding matches them to fields.
func withoutClaims(p *commonpb.Payload) *commonpb.Payload {
	data := p.GetData()
	if string(p.GetMetadata()[MetadataEncoding]) != converter.MetadataEncodingJSON || len(data) == 0 || data[0] != '{' {
		return p
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal(data, &obj) != nil {
		return p
	}
	changed := false
	for k, v := range obj {
		switch {
		case strings.EqualFold(k, "claim"):
			delete(obj, k)
			changed = true
		case strings.EqualFold(k, "actor"):
			var actor map[string]json.RawMessage
			if json.Unmarshal(v, &actor) != nil {
				continue
			}
			for ak := range actor {
				if strings.EqualFold(ak, "signature") {
					delete(actor, ak)
					changed = true
				}
			}
			if b, err := json.Marshal(actor); err == nil {
				obj[k] = b
			}
		}
	}
	if !changed {
		return p
	}
	b, err := json.Marshal(obj)
	if err != nil {
		return p
	}
	return &commonpb.Payload{Metadata: p.GetMetadata(), Data: b}
}
