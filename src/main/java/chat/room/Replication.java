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
 * How one node's rooms reach the other nodes' rooms. The single-node form, {@link SingleNode}, does nothing; the clustered
 * one is {@code chat.cluster.ClusterReplication}. Every method is called on the RoomVerticle's context and returns at
 * once: answers come from what this node already knows, so a query is answered in the asker's lane.
 */
public interface Replication {

  /** What the replication may do to its node's rooms: deliver what other nodes send, and evict users. */
  interface NodeRooms {
    /** A room event of another node's user, for this node's members of that room. */
    void deliver(RoomEvent event);

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

  /** Room events of this node's users, as delivered here (one delivery per local instance). */
  void published(List<RoomRegistry.Delivery> deliveries);

  /** A user of this node renamed; its rooms heard it through {@link #published}. */
  void renamed(String oldKey, String newName, String newKey);

  /** A user of this node is gone; its rooms heard it through {@link #published}. */
  void gone(Member member);

  /** The other nodes' members of {@code room}. */
  List<RoomRegistry.Seat> members(String room);

  /** The other nodes' rooms with their member counts. */
  Map<String, Integer> counts();

  /** The display name of another node's user {@code key}, if there is one. */
  Optional<String> nameOf(String key);

  /** How many users the other nodes have. */
  int remoteUserCount();

  /** A private message for another node's user {@code toKey} (found through {@link #nameOf}). */
  void whisper(String toKey, Reply.Whispered whisper);
}
