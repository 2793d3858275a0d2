package config

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// stringToIntSliceHook reads "1,3,6,12" (from an environment variable) as []int.
func stringToIntSliceHook(from, to reflect.Type, data any) (any, error) {
	if from.Kind() != reflect.String || to != reflect.TypeOf([]int{}) {
		return data, nil
	}
	s := strings.TrimSpace(data.(string))
	if s == "" {
		return []int{}, nil
	}
	var out []int
	for _, part := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(part))
		if err != nil {
			return nil, fmt.Errorf("%q is not a whole number", part)
		}
		out = append(out, n)
	}
	return out, nil
}
