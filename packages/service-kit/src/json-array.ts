import { Readable } from 'node:stream';

/** Rows of one batch after `afterId` in id order, or none when the table is exhausted. */
export type BatchReader<Row extends { id: number }> = (afterId: number, limit: number) => Promise<Row[]>;

/**
 * Every row as one JSON array, read in id order in batches of short keyset queries and
 * written as it is read. Memory stays at one batch whatever the table's size, and no
 * connection or transaction is held while a slow client reads: each batch borrows a pool
 * connection for one query. The first batch is read before anything is sent, so a database
 * that is down still gets a clean error answer. Rows are not one snapshot: a row changed
 * while the array is being written shows the state it had when its batch was read.
 *
 * Batches are small on purpose: the rows of a larger one, alive while it is turned into JSON,
 * outlive young-generation collections, get promoted, and raise the process's peak while a long
 * listing runs; a few more round trips cost less.
 */
export async function jsonArrayStream<Row extends { id: number }>(
  read: BatchReader<Row>,
  toJson: (row: Row) => string,
  batchSize = 500,
): Promise<Readable> {
  const first = await read(0, batchSize);
  async function* chunks(): AsyncGenerator<string> {
    yield '[' + first.map(toJson).join(',');
    let rows = first;
    while (rows.length === batchSize) {
      rows = await read(rows.at(-1)!.id, batchSize);
      if (rows.length > 0) yield ',' + rows.map(toJson).join(',');
    }
    yield ']';
  }
  return Readable.from(chunks(), { objectMode: false });
}
