// Package cron runs scheduled jobs as a lifecycle component, as LoopBack's
// @loopback/cron does: jobs start with the app and stop, gracefully, with
// it. Schedules are cron expressions (with an optional seconds field) or
// descriptors such as "@every 30s", parsed by robfig/cron v3 when the job
// is added, with errors that name the job.
//
// # Once across instances
//
// When N instances of an app share a PostgreSQL database, a job marked
// Once runs on one of them per tick: [PostgresLocker] elects the instance
// with a session advisory lock per job. The instance holding the lock runs
// every tick; when it stops (or its database session ends) the lock is
// free and another instance takes the job over on its next tick. Apps
// whose instances share a Redis server instead use the Redis lock of
// package cron/redislock (a lease per job, renewed on every tick).
//
//	s := cron.New(cron.Config{Locker: cron.PostgresLocker(conn.DB())})
//	err := s.Add(cron.Job{Name: "purge", Schedule: "0 0 3 * * *", Once: true, Run: purge})
//	app.Observe(lb.ObserverOf("cron", "cron", s))
package cron
