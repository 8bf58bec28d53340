package chat.net;

import io.vertx.core.Context;
import java.util.ArrayList;
import java.util.List;

/**
 * Coalesces writes: connections written to during one event-loop turn are flushed once, together, by a task queued
 * behind the work already waiting on the loop, so a socket receiving many lines in a turn gets one write syscall.
 */
final class Flusher {

  private final Context context;
  private final List<Connection> dirty = new ArrayList<>();
  private boolean scheduled;

  Flusher(Context context) {
    this.context = context;
  }

  void markDirty(Connection connection) {
    dirty.add(connection);
    if (!scheduled) {
      scheduled = true;
      context.runOnContext(v -> flushAll());
    }
  }

  private void flushAll() {
    scheduled = false;
    for (int i = 0; i < dirty.size(); i++) {
      dirty.get(i).flush();
    }
    dirty.clear();
  }
}
