import type { EngineEvent } from '../../shared/contract/events';

/** An emit function that keeps every event, for assertions on what a front would show. */
export function collectEvents(): { emit: (event: EngineEvent) => void; events: EngineEvent[] } {
  const events: EngineEvent[] = [];
  return { emit: (event) => events.push(event), events };
}
