package chat.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import chat.vertx.EventLoopHooks;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One NetServerVerticle instance's pending output, written and flushed once per event-loop iteration.
 *
 * <p>Room lines are appended to one buffer per room, encoded once; at the end of the iteration each member of the
 * room gets that buffer in a single write, so a socket costs one outbound entry and one syscall per iteration however
 * many lines its room produced. Connections written to directly are flushed at the same moment.
 *
 * <p>Order is kept by releasing a room's pending buffer early whenever something could overtake it: before the room's
 * membership changes (a newcomer must not see lines from before its join, a leaver must get what came before its
 * leave) and before a direct line to one of its members.
 *
 * <p>Room events arrive as one event-loop task each; Netty's tail tasks run once the iteration's whole batch of tasks
 * is done, which is what makes the batching effective.
 */
final class Outbox {

  private final EventLoopHooks loop;
  private final LocalRooms rooms;
  private final Runnable endOfIteration = this::endOfIteration;
  private final Map<String, ByteBuf> roomLines = new HashMap<>();
  private final List<SocketOutput> dirty = new ArrayList<>();
  private boolean scheduled;

  Outbox(EventLoopHooks loop, LocalRooms rooms) {
    this.loop = loop;
    this.rooms = rooms;
  }

  /** Queues {@code line} for every member the room has when the line is released. */
  void toRoom(String room, String line) {
    ByteBuf pending = roomLines.get(room);
    if (pending == null) {
      roomLines.put(room, encode(line));
    } else {
      appendLine(pending, line);
    }
    schedule();
  }

  /** One server line as bytes, encoded once however many sockets it goes to. */
  static ByteBuf encode(String line) {
    ByteBuf buf = PooledByteBufAllocator.DEFAULT.directBuffer(ByteBufUtil.utf8MaxBytes(line) + 1);
    appendLine(buf, line);
    return buf;
  }

  private static void appendLine(ByteBuf buf, String line) {
    ByteBufUtil.writeUtf8(buf, line);
    buf.writeByte('\n');
  }

  /** Writes the room's pending lines to its current members now. */
  void release(String room) {
    ByteBuf pending = roomLines.remove(room);
    if (pending != null) {
      for (Connection member : rooms.in(room)) {
        member.write(pending.retainedDuplicate());
      }
      pending.release();
    }
  }

  /** {@code output} was written to and needs a flush at the end of the iteration. */
  void markDirty(SocketOutput output) {
    dirty.add(output);
    schedule();
  }

  private void schedule() {
    if (!scheduled) {
      scheduled = true;
      loop.afterIteration(endOfIteration);
    }
  }

  private void endOfIteration() {
    scheduled = false;
    if (!roomLines.isEmpty()) {
      for (String room : List.copyOf(roomLines.keySet())) {
        release(room);
      }
    }
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
