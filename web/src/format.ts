/** An instant as people read it, with its zone, in the interface language (e.g. "2 Dec 2026, 09:58 UTC"). */
export function formatInstant(iso: string, language: string): string {
  // dateStyle/timeStyle cannot be combined with timeZoneName, so the fields are named one by one.
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(new Date(iso));
}
