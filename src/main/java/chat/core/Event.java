package chat.core;

/**
 * What the rooms send a front-end instance, in one ordered stream per instance: room events for its members, and
 * what concerns one of its connections alone. Dispatch goes through {@link Handler}.
 */
public sealed interface Event permits RoomEvent, Event.Direct, Event.Evict, Event.Gone {

  <R> R accept(Handler<R> handler);

  interface Handler<R> {
    R room(RoomEvent event);

    R direct(Direct direct);

    R evict(Evict evict);

    R gone(Gone gone);
  }

  /** A reply for one connection, after everything the rooms sent it before. */
  record Direct(long connection, Reply reply) implements Event {
    public <R> R accept(Handler<R> handler) {
      return handler.direct(this);
    }
  }

  /**
   * The connection's node is rejoining a cluster that has announced its users' leaves already: the user is told and
   * disconnected, silently for everyone else.
   */
  record Evict(long connection) implements Event {
    public <R> R accept(Handler<R> handler) {
      return handler.evict(this);
    }
  }

  /**
   * The user quit, and the rooms have sent everything its lines caused: the connection may close now without losing
   * an answer still in its lane (a {@code /who} written just before {@code /quit}).
   */
  record Gone(long connection) implements Event {
    public <R> R accept(Handler<R> handler) {
      return handler.gone(this);
    }
  }
}
