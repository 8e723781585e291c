/** Formats one server-sent event (`event:` line only when named). `data` must not contain newlines. */
export function formatServerSentEvent(data: string, event?: string): string {
  return event === undefined ? `data: ${data}\n\n` : `event: ${event}\ndata: ${data}\n\n`;
}
