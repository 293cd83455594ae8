// What a new password must be (issue 9): long enough, not the username, not one everybody tries first. Length
// and a blocklist, no composition rules: rules about digits and symbols make passwords worse, not stronger.

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;

/** The first guesses of every password sprayer, plus our own demo password. Compared case-insensitively. */
const COMMON = new Set([
  'lianfang-demo',
  'lianfang',
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'qwertyuiop',
  'qwerty123',
  '1234567890',
  '12345678910',
  '0123456789',
  '1q2w3e4r5t',
  'a123456789',
  'abc1234567',
  'iloveyou123',
  'admin12345',
  'administrator',
  'woaini1314',
  '5201314520',
  'zxcvbnm123',
  '1111111111',
  '0000000000',
  '8888888888',
  '6666666666',
]);

/** Why a password is refused, in words for the user, or null when it is acceptable. */
export function passwordProblem(password: string, username: string): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `a password needs at least ${PASSWORD_MIN_LENGTH} characters`;
  if (length > PASSWORD_MAX_LENGTH) return `a password has at most ${PASSWORD_MAX_LENGTH} characters`;
  const lower = password.toLowerCase();
  if (COMMON.has(lower)) return 'this password is among the first ones attackers try';
  if (username.length >= 3 && lower.includes(username.toLowerCase()))
    return 'a password must not contain the username';
  if (new Set(lower).size < 4) return 'a password needs more than three different characters';
  return null;
}
