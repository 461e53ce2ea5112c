// Package redislock is a [cron.Locker] on Redis, the alternative to
// cron.PostgresLocker for apps whose instances share a Redis server: a job
// marked Once runs on one instance per tick.
//
// Each job has a key (Options.Prefix + the job's name) whose value is the
// random token of the instance that holds it, with a lease (Options.TTL).
// On every tick each instance runs one atomic script: the holder renews
// its lease, a free key is taken (SET NX PX), and a key held by another
// instance is left alone, so exactly one instance runs each tick. Close
// (the scheduler's Stop) deletes the keys this instance holds, only when
// they still hold its token, so another instance takes the job over on its
// next tick; an instance that dies without Close frees its jobs when the
// lease runs out.
//
// It lives in its own package so that apps without Redis do not link
// go-redis.
package redislock
