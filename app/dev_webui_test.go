package app

import "testing"

// The case page's Web UI link follows the UI dev started unless temporal.web_ui_url was set.
func TestDevWebUIURL(t *testing.T) {
	for _, c := range []struct{ configured, started, want string }{
		{"http://127.0.0.1:8233", "http://127.0.0.1:18233", "http://127.0.0.1:18233"},
		{"http://127.0.0.1:8233", "http://0.0.0.0:18233", "http://127.0.0.1:18233"},
		{"http://127.0.0.1:8233", "", ""},
		{"https://temporal.example.org", "http://127.0.0.1:18233", "https://temporal.example.org"},
		{"", "http://127.0.0.1:18233", ""},
	} {
		if got := devWebUIURL(c.configured, c.started); got != c.want {
			t.Errorf("devWebUIURL(%q, %q) = %q, want %q", c.configured, c.started, got, c.want)
		}
	}
}
