package model

import (
	"fmt"
	"strings"
)

// tagOption is one option of an lb struct tag: a bare flag ("required") or
// a key=value pair ("default=now"). Values may be single-quoted to hold
// commas: default='a, b'.
type tagOption struct {
	key, value string
	hasValue   bool
}

// parseTag splits an lb tag into its options.
func parseTag(tag string) ([]tagOption, error) {
	var opts []tagOption
	for i := 0; i < len(tag); {
		// key
		j := i
		for j < len(tag) && tag[j] != ',' && tag[j] != '=' {
			j++
		}
		opt := tagOption{key: strings.TrimSpace(tag[i:j])}
		if j < len(tag) && tag[j] == '=' {
			opt.hasValue = true
			j++
			if j < len(tag) && tag[j] == '\'' {
				end := strings.IndexByte(tag[j+1:], '\'')
				if end < 0 {
					return nil, fmt.Errorf("lb tag %q: unterminated quote", tag)
				}
				opt.value = tag[j+1 : j+1+end]
				j = j + 1 + end + 1
				if j < len(tag) && tag[j] != ',' {
					return nil, fmt.Errorf("lb tag %q: text after quoted value", tag)
				}
			} else {
				k := j
				for k < len(tag) && tag[k] != ',' {
					k++
				}
				opt.value = strings.TrimSpace(tag[j:k])
				j = k
			}
		}
		if opt.key == "" {
			if opt.hasValue || j < len(tag) {
				return nil, fmt.Errorf("lb tag %q: empty option", tag)
			}
		} else {
			opts = append(opts, opt)
		}
		i = j + 1
	}
	return opts, nil
}
