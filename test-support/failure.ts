/** The error `work` rejects with; throws if it resolves (the tests of the error mappings expect a failure). */
export async function failureOf<E = unknown>(work: () => Promise<unknown>): Promise<E> {
  try {
    await work();
  } catch (error) {
    return error as E;
  }
  throw new Error('expected a failure');
}
