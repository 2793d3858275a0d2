package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bpvp-sidoarjo/kompeten/app"
	"github.com/bpvp-sidoarjo/kompeten/auth"
	"github.com/bpvp-sidoarjo/kompeten/store"
	"github.com/bpvp-sidoarjo/kompeten/vocab"
)

func newTokenCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "token",
		Short: "API tokens: create (printed once), list, revoke",
		Long: `API tokens authenticate people and scripts on the HTTP API (Authorization: Bearer) and at
the pages' login. Each has a name (the actor id written in every case log), a role and, for
centre-admin and lsp-manager, the centre or LSP codes it may act on. Only a hash is stored.

Like migrate, these commands talk to PostgreSQL directly and are run next to the database:
database.url when set; in dev the same database ` + "`kompeten dev`" + ` uses for this data directory.
Roles: ` + strings.Join(vocab.Strings(auth.TokenRoles), ", ") + `.`,
	}
	cmd.AddCommand(newTokenCreateCmd(), newTokenListCmd(), newTokenRevokeCmd())
	return cmd
}

// withTokenStore opens the database the way `kompeten dev` finds it (app.DevDatabase) and
// brings the schema up to date, so the token table exists.
func withTokenStore(cmd *cobra.Command, fn func(ctx context.Context, st *store.Store) error) error {
	c, err := loadConfig(cmd)
	if err != nil {
		return err
	}
	ctx := cmd.Context()
	logger := slog.New(slog.NewTextHandler(io.Discard, nil))
	db, err := app.DevDatabase(ctx, c, logger)
	if err != nil {
		return err
	}
	defer func() { _ = db.Close(context.Background()) }()
	st, err := app.OpenStore(ctx, c, db.URL, true)
	if err != nil {
		return err
	}
	defer st.Close()
	return fn(ctx, st)
}

func newTokenCreateCmd() *cobra.Command {
	var roleName, name string
	var scopes []string
	cmd := &cobra.Command{
		Use:   "create --role ROLE --name WHO [--scope CODE[,CODE]]",
		Short: "Create a token and print it once",
		Example: `  kompeten token create --role centre-admin --scope BLK-SBY --name siti
  kompeten token create --role lsp-manager --scope LSP-BLK-SBY,LSP-BLK-MLG --name budi
  kompeten token create --role operator --name oncall-rina`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			name = strings.TrimSpace(name)
			role := vocab.Role(roleName)
			if name == "" {
				return fmt.Errorf("--name is required: who uses this token (it is the actor id in case logs)")
			}
			if err := auth.CheckRoleScopes(role, scopes); err != nil {
				return err
			}
			return withTokenStore(cmd, func(ctx context.Context, st *store.Store) error {
				if err := checkScopeCodes(ctx, st, role, scopes); err != nil {
					return err
				}
				token, hash, err := auth.NewToken()
				if err != nil {
					return err
				}
				if _, err := st.CreateToken(ctx, name, role, scopes, hash); err != nil {
					return err
				}
				fmt.Fprintln(cmd.ErrOrStderr(), "token created; it is shown only now, keep it secret:")
				fmt.Fprintln(cmd.OutOrStdout(), token)
				return nil
			})
		},
	}
	cmd.Flags().StringVar(&roleName, "role", "", "role: "+strings.Join(vocab.Strings(auth.TokenRoles), ", "))
	cmd.Flags().StringSliceVar(&scopes, "scope", nil, "centre codes (centre-admin) or LSP codes (lsp-manager)")
	cmd.Flags().StringVar(&name, "name", "", "who uses it (actor id in case logs)")
	return cmd
}

// checkScopeCodes refuses a scope that names no known centre or LSP: a typo would otherwise
// make a token that can act on nothing, silently.
func checkScopeCodes(ctx context.Context, st *store.Store, role vocab.Role, scopes []string) error {
	if len(scopes) == 0 {
		return nil
	}
	// The table name is one of two constants; the code is a parameter.
	query, table := `SELECT EXISTS (SELECT 1 FROM centres WHERE code = $1)`, "centres"
	if role == vocab.RoleLSPManager {
		query, table = `SELECT EXISTS (SELECT 1 FROM partners WHERE code = $1 AND kind = 'certifier')`, "the LSPs"
	}
	for _, code := range scopes {
		var ok bool
		if err := st.Pool().QueryRow(ctx, query, code).Scan(&ok); err != nil {
			return fmt.Errorf("check scope %s: %w", code, err)
		}
		if !ok {
			return fmt.Errorf("--scope %s: no such code in %s", code, table)
		}
	}
	return nil
}

func newTokenListCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:     "list",
		Short:   "List tokens (names, roles, scopes; never the tokens)",
		Example: `  kompeten token list -o json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			format, err := outputFormat(cmd)
			if err != nil {
				return err
			}
			return withTokenStore(cmd, func(ctx context.Context, st *store.Store) error {
				ts, err := st.ListTokens(ctx)
				if err != nil {
					return err
				}
				if format == "json" {
					return printJSON(cmd.OutOrStdout(), ts)
				}
				rows := make([][]string, len(ts))
				for i, t := range ts {
					state := "live"
					if t.RevokedAt != nil {
						state = "revoked " + t.RevokedAt.Format("2006-01-02 15:04")
					}
					rows[i] = []string{t.Name, string(t.Role), strings.Join(t.Scopes, ","), t.CreatedAt.Format("2006-01-02 15:04"), state}
				}
				return table(cmd.OutOrStdout(), []string{"NAME", "ROLE", "SCOPE", "CREATED", "STATE"}, rows)
			})
		},
	}
	addOutputFlag(cmd)
	return cmd
}

func newTokenRevokeCmd() *cobra.Command {
	return &cobra.Command{
		Use:     "revoke NAME",
		Short:   "Revoke the live token with this name (its sessions end too)",
		Example: `  kompeten token revoke siti`,
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return withTokenStore(cmd, func(ctx context.Context, st *store.Store) error {
				if err := st.RevokeToken(ctx, args[0]); err != nil {
					return err
				}
				fmt.Fprintf(cmd.OutOrStdout(), "revoked %s\n", args[0])
				return nil
			})
		},
	}
}
