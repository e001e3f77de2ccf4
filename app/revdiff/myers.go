package revdiff

// opKind is one step of an edit script.
type opKind uint8

const (
	opEqual opKind = iota
	opRemove
	opAdd
)

// op is a step: a[a] stays as b[b], a[a] is removed, or b[b] is added.
type op struct {
	kind opKind
	a, b int
}

// myers finds a shortest edit script from a to b (E. W. Myers, "An O(ND)
// Difference Algorithm and Its Variations", 1986), or reports false when
// it needs more than maxD removals and additions. It keeps the frontier of
// every step to walk back through, which is (maxD+1)² numbers at most: the
// reason for the bound.
func myers(a, b []int32, maxD int) ([]op, bool) {
	n, m := len(a), len(b)
	maxD = min(maxD, n+m)
	offset := maxD + 1
	v := make([]int32, 2*maxD+3) // v[offset+k]: furthest x on diagonal k
	var trace [][]int32          // trace[d][k+d]: v after step d
	for d := 0; d <= maxD; d++ {
		for k := -d; k <= d; k += 2 {
			var x int
			if k == -d || k != d && v[offset+k-1] < v[offset+k+1] {
				x = int(v[offset+k+1]) // down: b[y] added
			} else {
				x = int(v[offset+k-1]) + 1 // right: a[x] removed
			}
			y := x - k
			for x < n && y < m && a[x] == b[y] {
				x++
				y++
			}
			v[offset+k] = int32(x)
			if x >= n && y >= m {
				trace = append(trace, append([]int32(nil), v[offset-d:offset+d+1]...))
				return backtrack(trace, n, m), true
			}
		}
		trace = append(trace, append([]int32(nil), v[offset-d:offset+d+1]...))
	}
	return nil, false
}

// backtrack walks the frontiers back from (n, m) to (0, 0).
func backtrack(trace [][]int32, n, m int) []op {
	var ops []op
	x, y := n, m
	for d := len(trace) - 1; d >= 0; d-- {
		k := x - y
		if d == 0 {
			for x > 0 && y > 0 {
				x, y = x-1, y-1
				ops = append(ops, op{opEqual, x, y})
			}
			break
		}
		prev := trace[d-1] // indexed k+d-1
		at := func(k int) int32 { return prev[k+d-1] }
		var prevK int
		if k == -d || k != d && at(k-1) < at(k+1) {
			prevK = k + 1
		} else {
			prevK = k - 1
		}
		prevX := int(at(prevK))
		prevY := prevX - prevK
		for x > prevX && y > prevY {
			x, y = x-1, y-1
			ops = append(ops, op{opEqual, x, y})
		}
		if x == prevX {
			ops = append(ops, op{opAdd, x, prevY})
		} else {
			ops = append(ops, op{opRemove, prevX, y})
		}
		x, y = prevX, prevY
	}
	for i, j := 0, len(ops)-1; i < j; i, j = i+1, j-1 {
		ops[i], ops[j] = ops[j], ops[i]
	}
	return ops
}
