/**
 * The name the audit trail and the record PDF show for what a process does by itself: timers,
 * effects (training assigned, made effective) and the child processes it starts.
 */
export const SYSTEM_ACTOR_NAME = 'Attestflow (process)';
