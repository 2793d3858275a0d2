package main

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/config"
	"github.com/bpvp-sidoarjo/kompeten/i18n"
)

// newAPIClient is the operator commands' client of a running kompeten (dev or serve): they
// talk to its HTTP API, so operators need no database or Temporal credentials on their
// machine. It asks the API to word its messages in the command line's language (cliLanguage)
// and its errors are worded for the terminal (tokenWords). Options come after the
// defaults (a request timeout of two minutes), so they may replace them.
func newAPIClient(cmd *cobra.Command, opts ...apiclient.Option) (*apiclient.Client, error) {
	base, err := apiBase(cmd)
	if err != nil {
		return nil, err
	}
	token, from, err := apiToken(cmd)
	if err != nil {
		return nil, err
	}
	lang, err := cliLanguage(cmd)
	if err != nil {
		return nil, err
	}
	w := &tokenWords{base: strings.TrimRight(base, "/"), token: token, from: from}
	opts = append([]apiclient.Option{apiclient.WithToken(token), apiclient.WithTimeout(2 * time.Minute), apiclient.WithErrorWording(w.word),
		apiclient.WithDefaultLanguage(lang)}, opts...)
	return apiclient.New(base, opts...), nil
}

// apiBase is the address of the kompeten the operator commands talk to: --server,
// KOMPETEN_SERVER, else http.addr of the configuration.
func apiBase(cmd *cobra.Command) (string, error) {
	base := os.Getenv("KOMPETEN_SERVER")
	if f := cmd.Flags().Lookup("server"); f != nil && f.Changed {
		base = f.Value.String()
	}
	if base == "" {
		c, err := loadConfig(cmd)
		if err != nil {
			return "", err
		}
		base = "http://" + c.HTTP.Addr
	}
	return strings.TrimRight(base, "/"), nil
}

// cliLanguage is the command line's language, which the API words its refusals and errors in:
// --lang, KOMPETEN_LANGUAGE, else the configuration's language (Indonesian by default). The
// flag and the variable are read first so that a command given --server reads no configuration
// file just for them.
func cliLanguage(cmd *cobra.Command) (string, error) {
	lang, from := os.Getenv(config.EnvVar("language")), config.EnvVar("language")
	if f := cmd.Flags().Lookup("lang"); f != nil && f.Changed {
		lang, from = f.Value.String(), "--lang"
	}
	if lang == "" {
		c, err := loadConfig(cmd)
		if err != nil {
			return "", err
		}
		return c.Language, nil
	}
	if !i18n.Known(lang) {
		return "", fmt.Errorf("%s: must be one of %s or %s, got %q", from, i18n.ID, i18n.EN, lang)
	}
	return lang, nil
}

// cliSays words the command line's own frame words ("ditolak: …", "galat: …") in its
// language (cliLanguage). cmd may be nil (no command ran): the environment's language then. A
// language it cannot tell (a bad --lang, a configuration it cannot read) is Indonesian, the
// default: the error that says so must still be printed.
func cliSays(cmd *cobra.Command) i18n.Reader {
	lang := os.Getenv(config.EnvVar("language"))
	if cmd != nil {
		if l, err := cliLanguage(cmd); err == nil {
			lang = l
		}
	}
	return i18n.For(i18n.Parse(lang), nil)
}

// sayRefused prints a refusal on standard error, framed in the command line's language:
// cli.refused, or another cli.refused-* message with its parameters.
func sayRefused(cmd *cobra.Command, code string, kv ...string) {
	fmt.Fprintln(cmd.ErrOrStderr(), cliSays(cmd).Tf(code, kv...))
}

// Exit codes of the command line (README, Command line). Distinct codes let a script tell a
// step the workflow refused (fix the request) from a token to replace (4) and a request the
// token's role or scope may not make at all (5).
const (
	exitFailure   = 1 // anything else: bad flags, an unreachable server, a server error
	exitRefused   = 2 // the workflow (or the API, for a conflict) refused the step, in its words
	exitDrift     = 3 // doctor: Temporal and the read model still disagree
	exitBadToken  = 4 // HTTP 401: no token, or one the server does not know or has revoked
	exitForbidden = 5 // HTTP 403: the token's role or scope does not allow the request
)

// authError is an HTTP 401 or 403 worded for the person at the terminal: which token was
// refused and what to do about it. It ends the command with its own exit code (see exitCode).
type authError struct {
	err  *apiclient.Error
	code int
	msg  string
}

func (e *authError) Error() string { return e.msg }

// Unwrap keeps the server's answer reachable (errors.As to *apiclient.Error), so commands that
// look at the status still see 401 or 403.
func (e *authError) Unwrap() error { return e.err }

// tokenWords words the client's failures for the terminal: where the refused token came from
// (--token, KOMPETEN_TOKEN, the dev token file) and how to get one, or where the server was
// looked for.
type tokenWords struct {
	base  string
	token string
	from  string // empty when no token was found
}

// word turns a 401 or 403 into an authError naming the token's source, a server that does not
// answer into a hint, and any other answer the server worded in the asked language into a
// saidError; any other error is returned as it is.
func (t *tokenWords) word(err error) error {
	var unreachable *url.Error
	var e *apiclient.Error
	switch {
	case errors.As(err, &e):
	case errors.As(err, &unreachable):
		return fmt.Errorf("cannot reach kompeten at %s (is `kompeten dev` or `kompeten serve` running? set --server or KOMPETEN_SERVER): %w", t.base, err)
	default:
		return err
	}
	from := ""
	if t.from != "" {
		from = " from " + t.from
	}
	switch e.Status {
	case http.StatusUnauthorized:
		what := "the API refused the token" + from
		if t.token == "" {
			what = "the API needs a token and none was found (no --token, no KOMPETEN_TOKEN, no <data_dir>/" + app.DevTokenFile + ")"
		}
		return &authError{err: e, code: exitBadToken, msg: fmt.Sprintf(
			"%s: %s — create one with `kompeten token create --role ROLE --name WHO` and pass it with --token or set KOMPETEN_TOKEN (without either, the CLI uses <data_dir>/%s, which `kompeten dev` writes)",
			what, e.Say(), app.DevTokenFile)}
	case http.StatusForbidden:
		return &authError{err: e, code: exitForbidden, msg: fmt.Sprintf("not allowed for the token%s: %s", from, e.Say())}
	}
	if e.Words != "" {
		return &saidError{err: e}
	}
	return err
}

// saidError is an answer of the API shown in the server's words in the command line's language
// (the body's message) instead of its English error, which stays for programs (-o json, logs).
type saidError struct{ err *apiclient.Error }

func (e *saidError) Error() string { return e.err.Say() }

// Unwrap keeps the answer reachable (errors.As to *apiclient.Error): commands look at its code.
func (e *saidError) Unwrap() error { return e.err }

// refused prints a refusal by the workflow or the API (an *apiclient.Error with one of codes)
// as it was worded (in the command line's language when the server worded it so) and turns it into exit code 2; any other error is returned as it is.
func refused(cmd *cobra.Command, err error, codes ...apiclient.Code) error {
	var e *apiclient.Error
	if errors.As(err, &e) {
		for _, c := range codes {
			if e.Code == c {
				sayRefused(cmd, "cli.refused", "detail", e.Say())
				return &exitError{code: exitRefused}
			}
		}
	}
	return err
}

func addServerFlag(cmd *cobra.Command) {
	cmd.Flags().String("server", "", "kompeten HTTP API base URL (env KOMPETEN_SERVER; default http://<http.addr>)")
	cmd.Flags().String("token", "", "API token (env KOMPETEN_TOKEN; default: <data_dir>/dev-token written by kompeten dev)")
}
