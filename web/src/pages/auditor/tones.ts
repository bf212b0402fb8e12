/**
 * Colours that keep WCAG 2.1 AA contrast (4.5:1) with Mantine's default palette, measured by axe:
 * a light Alert's title is drawn in the colour's shade 9 on its shade 1 (orange 3.6:1, green 3.8:1),
 * and white on a filled badge's shade 8 falls short for green and orange. So alert titles take the
 * body text colour (the tint still tells the tone) and filled badges use shades dark enough for white.
 */
export const READABLE_ALERT_STYLES = { title: { color: 'var(--mantine-color-text)' } } as const;

export const BADGE_TONES = { success: 'teal.9', failure: 'red.9', progress: 'indigo.8', waiting: 'gray.7' } as const;

/** A dossier's status as a filled badge: the same tone on its page and in the list. */
export const DOSSIER_STATUS_TONES = {
  queued: BADGE_TONES.waiting,
  rendering: BADGE_TONES.progress,
  done: BADGE_TONES.success,
  failed: BADGE_TONES.failure,
} as const;
