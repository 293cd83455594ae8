// Which view a signed-in user sees: /wall (command center) or /tablet (patrol leader), else by role.
import type { Role } from '../../../server/contract';

export type View = 'wall' | 'tablet';

/** The path names the view; on `/` leaders and grid staff get the tablet, operators and admins the wall. */
export function viewFor(pathname: string, role: Role): View {
  if (pathname.startsWith('/tablet')) return 'tablet';
  if (pathname.startsWith('/wall')) return 'wall';
  return role === 'leader' || role === 'staff' ? 'tablet' : 'wall';
}
