/**
 * Batch runs past one machine: the rows of `aiconfig batch --queue URL` as
 * BullMQ jobs on Redis, run by `aiconfig worker` processes on any number of
 * machines under a global rate limit, a killed worker's rows taken over.
 *
 * @packageDocumentation
 */
export * from "./batch-queue.js";
export * from "./batch-worker.js";
export * from "./redis-connection.js";
export * from "./redis-token-budget.js";
