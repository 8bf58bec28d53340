package chat.room;

import chat.core.Member;
import chat.core.Reply;
import chat.core.RoomEvent;
import chat.core.RoomRegistry;
import io.vertx.core.Future;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How one node's rooms reach the other nodes' rooms, and where each room's order comes from. The single-node form,
 * {@link SingleNode}, orders each room itself, at once; the clustered one is {@code chat.cluster.ClusterReplication},
 * where a room's order is the sequence of a Hazelcast ringbuffer. Every method is called on the RoomVerticle's context
 * and returns at once: answers come from what this node already knows, so a query is answered in the asker's lane.
 */
public interface Replication {

  /**
   * A room event of this node's user {@code connection} (on front-end {@code instance}), to be put in its room's
   * order, with {@code local}, its deliveries on this node, made when the request was handled; {@code index} counts the
   * connection's own events (1, 2, ...), so that they are delivered in the order of its lines whatever their rooms.
   */
  record Own(RoomEvent event, List<RoomRegistry.Delivery> local, String instance, long connection, long index) {
  }

  /** What the replication may do to its node's rooms: deliver what other nodes send, and evict users. */
  interface NodeRooms {
    /**
     * A room event at its place ({@code seq}) in its room's order, for this node's members of the room: {@code own}
     * when it is one of this node's (from {@link #order}), null for another node's. Called in each room's order.
     */
    void sequenced(long seq, RoomEvent event, Own own);

    /** A room event that came before this node followed the room: history only, nothing to deliver. */
    void earlier(long seq, RoomEvent event);

    /** {@code own} could not be put in its room's order: it never happened, and its sender is told. */
    void refused(Own own);

    /** Whether this node has users in {@code room}: it follows the rooms it has users in. */
    boolean hasMembers(String room);

    /** This node stops following {@code room}: what it kept of the room's lines would go stale. */
    void unfollowed(String room);

    /**
     * A change of membership, name, topic or modes by another node's user, as published: every node keeps every
     * room's topic and modes, followed or not.
     */
    void track(RoomEvent change);

    /** A private message from another node's user to this node's user {@code toKey}. */
    void deliverWhisper(String toKey, Reply.Whispered whisper);

    /** This node is rejoining a cluster that has announced its users' leaves: tell them, disconnect them. */
    void evictEveryone();

    /**
     * {@code member}'s name turned out to be held on another node as well: its leave is announced, and it is told and
     * disconnected. Nothing happens if it is no longer this node's user.
     */
    void evict(Member member);

    /** Whether {@code member} is still this node's user (not gone, renamed or evicted since). */
    boolean holds(Member member);

    /** This node's users, for a stopping node's own announcements. */
    Collection<Member> members();
  }

  /** Called once, before the node serves: registrations and what this node must know of the others. */
  Future<Void> start(NodeRooms rooms);

  /** A user of this node registered. */
  void entered(Member member);

  /** A room event of this node's user: into its room's order, then back through {@link NodeRooms#sequenced}. */
  void order(Own own);

  /** A user of this node renamed; its rooms heard it through {@link #order}. */
  void renamed(String oldKey, String newName, String newKey);

  /** A user of this node is gone; its rooms heard it through {@link #order}. */
  void gone(Member member);

  /** The other nodes' members of {@code room}. */
  List<RoomRegistry.Seat> members(String room);

  /** The other nodes' rooms with their member counts. */
  Map<String, Integer> counts();

  /** The display name of another node's user {@code key}, if there is one. */
  Optional<String> nameOf(String key);

  /** The other nodes' users, each with its rooms. */
  List<Reply.User> users();

  /** How many users the other nodes have. */
  int remoteUserCount();

  /** A private message for another node's user {@code toKey} (found through {@link #nameOf}). */
  void whisper(String toKey, Reply.Whispered whisper);
}
