package main

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/starter"
)

// `kompeten attend --package` sends the day's register from a CSV file (Indonesian words too)
// to PUT /api/v1/packages/{code}/attendance/{date}, prints every case and ends with exit code
// 2 when a journey refused its count.
func TestAttendRegisterFromFile(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv("KOMPETEN_TOKEN", "kpt_test")
	var got api.AttendanceRegisterRequest
	var path string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		path = r.Method + " " + r.URL.Path
		_ = json.NewDecoder(r.Body).Decode(&got)
		_ = json.NewEncoder(w).Encode(starter.RegisterResult{Package: "SBY-LAS-1", Date: "2027-02-03", Mode: "presence", Present: 2, Absent: 1,
			Cases: []starter.RegisterCase{
				{CaseID: "aaaaaaaaa2", Present: true, DaysPresent: 3, Sent: 3, Outcome: starter.RegisterSent, Message: "attendance now 15% of 20 days"},
				{CaseID: "aaaaaaaaa3", Present: true, DaysPresent: 3, Sent: 3, Outcome: starter.RegisterUnchanged},
				{CaseID: "aaaaaaaaa4", DaysAbsent: 3, Outcome: starter.RegisterRefused, Message: "cannot record attendance: case aaaaaaaaa4 is in stage assessment"},
			}})
	}))
	defer srv.Close()
	csv := "\ufeffcase_id,present\naaaaaaaaa2,hadir\naaaaaaaaa3, yes\naaaaaaaaa4,absen\n"
	if err := os.WriteFile("presensi.csv", []byte(csv), 0o600); err != nil {
		t.Fatal(err)
	}
	root := newRoot()
	var stdout, stderr bytes.Buffer
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	root.SetArgs([]string{"attend", "--package", "SBY-LAS-1", "--date", "2027-02-03", "--file", "presensi.csv", "--server", srv.URL})
	code := 0
	if cmd, err := root.ExecuteC(); err != nil {
		code = exitCode(&stderr, cmd, err)
	}
	if code != exitRefused {
		t.Fatalf("exit code %d, want %d; stderr %s", code, exitRefused, stderr.String())
	}
	if path != "PUT /api/v1/packages/SBY-LAS-1/attendance/2027-02-03" {
		t.Errorf("request %s", path)
	}
	if !slices.Equal(got.Present, []string{"aaaaaaaaa2", "aaaaaaaaa3"}) || !slices.Equal(got.Absent, []string{"aaaaaaaaa4"}) {
		t.Errorf("register sent: %+v", got)
	}
	for _, want := range []string{"SBY-LAS-1 2027-02-03: 2 present, 1 absent", "unchanged", "in stage assessment"} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("output does not say %q:\n%s", want, stdout.String())
		}
	}

	// A file with a word it does not know is refused before anything is sent.
	path = ""
	if err := os.WriteFile("bad.csv", []byte("case_id,present\naaaaaaaaa2,maybe\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, errOut := run(t, "attend", "--package", "SBY-LAS-1", "--date", "2027-02-03", "--file", "bad.csv", "--server", srv.URL)
	if code != exitFailure || !strings.Contains(errOut, `line 2: present is "maybe"`) || path != "" {
		t.Fatalf("bad file: exit %d, %s, request %q", code, errOut, path)
	}
}
