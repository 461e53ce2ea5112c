package sqltest

import (
	"github.com/loopback-go/lb/model"
)

// Models returns fresh definitions of the models the kit uses, with table
// names carrying suffix so that concurrent runs never share a table:
// Customer (numeric generated id, unique email, nested address object,
// tags array, boolean, date, decimal), Order (belongsTo Customer) and Note
// (string uuid id).
func Models(suffix string) (customer, order, note *model.Definition) {
	conn := func(table string) map[string]map[string]any {
		s := map[string]any{"table": table}
		return map[string]map[string]any{"sqlite": s, "postgresql": s, "mysql": s}
	}
	customer = &model.Definition{
		Name: "Customer",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "name", Type: model.String, Required: true},
			{Name: "email", Type: model.String, Unique: true, Connector: map[string]map[string]any{
				"postgresql": {"columnName": "email_address", "dataType": "VARCHAR", "dataLength": 200},
				"mysql":      {"columnName": "email_address", "dataType": "VARCHAR", "dataLength": 200},
				"sqlite":     {"columnName": "email_address"},
			}},
			{Name: "age", Type: model.Number, Integer: true},
			{Name: "score", Type: model.Number},
			{Name: "balance", Type: model.Number, Connector: map[string]map[string]any{
				"postgresql": {"dataPrecision": 10, "dataScale": 2},
				"mysql":      {"dataPrecision": 10, "dataScale": 2},
				"sqlite":     {"dataPrecision": 10, "dataScale": 2},
			}},
			{Name: "vip", Type: model.Boolean},
			{Name: "joined", Type: model.Date},
			{Name: "address", Type: model.Object, Properties: []*model.Property{
				{Name: "city", Type: model.String},
				{Name: "zip", Type: model.Number, Integer: true},
				{Name: "geo", Type: model.Object, Properties: []*model.Property{{Name: "lat", Type: model.Number}}},
			}},
			{Name: "tags", Type: model.Array, Items: &model.Property{Type: model.String}},
			{Name: "extra", Type: model.Any},
			{Name: "photo", Type: model.Buffer},
		},
		Settings: model.Settings{Connector: conn("customer_" + suffix)},
	}
	order = &model.Definition{
		Name: "Order",
		Properties: []*model.Property{
			{Name: "id", Type: model.Number, Integer: true, ID: 1, Generated: true},
			{Name: "customerId", Type: model.Number, Integer: true, Index: true},
			{Name: "total", Type: model.Number},
		},
		Relations: []*model.Relation{{Name: "customer", Type: model.BelongsTo, Target: "Customer", ForeignKey: "customerId", OnDelete: model.Restrict}},
		Settings:  model.Settings{Connector: conn("order_" + suffix)},
	}
	note = &model.Definition{
		Name: "Note",
		Properties: []*model.Property{
			{Name: "id", Type: model.String, ID: 1, Generated: true, DefaultFn: "uuidv4"},
			{Name: "title", Type: model.String, Required: true},
		},
		Settings: model.Settings{Connector: conn("note_" + suffix)},
	}
	return customer, order, note
}
