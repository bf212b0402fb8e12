import { api } from '../api/client';

/**
 * When the API last answered this browser. The server ends a session after its idle time without a
 * request; the idle warning counts from here, so any request (a page, a refetch) keeps it alive.
 */
let lastAnsweredAt = Date.now();
const listeners = new Set<() => void>();

api.use({
  onResponse({ response }) {
    if (response.status !== 401) {
      lastAnsweredAt = Date.now();
      listeners.forEach((listener) => listener());
    }
    return response;
  },
});

export const lastRequestAt = () => lastAnsweredAt;
export function onRequestAnswered(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
