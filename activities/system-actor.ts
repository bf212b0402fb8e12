/** The name the audit trail and the record PDF show for steps a process takes by itself (timers, effects). */
export const SYSTEM_ACTOR_NAME = 'Attestflow (process timer)';
