/**
 * Who is online in the console, as assignment needs to know it. Assignment owns this interface;
 * the realtime part implements it from the agents' connected sockets (on every node), so no
 * module touches Socket.io (docs/ARCHITECTURE.md, "Facts and the one publisher").
 */
export interface AgentPresence {
  /** The ids of agents with a connected console socket now; none while nothing listens. */
  onlineAgentIds(): Promise<string[]>;
}
