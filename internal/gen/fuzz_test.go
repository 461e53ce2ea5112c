package gen

import (
	"go/format"
	"strings"
	"testing"
)

// FuzzModel feeds arbitrary model names and property specs (command-line
// input) to the model generator: it either refuses them or produces Go
// code that parses.
func FuzzModel(f *testing.F) {
	f.Add("Todo", "title:string:required,isComplete:boolean")
	f.Add("todo-list", "tags:string[],due:date:nullable")
	f.Add("x", "id:string:id,a::hidden:index:unique")
	f.Add("for", "type:string")
	f.Add("T", "a:any[][]")
	f.Fuzz(func(t *testing.T, name, specs string) {
		var props []Property
		for _, s := range strings.Split(specs, ",") {
			p, err := ParseProperty(s)
			if err != nil {
				return
			}
			props = append(props, p)
		}
		m, err := Model(ModelOptions{Name: name, Properties: props})
		if err != nil {
			return
		}
		if _, err := format.Source(m.Data); err != nil {
			t.Fatalf("model %q %q: generated code does not parse: %v\n%s", name, specs, err, m.Data)
		}
	})
}
