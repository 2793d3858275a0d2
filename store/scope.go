package store

import "strconv"

// Scope limits a query to the cases one reader may see: a centre admin's centres, an LSP
// manager's LSPs. A nil slice leaves its column unrestricted. A non-nil slice keeps only the
// cases whose code is in it, and an empty one matches nothing: a scoped token without codes
// then reads nothing, just as auth.Identity.MayActOn lets it act on nothing.
type Scope struct {
	CentreCodes []string
	LSPCodes    []string
}

// conds appends the scope's conditions on the table aliased alias to conds, numbering its
// arguments after args. Each is one "col = ANY($n)" on an indexed column, added only when set,
// so an unscoped query keeps exactly the plan it had.
func (sc Scope) conds(alias string, conds []string, args []any) ([]string, []any) {
	if sc.CentreCodes != nil {
		args = append(args, sc.CentreCodes)
		conds = append(conds, alias+".centre_code = ANY($"+strconv.Itoa(len(args))+")")
	}
	if sc.LSPCodes != nil {
		args = append(args, sc.LSPCodes)
		conds = append(conds, alias+".lsp_code = ANY($"+strconv.Itoa(len(args))+")")
	}
	return conds, args
}
