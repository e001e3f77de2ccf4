package app

import "slices"

// fieldProblem is one entry of the list of problems at the top of a form.
type fieldProblem struct {
	Field   string
	Message string
}

// problemsInOrder lists a form's problems in the order of its fields, so
// the summary at the top reads down the form as the member does; a field
// the order leaves out follows, by name, so no problem goes unshown.
func problemsInOrder(errs map[string]string, order []string) []fieldProblem {
	if len(errs) == 0 {
		return nil
	}
	list := make([]fieldProblem, 0, len(errs))
	for _, field := range order {
		if m, ok := errs[field]; ok {
			list = append(list, fieldProblem{field, m})
		}
	}
	if len(list) < len(errs) {
		var rest []string
		for field := range errs {
			if !slices.Contains(order, field) {
				rest = append(rest, field)
			}
		}
		slices.Sort(rest)
		for _, field := range rest {
			list = append(list, fieldProblem{field, errs[field]})
		}
	}
	return list
}
