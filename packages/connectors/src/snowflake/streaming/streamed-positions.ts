import { LOAD_POSITIONS, type TableSpec } from '@sneakpipe/core';
import { STREAMED_POSITIONS_TABLE } from '../sql.js';

/**
 * The positions the Snowpipe Streaming load method reached: one row per load
 * and partition, appended through the partition's channel of this table's
 * pipe once the load's rows are committed. The channel's committed offset
 * token is the position itself; the rows are its history, and what `status`
 * and the transactional method read (the highest `NEXT_OFFSET` per partition),
 * so the two methods and a channel dropped after 30 idle days all resume
 * from the same place.
 */
export const STREAMED_POSITIONS: TableSpec = {
  // LOAD_POSITIONS' columns, without its key: this table is append-only.
  columns: LOAD_POSITIONS.columns,
  name: STREAMED_POSITIONS_TABLE,
  description: 'Per consumer group, topic and partition: the next offset the Snowpipe Streaming load method reached, one row per load.',
};
