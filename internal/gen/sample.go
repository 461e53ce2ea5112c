package gen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"reflect"
	"strconv"
	"strings"
)

// SampleBody returns a JSON object that is a valid new instance of the
// model struct typeName in the Go source src: a value for each required
// property that is not an id or a belongsTo foreign key.
func SampleBody(src []byte, typeName string) (string, error) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "", src, 0)
	if err != nil {
		return "", err
	}
	var st *ast.StructType
	ast.Inspect(file, func(n ast.Node) bool {
		if ts, ok := n.(*ast.TypeSpec); ok && ts.Name.Name == typeName {
			st, _ = ts.Type.(*ast.StructType)
		}
		return st == nil
	})
	if st == nil {
		return "", fmt.Errorf("no struct %s", typeName)
	}
	var b strings.Builder
	b.WriteByte('{')
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) != 1 {
			continue
		}
		raw, err := strconv.Unquote(f.Tag.Value)
		if err != nil {
			continue
		}
		tag := reflect.StructTag(raw)
		name, _, _ := strings.Cut(tag.Get("json"), ",")
		lbTag := tag.Get("lb")
		if name == "" || name == "-" || tag.Get("required") != "true" ||
			strings.HasPrefix(lbTag, "id") || strings.Contains(lbTag, "belongsTo") {
			continue
		}
		var v any
		switch strings.TrimPrefix(types(f.Type), "*") {
		case "string":
			v = "sample " + name
		case "float64", "float32":
			v = 1.5
		case "int", "int64", "int32":
			v = 1
		case "bool":
			v = true
		case "time.Time":
			v = "2026-01-02T03:04:05.000Z"
		case "[]string":
			v = []string{"a"}
		default:
			v = map[string]any{}
			if strings.HasPrefix(types(f.Type), "[]") {
				v = []any{}
			}
		}
		enc, _ := json.Marshal(v)
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		fmt.Fprintf(&b, "%q:%s", name, enc)
	}
	b.WriteByte('}')
	return b.String(), nil
}

// types renders a field type expression.
func types(e ast.Expr) string {
	switch t := e.(type) {
	case *ast.Ident:
		return t.Name
	case *ast.StarExpr:
		return "*" + types(t.X)
	case *ast.ArrayType:
		return "[]" + types(t.Elt)
	case *ast.SelectorExpr:
		return types(t.X) + "." + t.Sel.Name
	case *ast.MapType:
		return "map[" + types(t.Key) + "]" + types(t.Value)
	}
	return "?"
}
