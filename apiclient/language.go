package apiclient

import "context"

type languageKey struct{}

// WithLanguage asks every call made with ctx to word the server's messages in lang (an
// Accept-Language value such as "id" or "en"): the pages pass the reader's language on.
func WithLanguage(ctx context.Context, lang string) context.Context {
	return context.WithValue(ctx, languageKey{}, lang)
}

func languageOf(ctx context.Context) string {
	l, _ := ctx.Value(languageKey{}).(string)
	return l
}

// WithDefaultLanguage asks the server to word its messages in lang (an Accept-Language value)
// on every call whose context names no language of its own (WithLanguage): the command line
// speaks one language, set once, where the pages pass on each reader's.
func WithDefaultLanguage(lang string) Option {
	return func(c *Client) { c.lang = lang }
}
