package api_test

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

// Every list export streams from the read model a batch at a time, and every row in scope
// arrives however many batches it takes, past the lists' default page of 100 too, in each format: plain CSV, Excel's CSV (';' and a BOM)
// and XLSX. With batches of 4, the 11 stuck cases take three batches, and the inbox's 9
// enrolment approvals and 8 certification approvals take several batches per group (the
// second group ending exactly on a batch boundary, the first not).
func TestListExportsStreamEveryRow(t *testing.T) {
	s := newOpsServer(t)
	defer api.SetExportBatch(4)()
	var stuckIDs, inboxIDs []string
	for i := range 11 {
		id := fmt.Sprintf("s%02d", i)
		s.put(stuck(opsCase(id, "BLK-SBY", "LSP-BLK-SBY", "insurance", vocab.WaitingBPJS), vocab.StuckPartnerFailing, i))
		stuckIDs = append(stuckIDs, id)
	}
	for i := range 9 {
		id := fmt.Sprintf("e%02d", i)
		s.put(opsCase(id, "BLK-SBY", "LSP-BLK-SBY", "enrolment", vocab.WaitingCentreAdmin))
		inboxIDs = append(inboxIDs, id)
	}
	for i := range 8 {
		id := fmt.Sprintf("c%02d", i)
		s.put(opsCase(id, "BLK-SBY", "LSP-LOGAM", "certification", vocab.WaitingLSPManager))
		inboxIDs = append(inboxIDs, id)
	}
	// More cases than a list's default page (100), so that an export that kept the page's
	// limit would be short.
	allIDs := slices.Concat(stuckIDs, inboxIDs)
	for i := range 90 {
		id := fmt.Sprintf("t%02d", i)
		s.put(opsCase(id, "BLK-MLG", "LSP-BLK-SBY", "training", vocab.WaitingSchedule))
		allIDs = append(allIDs, id)
	}
	for _, list := range []struct {
		path string
		want []string
	}{{"/api/v1/stuck", stuckIDs}, {"/api/v1/inbox", inboxIDs}, {"/api/v1/cases?stuck=true", stuckIDs}, {"/api/v1/cases", allIDs}} {
		sep := "?"
		if strings.Contains(list.path, "?") {
			sep = "&"
		}
		want := slices.Sorted(slices.Values(list.want))
		plain := s.getCSV(list.path + sep + "format=csv")
		if got := sortedColumn(t, plain, "case_id"); !slices.Equal(got, want) {
			t.Errorf("%s plain CSV: %d rows %v, want %d %v", list.path, len(got), got, len(want), want)
		}
		_, _, excel := s.do("GET", list.path+sep+"format=csv&dialect=excel", nil)
		if !bytes.HasPrefix(excel, []byte("\uFEFFcase_id;")) && !bytes.HasPrefix(excel, []byte("\uFEFFkind;")) {
			t.Errorf("%s Excel CSV: no BOM and ';' header: %.60q", list.path, excel)
		}
		if n := bytes.Count(excel, []byte("\n")); n != len(want)+1 {
			t.Errorf("%s Excel CSV: %d lines, want %d", list.path, n, len(want)+1)
		}
		code, ctype, data := s.do("GET", list.path+sep+"format=xlsx", nil)
		if code != 200 || !strings.Contains(ctype, "spreadsheetml") {
			t.Fatalf("%s xlsx: HTTP %d %s %s", list.path, code, ctype, data)
		}
		f, err := excelize.OpenReader(bytes.NewReader(data))
		if err != nil {
			t.Fatal(err)
		}
		rows, err := f.GetRows("Sheet1")
		if err != nil {
			t.Fatal(err)
		}
		if got := sortedColumn(t, rows, "case_id"); !slices.Equal(got, want) {
			t.Errorf("%s XLSX: %d rows %v, want %d %v", list.path, len(got), got, len(want), want)
		}
		last := fmt.Sprintf("$%d", len(want)+1)
		found := false
		for _, n := range f.GetDefinedName() {
			found = found || n.Name == "_xlnm._FilterDatabase" && strings.HasSuffix(n.RefersTo, last)
		}
		if !found {
			t.Errorf("%s XLSX: the filter does not reach the last row (%s): %+v", list.path, last, f.GetDefinedName())
		}
	}
	// The role filter streams only that role's groups.
	mgr := s.getCSV("/api/v1/inbox?format=csv&role=lsp-manager")
	if got := sortedColumn(t, mgr, "case_id"); len(got) != 8 || got[0] != "c00" {
		t.Errorf("lsp-manager's inbox export: %v", got)
	}
}

// sortedColumn is the named column of a downloaded table (header first), sorted: the exports'
// tests compare which rows arrived, not their order.
func sortedColumn(t *testing.T, rows [][]string, name string) []string {
	t.Helper()
	col := slices.Index(rows[0], name)
	if col < 0 {
		t.Fatalf("no column %s in %v", name, rows[0])
	}
	var out []string
	for _, r := range rows[1:] {
		out = append(out, r[col])
	}
	slices.Sort(out)
	return out
}
