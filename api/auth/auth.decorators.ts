import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'attestflow:public';
export const REQUIRED_ROLES = 'attestflow:roles';
export const ALLOW_PENDING = 'attestflow:allow-pending';

/** The route needs no session (health, login, API docs, CA certificate). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The signed-in user must hold at least one of these roles. */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);
/** Reachable while a password change or TOTP enrolment is still due (everything else is refused). */
export const AllowPending = () => SetMetadata(ALLOW_PENDING, true);
