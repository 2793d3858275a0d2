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
	conds, args = scopeCond(alias+".centre_code", sc.CentreCodes, conds, args)
	return scopeCond(alias+".lsp_code", sc.LSPCodes, conds, args)
}

// scopeCond adds "col = ANY($n)" for codes, or "col = $n" for a single code: the common scope of
// one centre or one LSP, which the planner can then walk in an index's order (the case list's).
func scopeCond(col string, codes []string, conds []string, args []any) ([]string, []any) {
	switch {
	case codes == nil:
		return conds, args
	case len(codes) == 1:
		args = append(args, codes[0])
		return append(conds, col+" = $"+strconv.Itoa(len(args))), args
	}
	args = append(args, codes)
	return append(conds, col+" = ANY($"+strconv.Itoa(len(args))+")"), args
}
