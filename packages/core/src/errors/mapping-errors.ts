/**
 * Runs `work`, rejecting with its error passed through `map`: how each
 * connector turns its driver's errors into sneakpipe's model
 * (`duckdbError`, `kafkaError`, `snowflakeError`) at its boundary.
 */
export async function mappingErrors<T>(map: (error: unknown) => unknown, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw map(error);
  }
}
