import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../../server/domain/password-policy';

describe('password policy', () => {
  it('takes long, uncommon passphrases in any script', () => {
    expect(passwordProblem('correct horse battery', 'leader7')).toBeNull();
    expect(passwordProblem('边境巡逻不怕雨夜长路', 'leader7')).toBeNull();
  });

  it('refuses short, common, username-based and monotonous ones with a reason', () => {
    expect(passwordProblem('short1', 'x')).toMatch(/at least 10/);
    expect(passwordProblem('Lianfang-Demo', 'x')).toMatch(/attackers try/);
    expect(passwordProblem('wangwei-2026!', 'WangWei')).toMatch(/username/);
    expect(passwordProblem('aaaaaaaaaaaa', 'x')).toMatch(/different characters/);
    expect(passwordProblem('x'.repeat(257), 'y')).toMatch(/at most 256/);
  });
});
