// The Redis keys the nodes of one deployment share (one prefix, so two deployments may share a Redis).
export interface ClusterKeys {
  /** The engine leader's lease: SET NX PX, renewed by its holder. */
  leader: string;
  /** Followers → leader: accepted fixes, device events, closed-loop changes (a stream). */
  toLeader: string;
  /** The last toLeader entry the leader has folded into a published delta (replay starts after it). */
  toLeaderCursor: string;
  /** Leader → followers: every published delta (a stream). */
  deltas: string;
  /** The leader's whole live picture, re-written now and then: a follower starts from it. */
  picture: string;
  /** Socket.io adapter stream and session prefix. */
  socketStream: string;
  sessionPrefix: string;
}

export function clusterKeys(prefix = 'lianfang'): ClusterKeys {
  return {
    leader: `${prefix}:leader`,
    toLeader: `${prefix}:to-leader`,
    toLeaderCursor: `${prefix}:to-leader:cursor`,
    deltas: `${prefix}:deltas`,
    picture: `${prefix}:picture`,
    socketStream: `${prefix}:socket.io`,
    sessionPrefix: `${prefix}:sio:session:`,
  };
}
