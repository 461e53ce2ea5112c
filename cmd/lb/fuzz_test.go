package main

import (
	"testing"
)

// FuzzDecodeConfig feeds arbitrary data source and endpoint configs to the
// decoder: it must return a value or an error, never panic.
func FuzzDecodeConfig(f *testing.F) {
	f.Add([]byte(`{"name":"db","connector":"memory","file":"data/db.json"}`), false)
	f.Add([]byte(`{"model":"Todo","dataSource":"db","basePath":"/todos","readOnly":true}`), false)
	f.Add([]byte("name: db\nconnector: sqlite\nport: 5\n"), true)
	f.Add([]byte(`{"port":"x"}`), false)
	f.Fuzz(func(t *testing.T, data []byte, isYAML bool) {
		var ds datasourceConfig
		if err := decodeConfigData(data, isYAML, &ds); err == nil && ds.Port < -1<<62 {
			t.Logf("decoded %+v", ds)
		}
		var ep endpointConfig
		_ = decodeConfigData(data, isYAML, &ep)
	})
}
