// Package redis is the Redis key-value connector (LoopBack's
// loopback-connector-kv-redis), built on go-redis v9. It implements
// connector.KeyValue, so repository.NewKV gives typed key-value
// repositories on it: get, set with a TTL, delete, deleteAll, expire, ttl,
// and keys with a glob pattern as an iterator.
//
//	c, err := redis.Open(ctx, redis.Config{Addr: "127.0.0.1:6379"})
//	sessions := repository.NewKV[Session](c, model.MustFromStruct[Session]())
//	err = sessions.Set(ctx, "s1", &Session{User: "ann"}, 30*time.Minute)
//
// # Storage
//
// A model's key k is stored at the Redis key Prefix + model name + ":" + k
// (LoopBack's layout), its value as a JSON object; values are read back
// with the model's types (integers as int64, dates as time.Time, buffers
// as []byte). TTLs are Redis's own, in milliseconds. Keys and DeleteAll
// walk the keys with SCAN, so they never block the server.
//
// # Errors
//
// A server that does not answer gives fault.Unavailable errors (503 at the
// REST edge) whose message names the data source, not the client's error
// text; a missing key for Expire or TTL is fault.NotFound. go-redis
// reconnects by itself when the server comes back.
package redis
