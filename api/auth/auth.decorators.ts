import { SetMetadata } from '@nestjs/common';

export const PUBLIC_ROUTE = 'attestflow:public';
export const REQUIRED_ROLES = 'attestflow:roles';

/** The route needs no session (health, login, API docs). */
export const Public = () => SetMetadata(PUBLIC_ROUTE, true);
/** The signed-in user must hold at least one of these roles. */
export const RequireRoles = (...roles: string[]) => SetMetadata(REQUIRED_ROLES, roles);
