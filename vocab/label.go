package vocab

// Label is how a value is worded for people: Indonesian first (the centres' language), English
// beside it.
type Label struct{ ID, EN string }

// String is the label for plain text: "Indonesian / English", or one word when both agree.
func (l Label) String() string {
	if l.ID == l.EN {
		return l.ID
	}
	return l.ID + " / " + l.EN
}

// entry is one value of a vocabulary with its label; a table of entries is the vocabulary's
// single list, in its order.
type entry[T ~string] struct {
	value T
	label Label
}

// valuesOf lists a table's values in order.
func valuesOf[T ~string](table []entry[T]) []T {
	out := make([]T, len(table))
	for i, e := range table {
		out[i] = e.value
	}
	return out
}

// indexOf is v's position in table, or -1 for a value the table does not know.
func indexOf[T ~string](table []entry[T], v T) int {
	for i, e := range table {
		if e.value == v {
			return i
		}
	}
	return -1
}

// labelOf is v's label; a value the table does not know (read from an older row, say) is shown
// as its code in both languages rather than hidden.
func labelOf[T ~string](table []entry[T], v T) Label {
	if i := indexOf(table, v); i >= 0 {
		return table[i].label
	}
	return Label{string(v), string(v)}
}

// Strings converts values to plain strings, for messages and SQL arguments.
func Strings[T ~string](vs []T) []string {
	out := make([]string, len(vs))
	for i, v := range vs {
		out[i] = string(v)
	}
	return out
}
