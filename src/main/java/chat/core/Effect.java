package chat.core;

/** What a {@link Session} asks its front-end to do; the front-end performs effects in order. */
public sealed interface Effect {

  <R> R accept(Handler<R> handler);

  interface Handler<R> {
    R reserve(Reserve reserve);

    R release(Release release);

    R toRooms(ToRooms toRooms);

    R answer(Answer answer);

    R nameRefused(NameRefused nameRefused);

    R close(Close close);
  }

  /** Reserve a name cluster-wide; the outcome comes back through {@link Session#onReserved(boolean)}. */
  record Reserve(String key) implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.reserve(this);
    }
  }

  record Release(String key) implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.release(this);
    }
  }

  /** A request for the node's rooms, in the user's lane. */
  record ToRooms(Request request) implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.toRooms(this);
    }
  }

  /**
   * An answer for this user: written at once before registration, passed through the rooms in the user's lane after
   * it ({@link Request.Answer}).
   */
  record Answer(Reply reply) implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.answer(this);
    }
  }

  /** A name was refused, at registration or rename; counted by the front-end. */
  record NameRefused(boolean taken) implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.nameRefused(this);
    }
  }

  /** Close the connection once everything before this effect is written. */
  record Close() implements Effect {
    public <R> R accept(Handler<R> handler) {
      return handler.close(this);
    }
  }
}
