package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newInsuranceCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "insurance",
		Short: "BPJS Ketenagakerjaan batch exchange for branch offices without an API",
		Long: `With partners.bpjs.adapter: batch, registrations wait in a queue. "export" writes them to a
spreadsheet for the branch office; "import" reads the spreadsheet they return with the KPJ
numbers filled in and delivers each number to its waiting case.`,
	}
	cmd.AddCommand(newInsuranceExportCmd(), newInsuranceImportCmd())
	return cmd
}

func newInsuranceExportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "export",
		Short:   "Write the pending BPJS registrations to a spreadsheet",
		Example: "  kompeten insurance export --out pendaftaran-bpjs.xlsx",
		RunE: func(cmd *cobra.Command, _ []string) error {
			out, _ := cmd.Flags().GetString("out")
			if out == "" {
				out = "bpjs-pendaftaran-" + time.Now().Format("20060102-1504") + ".xlsx"
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			body, hdr, err := c.raw("GET", "/api/v1/insurance/batch/export", "", nil)
			if err != nil {
				return err
			}
			if err := os.WriteFile(out, body, 0o600); err != nil {
				return fmt.Errorf("write %s: %w", out, err)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "%s registrations written to %s (it holds NIKs: hand it over securely)\n", hdr.Get("X-Kompeten-Rows"), out)
			return nil
		},
	}
	cmd.Flags().String("out", "", "spreadsheet to write (default bpjs-pendaftaran-<time>.xlsx)")
	addServerFlag(cmd)
	return cmd
}

func newInsuranceImportCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "import FILE",
		Short:   "Deliver the KPJ numbers of a returned spreadsheet to their cases",
		Example: "  kompeten insurance import pendaftaran-bpjs-kembali.xlsx --actor rina",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			data, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			c, err := newAPIClient(cmd)
			if err != nil {
				return err
			}
			a := actorFrom(cmd)
			body, _, err := c.raw("POST", "/api/v1/insurance/batch/import?actor="+url.QueryEscape(a.ID), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", data)
			if err != nil {
				return err
			}
			var resp api.BatchImportResponse
			if err := json.Unmarshal(body, &resp); err != nil {
				return fmt.Errorf("decode answer: %w", err)
			}
			if o, _ := outputFormat(cmd); o == "json" {
				return printJSON(cmd.OutOrStdout(), resp)
			}
			rows := make([][]string, 0, len(resp.Rows))
			for _, r := range resp.Rows {
				rows = append(rows, []string{strconv.Itoa(r.Row), r.CaseRef, r.Outcome, r.Reason})
			}
			return table(cmd.OutOrStdout(), []string{"ROW", "CASE", "OUTCOME", "REASON"}, rows)
		},
	}
	addActorFlags(cmd, vocab.RoleInsurerLiaison)
	return cmd
}

// raw sends a request with an arbitrary body and returns the body and headers of a success.
func (c *apiClient) raw(method, path, contentType string, body []byte) ([]byte, http.Header, error) {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req, err := http.NewRequest(method, c.base+path, r)
	if err != nil {
		return nil, nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c.token != "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("cannot reach kompeten at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, nil, err
	}
	if resp.StatusCode >= 300 {
		var e api.ErrorBody
		if json.Unmarshal(data, &e) == nil && e.Error != "" {
			return nil, nil, c.checkAuth(&apiError{Status: resp.StatusCode, Message: e.Error})
		}
		return nil, nil, c.checkAuth(&apiError{Status: resp.StatusCode, Message: fmt.Sprintf("HTTP %d", resp.StatusCode)})
	}
	return data, resp.Header, nil
}
