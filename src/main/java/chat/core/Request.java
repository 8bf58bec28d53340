package chat.core;

/**
 * What a session asks of its node's rooms. Each request names its user by key; the rooms answer in the order the
 * requests arrive, in the one stream they send the user's instance, so every answer to a connection's lines is in
 * line order. Dispatch goes through {@link Handler}.
 */
public sealed interface Request {

  <R> R accept(Handler<R> handler);

  interface Handler<R> {
    R enter(Enter enter);

    R join(Join join);

    R part(Part part);

    R leave(Leave leave);

    R say(Say say);

    R act(Act act);

    R rename(Rename rename);

    R whisper(Whisper whisper);

    R who(Who who);

    R rooms(Rooms rooms);

    R answer(Answer answer);

    R notice(Notice notice);

    R topic(Topic topic);

    R lookup(Lookup lookup);

    R history(History history);

    R mode(Mode mode);

    R everyone(Everyone everyone);
  }

  /** A user registered: known to the rooms, in none yet. */
  record Enter(Member member) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.enter(this);
    }
  }

  record Join(String key, String room) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.join(this);
    }
  }

  record Part(String key, String room, String reason) implements Request {
    public Part(String key, String room) {
      this(key, room, "");
    }

    public <R> R accept(Handler<R> handler) {
      return handler.part(this);
    }
  }

  /** The user is gone: it quits every room it is in. */
  record Leave(String key, String reason) implements Request {
    public Leave(String key) {
      this(key, "");
    }

    public <R> R accept(Handler<R> handler) {
      return handler.leave(this);
    }
  }

  record Say(String key, String room, String text) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.say(this);
    }
  }

  record Act(String key, String room, String text) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.act(this);
    }
  }

  record Rename(String oldKey, String newName, String newKey) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.rename(this);
    }
  }

  /**
   * A private message to {@code toKey}; {@code toAsTyped} names it in a "no such user" reply; {@code notice}: for
   * reading, never answered (IRC NOTICE).
   */
  record Whisper(String key, String toKey, String toAsTyped, String text, boolean notice) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.whisper(this);
    }
  }

  record Who(String key, String room) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.who(this);
    }
  }

  record Rooms(String key) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.rooms(this);
    }
  }

  record Notice(String key, String room, String text) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.notice(this);
    }
  }

  /**
   * Sets the room's topic to {@code text}, or asks for it when {@code text} is null; {@code ifSet}: the question is
   * not answered when the room has no topic (a line user's /join shows a topic only where there is one).
   */
  record Topic(String key, String room, String text, boolean ifSet) implements Request {
    public Topic(String key, String room, String text) {
      this(key, room, text, false);
    }

    public <R> R accept(Handler<R> handler) {
      return handler.topic(this);
    }
  }

  /** Which of {@code keys} are users, cluster-wide; answered with one {@link Reply.Users}. */
  record Lookup(String key, java.util.List<String> keys) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.lookup(this);
    }
  }

  /** Lines of the history of {@code room}, one of the user's rooms; answered with one {@link Reply.History}. */
  record History(String key, String room, RoomHistory.Query query) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.history(this);
    }
  }

  /**
   * Turns mode {@code mode} of the room on or off ({@link RoomModes}): a flag, or the rank of the member
   * {@code member} (as typed; null for a flag).
   */
  record Mode(String key, String room, char mode, boolean on, String member) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.mode(this);
    }
  }

  /** Every user, cluster-wide, with their rooms; answered with one {@link Reply.Users}. */
  record Everyone(String key) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.everyone(this);
    }
  }

  /** A reply the session made itself, passed through the rooms so that it keeps its place in the user's lane. */
  record Answer(String key, Reply reply) implements Request {
    public <R> R accept(Handler<R> handler) {
      return handler.answer(this);
    }
  }
}
