package memory_test

import (
	"github.com/loopback-go/lb/connector"
	"github.com/loopback-go/lb/connector/memory"
)

// The memory connector has both performance capabilities; losing one would
// silently send the CRUD API down the slower record path.
var (
	_ connector.JSONFinder   = (*memory.Connector)(nil)
	_ connector.OwnedCreator = (*memory.Connector)(nil)
)
