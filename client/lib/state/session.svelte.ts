// The signed-in user and their tokens, kept in localStorage so a reload stays signed in.
import type { LoginResponse, User } from '../../../server/contract';

const STORAGE_KEY = 'lianfang.session';

export interface Session {
  token: string;
  refreshToken: string;
  user: User;
}

function restore(): Session | null {
  try {
    const raw = localStorage.getItem(STORAGE_KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

class SessionManager {
  #current = $state.raw<Session | null>(restore());

  get current(): Session | null {
    return this.#current;
  }

  set(response: LoginResponse): void {
    this.#current = { token: response.token, refreshToken: response.refreshToken, user: response.user };
    localStorage.setItem(STORAGE_KEY, JSON.stringify(this.#current));
  }

  clear(): void {
    this.#current = null;
    localStorage.removeItem(STORAGE_KEY);
  }
}

export const session = new SessionManager();
