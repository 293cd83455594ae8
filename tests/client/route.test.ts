import { describe, expect, it } from 'vitest';
import { viewFor } from '../../client/lib/state/route';

describe('viewFor', () => {
  it('follows the path, else the role', () => {
    expect(viewFor('/tablet', 'operator')).toBe('tablet');
    expect(viewFor('/wall', 'leader')).toBe('wall');
    expect(viewFor('/', 'leader')).toBe('tablet');
    expect(viewFor('/', 'staff')).toBe('tablet');
    expect(viewFor('/', 'operator')).toBe('wall');
    expect(viewFor('/', 'admin')).toBe('wall');
  });
});
