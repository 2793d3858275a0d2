package app_test

import (
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
)

// The digest schedule starts the digest in digest.language: Indonesian by default, English
// when configured.
func TestDigestInputCarriesTheLanguage(t *testing.T) {
	c := config.Default()
	if in := app.DigestInput(&c); in.Language != "id" || in.Timezone != c.Journey.Timezone {
		t.Fatalf("default digest input %+v", in)
	}
	c.Digest.Language = "en"
	if in := app.DigestInput(&c); in.Language != "en" {
		t.Fatalf("digest.language en: input %+v", in)
	}
}
