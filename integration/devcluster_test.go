package integration

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	commonpb "go.temporal.io/api/common/v1"
	"go.temporal.io/sdk/converter"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/bpvp-sidoarjo/kompeten/codec"
	"github.com/bpvp-sidoarjo/kompeten/internal/freeport"
)

// `kompeten dev` on its private PostgreSQL cluster, as a developer runs it, with the commands
// the quick start runs beside it: token create, token list and doctor join the cluster and
// leave it running, and /healthz stays up; the cluster's postmaster killed, dev starts it again
// and says so. Its Temporal Web UI publishes no codec token in its unauthenticated settings;
// the codec decodes for a browser logged in to the pages (the login cookie, sent by the UI
// with includeCredentials) and for nobody else.
func TestDevKeepsItsPrivateClusterAndPublishesNoCodecToken(t *testing.T) {
	bin := buildKompeten(t)
	tmp := t.TempDir()
	// Run as root, the cluster runs as the postgres user, who must reach the data directory.
	for _, d := range []string{filepath.Dir(tmp), tmp} {
		if err := os.Chmod(d, 0o711); err != nil {
			t.Fatal(err)
		}
	}
	data := filepath.Join(tmp, "data")
	if err := os.Mkdir(data, 0o711); err != nil {
		t.Fatal(err)
	}
	port := func() string {
		p, err := freeport.Find("127.0.0.1")
		if err != nil {
			t.Fatal(err)
		}
		return strconv.Itoa(p)
	}
	httpAddr, uiAddr := "127.0.0.1:"+port(), "127.0.0.1:"+port()
	env := append(os.Environ(),
		"KOMPETEN_DATA_DIR="+data, "KOMPETEN_HTTP_ADDR="+httpAddr, "KOMPETEN_TEMPORAL_ADDRESS=127.0.0.1:"+port(),
		"KOMPETEN_DEV_UI_ADDR="+uiAddr, "KOMPETEN_DEV_POSTGRES=private", "KOMPETEN_DEV_POSTGRES_PORT="+port(),
		"KOMPETEN_TEMPORAL_WEB_UI_URL=http://"+uiAddr, "KOMPETEN_DIGEST_ENABLED=false")
	dev := startDevBinary(t, bin, env)
	base := "http://" + httpAddr
	healthy := func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	}
	eventually(t, 4*time.Minute, "kompeten dev healthy", func() (bool, string) { return healthy(), dev.tail() })
	postmaster := func() int {
		b, err := os.ReadFile(filepath.Join(data, "postgres", "postmaster.pid"))
		if err != nil {
			return 0
		}
		pid, _ := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
		if pid > 0 && syscall.Kill(pid, 0) != nil {
			return 0
		}
		return pid
	}
	first := postmaster()
	if first == 0 {
		t.Fatalf("dev runs no private cluster in %s: %s", data, dev.tail())
	}

	cli := func(args ...string) string {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Env = env
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		if err := cmd.Run(); err != nil {
			t.Fatalf("kompeten %s: %v\n%s%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	var operatorToken string
	for _, args := range [][]string{
		{"token", "create", "--role", "operator", "--name", "it-operator"},
		{"token", "list"},
		{"doctor"},
	} {
		out := cli(args...)
		if len(args) > 1 && args[1] == "create" {
			operatorToken = strings.TrimSpace(out)
		}
		if pid := postmaster(); pid != first || !healthy() {
			t.Fatalf("after kompeten %s: postmaster %d (was %d), healthy %v\n%s", strings.Join(args, " "), pid, first, healthy(), dev.tail())
		}
	}
	if !strings.HasPrefix(operatorToken, "kpt_") {
		t.Fatalf("token create printed %q", operatorToken)
	}

	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	eventually(t, 2*time.Minute, "dev starts its cluster again", func() (bool, string) {
		pid := postmaster()
		return pid != 0 && pid != first && healthy() && strings.Contains(dev.log(), "started it again"),
			fmt.Sprintf("postmaster %d, healthy %v: %s", pid, healthy(), dev.tail())
	})

	// The Web UI's settings (no login needed) name the codec without a token and ask the
	// browser to send its cookies.
	var settings struct {
		Codec struct {
			Endpoint           string
			IncludeCredentials bool
		}
	}
	getJSON(t, "http://"+uiAddr+"/api/v1/settings", &settings)
	if settings.Codec.Endpoint != base+"/codec" || !settings.Codec.IncludeCredentials {
		t.Fatalf("web ui codec settings: %+v", settings.Codec)
	}
	codecToken, err := os.ReadFile(filepath.Join(data, "codec.token"))
	if err != nil {
		t.Fatal(err)
	}
	if body := getBody(t, "http://"+uiAddr+"/api/v1/settings"); strings.Contains(body, strings.TrimSpace(string(codecToken))) {
		t.Fatal("the web ui's settings publish the codec token")
	}
	decode := func(c *http.Client) int {
		req, _ := http.NewRequest(http.MethodPost, base+"/codec/decode?preserveStorageRefs=true", strings.NewReader(`{"payloads":[]}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-Namespace", "default")
		req.Header.Set("Origin", "http://"+uiAddr)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.Header.Get("Access-Control-Allow-Origin") != "http://"+uiAddr || resp.Header.Get("Access-Control-Allow-Credentials") != "true" {
			t.Errorf("codec CORS for the web ui: %v", resp.Header)
		}
		return resp.StatusCode
	}
	if code := decode(http.DefaultClient); code != http.StatusUnauthorized {
		t.Fatalf("decode without a login: HTTP %d", code)
	}
	// Cookies belong to a host, not a port: the login on the pages goes with the UI's request.
	if code := decode(loggedIn(t, base, operatorToken)); code != http.StatusOK {
		t.Fatalf("decode with an operator's login cookie: HTTP %d", code)
	}
	decodesInTheBrowser(t, data, base, "http://"+uiAddr, operatorToken)
}

// decodesInTheBrowser logs in to the pages in Chromium, opens the Web UI, and from the UI's page
// decodes a sealed payload the way the UI does (fetch with credentials: "include"): the browser
// sends the login cookie across the port, the codec's CORS answer lets the page read it, and the
// payload comes back in clear.
func decodesInTheBrowser(t *testing.T, data, base, ui, token string) {
	t.Helper()
	keys, err := codec.ReadKeyFile(filepath.Join(data, "payload.keys"))
	if err != nil {
		t.Fatal(err)
	}
	ring, err := codec.NewKeyring(keys)
	if err != nil {
		t.Fatal(err)
	}
	const secret = "decoded through the login session"
	plain, err := converter.GetDefaultDataConverter().ToPayload(secret)
	if err != nil {
		t.Fatal(err)
	}
	sealed, err := codec.NewAESCodec(ring).Encode([]*commonpb.Payload{plain})
	if err != nil {
		t.Fatal(err)
	}
	body, err := protojson.Marshal(&commonpb.Payloads{Payloads: sealed})
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	run(t, ctx, "log in to the pages", chromedp.Navigate(base+"/login"),
		chromedp.SetValue(css(`input[name=token]`), token),
		chromedp.Submit(css(`input[name=token]`)),
		chromedp.WaitVisible(css(`body`)))
	run(t, ctx, "open the web ui", chromedp.Navigate(ui+"/"), chromedp.WaitVisible(css(`body`)))
	js := fmt.Sprintf(`fetch(%q, {method: "POST", credentials: "include",
		headers: {"Content-Type": "application/json", "X-Namespace": "default"}, body: %q})
		.then(r => r.ok ? r.json().then(j => atob(j.payloads[0].data)) : "HTTP " + r.status)
		.catch(e => "fetch failed: " + e)`, base+"/codec/decode?preserveStorageRefs=true", string(body))
	got := read(t, ctx, "decode from the web ui's page", chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if got != strconv.Quote(secret) {
		t.Fatalf("decode from the web ui's page in Chromium: %s", got)
	}
	sessionEndsInTheBrowser(t, ctx, base, token)
}

// sessionEndsInTheBrowser replaces the login's cookie with one naming no live session (as after
// the idle timeout) and opens a filtered page: the Indonesian expired-session page shows, and
// its login returns to that same page.
func sessionEndsInTheBrowser(t *testing.T, ctx context.Context, base, token string) {
	t.Helper()
	httpOnly := true
	run(t, ctx, "end the session", chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, network.SetCookie, network.SetCookieParams{Name: "kompeten_session",
			Value: "ended-session-0123456789abcdef0123456789abcdef", URL: base + "/", Path: "/", HTTPOnly: &httpOnly})
		return err
	}))
	run(t, ctx, "open a page after the session ended", chromedp.Navigate(base+"/stuck?stage=insurance"), chromedp.WaitVisible(css("#problem-login")))
	if got := text(t, ctx, "#problem h1"); !strings.Contains(got, "Sesi Anda berakhir") {
		t.Fatalf("expired-session page: %q", got)
	}
	accessible(t, ctx, "expired-session page")
	run(t, ctx, "log in again", chromedp.Click(css("#problem-login")), chromedp.WaitVisible(css(`input[name=token]`)),
		chromedp.SetValue(css(`input[name=token]`), token),
		chromedp.Submit(css(`input[name=token]`)),
		chromedp.WaitVisible(css(`main h1`)))
	if got := read(t, ctx, "where the login returned", chromedp.Evaluate[string](`location.pathname + location.search`)); got != "/stuck?stage=insurance" {
		t.Fatalf("after logging in again: at %q, want /stuck?stage=insurance", got)
	}
}

// buildKompeten builds the binary once for the test.
func buildKompeten(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "kompeten")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/bpvp-sidoarjo/kompeten/cmd/kompeten")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build kompeten: %v\n%s", err, out)
	}
	return bin
}

// devProcess is a running `kompeten dev` and what it logged.
type devProcess struct {
	syncBuffer
}

func (d *devProcess) log() string { return string(d.Bytes()) }

func (d *devProcess) tail() string {
	s := d.log()
	if len(s) > 3000 {
		s = s[len(s)-3000:]
	}
	return s
}

// startDevBinary runs `kompeten dev` (the built binary) until the test ends, then stops it as Ctrl-C does.
func startDevBinary(t *testing.T, bin string, env []string) *devProcess {
	t.Helper()
	d := &devProcess{}
	cmd := exec.Command(bin, "dev")
	cmd.Env = env
	cmd.Stdout, cmd.Stderr = d, d
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	t.Cleanup(func() {
		_ = cmd.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(60 * time.Second):
			_ = cmd.Process.Kill()
			<-done
			t.Errorf("kompeten dev did not stop within a minute of Ctrl-C")
		}
	})
	return d
}

func getBody(t *testing.T, u string) string {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func getJSON(t *testing.T, u string, out any) {
	t.Helper()
	if err := json.Unmarshal([]byte(getBody(t, u)), out); err != nil {
		t.Fatalf("%s: %v", u, err)
	}
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// loggedIn is a client with a login session on the pages at base, as a browser has after /login.
func loggedIn(t *testing.T, base, token string) *http.Client {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := c.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	m := csrfField.FindSubmatch(page)
	if m == nil {
		t.Fatalf("no csrf field on the login page: %s", page)
	}
	resp, err = c.PostForm(base+"/login", url.Values{"csrf": {string(m[1])}, "token": {token}, "next": {"/"}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("login: HTTP %d", resp.StatusCode)
	}
	return c
}
