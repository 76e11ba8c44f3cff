/**
 * Starts the endpoint that serves a simulator's state (job stores move jobs along on timers) so
 * those timers never outlive it: they stop if the endpoint fails to start, and on close they stop
 * before the endpoint does. Returns the endpoint with that close.
 */
export async function startEndpointForState<E extends { close(): Promise<void> }>(state: { close(): void }, start: () => Promise<E>): Promise<E> {
  let endpoint: E;
  try {
    endpoint = await start();
  } catch (error) {
    state.close();
    throw error;
  }
  return {
    ...endpoint,
    close: async () => {
      state.close();
      await endpoint.close();
    },
  };
}
