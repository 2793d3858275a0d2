package main

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/api"
	"github.com/bpvp-sidoarjo/kompeten/apiclient"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newUserCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "user",
		Short: "Login accounts for the pages: create, list, disable, reset (a coordinator's)",
		Long: `People log in to the pages with a username (or email) and a password. A coordinator creates
the account with a role and scope (exactly as a token's) and hands the person the one-time
link printed here; the person sets their password there (the link works once, for 72 hours,
and carries no personal data). reset clears a forgotten or leaked password, ends the
account's sessions and prints a new link; disable ends the sessions at once and refuses
every later login. Like the other operator commands these ask the HTTP API (--server,
KOMPETEN_SERVER) with a coordinator's token.
Roles: ` + strings.Join(vocab.Strings(auth.TokenRoles), ", ") + `.`,
	}
	cmd.AddCommand(newUserCreateCmd(), newUserListCmd(), newUserDisableCmd(), newUserResetCmd())
	return cmd
}

func newUserCreateCmd() *cobra.Command {
	var roleName, email string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "create USERNAME --role ROLE [--scope CODE[,CODE]] [--email EMAIL]",
		Short: "Create an account and print its one-time set-password link",
		Example: `  kompeten user create siti.sby --role centre-admin --scope BLK-SBY --email siti@blk-sby.example
  kompeten user create budi --role lsp-manager --scope LSP-BLK-SBY
  kompeten user create rina --role operator`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, base, err := userClient(cmd)
			if err != nil {
				return err
			}
			res, err := c.CreateAccount(cmd.Context(), api.AccountRequest{Username: args[0], Email: email, Role: vocab.Role(roleName), Scopes: scopes})
			if err != nil {
				return err
			}
			return printLink(cmd, base, res, "created")
		},
	}
	cmd.Flags().StringVar(&roleName, "role", "", "role: "+strings.Join(vocab.Strings(auth.TokenRoles), ", "))
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "centre codes (centre-admin) or LSP codes (lsp-manager)")
	cmd.Flags().StringVar(&email, "email", "", "the person may log in with this email instead of the username")
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func newUserListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the accounts, enabled ones first",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			c, _, err := userClient(cmd)
			if err != nil {
				return err
			}
			as, err := c.ListAccounts(cmd.Context())
			if err != nil {
				return err
			}
			if format == "json" {
				return printJSON(cmd.OutOrStdout(), as)
			}
			rows := make([][]string, 0, len(as))
			for _, a := range as {
				state := "active"
				switch {
				case a.DisabledAt != nil:
					state = "disabled " + a.DisabledAt.UTC().Format("2006-01-02")
				case !a.HasPassword:
					state = "waiting for its link"
				}
				rows = append(rows, []string{strconv.FormatInt(a.ID, 10), a.Username, a.Email, string(a.Role), strings.Join(a.Scopes, ","), state})
			}
			return table(cmd.OutOrStdout(), []string{"ID", "USERNAME", "EMAIL", "ROLE", "SCOPE", "STATE"}, rows)
		},
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

func newUserDisableCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "disable USERNAME|ID",
		Short: "Disable an account: its sessions end at once",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, _, err := userClient(cmd)
			if err != nil {
				return err
			}
			id, err := accountNumber(cmd.Context(), c, args[0])
			if err != nil {
				return err
			}
			res, err := c.DisableAccount(cmd.Context(), id)
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "account %s disabled; its sessions have ended\n", res.Account.Username)
			return nil
		},
	}
	addServerFlag(cmd)
	return cmd
}

func newUserResetCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "reset USERNAME|ID",
		Short: "Clear an account's password, end its sessions and print a new one-time link",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			c, base, err := userClient(cmd)
			if err != nil {
				return err
			}
			id, err := accountNumber(cmd.Context(), c, args[0])
			if err != nil {
				return err
			}
			res, err := c.ResetAccount(cmd.Context(), id)
			if err != nil {
				return err
			}
			return printLink(cmd, base, res, "reset")
		},
	}
	addServerFlag(cmd)
	addOutputFlag(cmd)
	return cmd
}

// userClient is the API client and the server's address (the links are on its pages).
func userClient(cmd *cobra.Command) (*apiclient.Client, string, error) {
	base, err := apiBase(cmd)
	if err != nil {
		return nil, "", err
	}
	c, err := newAPIClient(cmd)
	return c, base, err
}

// accountNumber finds an account's number: the API addresses accounts by number, never by a
// name in a URL, so a username is looked up in the list.
func accountNumber(ctx context.Context, c *apiclient.Client, arg string) (int64, error) {
	if n, err := strconv.ParseInt(arg, 10, 64); err == nil && n > 0 {
		return n, nil
	}
	as, err := c.ListAccounts(ctx)
	if err != nil {
		return 0, err
	}
	want := strings.ToLower(strings.TrimSpace(arg))
	for _, a := range as {
		if a.Username == want || (a.Email != "" && strings.EqualFold(a.Email, want)) {
			return a.ID, nil
		}
	}
	return 0, fmt.Errorf("no account named %q (kompeten user list)", arg)
}

// printLink prints the account and its one-time link (stdout: the link alone in table output,
// so a script can take it).
func printLink(cmd *cobra.Command, base string, res api.AccountResponse, what string) error {
	format, err := outputFormat(cmd)
	if err != nil {
		return err
	}
	if res.Link == nil {
		return fmt.Errorf("account %s %s, but the server sent no link", res.Account.Username, what)
	}
	url := base + res.Link.Path
	if format == "json" {
		return printJSON(cmd.OutOrStdout(), struct {
			Account   store.Account `json:"account"`
			URL       string        `json:"url"`
			ExpiresAt time.Time     `json:"expires_at"`
		}{res.Account, url, res.Link.ExpiresAt})
	}
	fmt.Fprintf(cmd.ErrOrStderr(), "account %s %s (%s%s); give this one-time link to the person only. It sets the password, works once, until %s:\n",
		res.Account.Username, what, res.Account.Role, scopeSuffix(res.Account.Scopes), res.Link.ExpiresAt.UTC().Format("2006-01-02 15:04 UTC"))
	fmt.Fprintln(cmd.OutOrStdout(), url)
	return nil
}

func scopeSuffix(scopes []string) string {
	if len(scopes) == 0 {
		return ""
	}
	return " " + strings.Join(scopes, ",")
}
