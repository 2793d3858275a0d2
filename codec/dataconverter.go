package codec

import (
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/temporal"
)

// DataConverter wraps the SDK's default data converter with the codec: every payload a client
// or worker built on it writes is encrypted, and every payload it reads is decrypted.
func DataConverter(ring *Keyring) converter.DataConverter {
	return converter.NewCodecDataConverter(converter.GetDefaultDataConverter(), NewAESCodec(ring))
}

// FailureConverter moves failure messages and stack traces into an encoded (so encrypted)
// attribute: an error can quote partner answers, and the server would otherwise keep its text
// in clear in the history.
func FailureConverter(dc converter.DataConverter) converter.FailureConverter {
	return temporal.NewDefaultFailureConverter(temporal.DefaultFailureConverterOptions{
		DataConverter:          dc,
		EncodeCommonAttributes: true,
	})
}
