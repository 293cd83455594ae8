// The link to the server as the UI shows it: connecting, live or offline, and when data last arrived.
export type LinkStatus = 'connecting' | 'live' | 'offline';

class ConnectionManager {
  status = $state<LinkStatus>('connecting');
  lastMessageAt = $state<number | null>(null);
  epoch = $state<string | null>(null);
  seq = $state(0);
}

export const connection = new ConnectionManager();
