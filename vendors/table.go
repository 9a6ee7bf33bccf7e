package vendors

import "strconv"

// Cell is one value of a table row and the walk line it came from.
type Cell struct {
	Value Value
	Line  int
}

// IntTable reads the columns cols of the table entry whose rows are
// indexed by one integer of at least min: row index → column → cell. Rows
// whose index is not such an integer, and values that do not exist
// (noSuchInstance and the like), are left out.
func (w *Walk) IntTable(entry string, min int, cols ...int) map[int]map[int]Cell {
	out := map[int]map[int]Cell{}
	for _, c := range cols {
		for _, r := range w.Rows(entry + "." + strconv.Itoa(c)) {
			i, err := strconv.Atoi(r.Index)
			if err != nil || i < min || !r.Value.Exists() {
				continue
			}
			if out[i] == nil {
				out[i] = map[int]Cell{}
			}
			out[i][c] = Cell{r.Value, r.Line}
		}
	}
	return out
}
