// The query-string parser every route uses: repeated keys join with commas, no prototype keys.
import { describe, expect, it } from 'vitest';
import { parseQueryString } from '../../server/http/query-params';

describe('parseQueryString', () => {
  it('joins repeated keys with commas, like list parameters', () => {
    expect({ ...parseQueryString('status=reported&status=closed&limit=5') }).toEqual({
      status: 'reported,closed',
      limit: '5',
    });
  });

  it('decodes percent escapes and plus signs, and keeps __proto__ as a plain key', () => {
    const query = parseQueryString('q=%E5%87%AD%E7%A5%A5+1&__proto__=x');
    expect(query.q).toBe('凭祥 1');
    expect(query.__proto__).toBe('x');
    expect(Object.getPrototypeOf(query)).toBeNull();
  });
});
