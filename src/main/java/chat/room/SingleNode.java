package chat.room;

import chat.core.Member;
import chat.core.Reply;
import chat.core.RoomRegistry;
import io.vertx.core.Future;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A node alone: there is nothing to replicate to, and no other node's users to know of. The RoomVerticle's one thread
 * is every room's order: an event takes the next position of this node's one counter (increasing within each room).
 */
public final class SingleNode implements Replication {

  private NodeRooms rooms;
  private long seq;

  @Override
  public Future<Void> start(NodeRooms rooms) {
    this.rooms = rooms;
    return Future.succeededFuture();
  }

  @Override
  public void order(Own own) {
    rooms.sequenced(seq++, own.event(), own);
  }

  @Override
  public void entered(Member member) {
  }

  @Override
  public void renamed(String oldKey, String newName, String newKey) {
  }

  @Override
  public void gone(Member member) {
  }

  @Override
  public List<RoomRegistry.Seat> members(String room) {
    return List.of();
  }

  @Override
  public Map<String, Integer> counts() {
    return Map.of();
  }

  @Override
  public List<Reply.User> users() {
    return List.of();
  }

  @Override
  public int remoteUserCount() {
    return 0;
  }

  @Override
  public Optional<String> nameOf(String key) {
    return Optional.empty();
  }

  @Override
  public void whisper(String toKey, Reply.Whispered whisper) {
  }
}
