package chat.core;

import java.util.List;
import java.util.Map;

/**
 * An answer for one user alone, as data: each front-end renders it in its own wire format. Replies travel in the
 * user's lane (see {@link Request.Answer}), so they arrive in the order of the lines that caused them.
 */
public sealed interface Reply {

  <R> R accept(Handler<R> handler);

  interface Handler<R> {
    R prompt(Prompt prompt);

    R nameTaken(NameTaken nameTaken);

    R invalidName(InvalidName invalidName);

    R nameInUse(NameInUse nameInUse);

    R invalidRoom(InvalidRoom invalidRoom);

    R alreadyInRoom(AlreadyInRoom alreadyInRoom);

    R notInRoom(NotInRoom notInRoom);

    R notOperator(NotOperator notOperator);

    R noSuchUser(NoSuchUser noSuchUser);

    R whispered(Whispered whispered);

    R who(Who who);

    R roomList(RoomList roomList);

    R help(Help help);

    R usage(Usage usage);

    R unknownCommand(UnknownCommand unknownCommand);

    R invalidUtf8(InvalidUtf8 invalidUtf8);

    R refused(Refused refused);
    R topic(Topic topic);

    R users(Users users);

    R relay(Relay relay);

    R history(History history);
  }

  /** The server waits for a name. */
  record Prompt() implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.prompt(this);
    }
  }

  /** At registration: someone holds the name. */
  record NameTaken(String name) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.nameTaken(this);
    }
  }

  record InvalidName(String name, Names.Problem problem) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.invalidName(this);
    }
  }

  /** At a rename: someone holds the name, or it is the user's own already. */
  record NameInUse(String name) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.nameInUse(this);
    }
  }

  record InvalidRoom(String room, Names.Problem problem) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.invalidRoom(this);
    }
  }

  record AlreadyInRoom(String room) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.alreadyInRoom(this);
    }
  }

  record NotInRoom(String room) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.notInRoom(this);
    }
  }

  /** Only an operator of the room may do that ({@link RoomModes}). */
  record NotOperator(String room) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.notOperator(this);
    }
  }

  /** {@code name} as the user typed it. */
  record NoSuchUser(String name) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.noSuchUser(this);
    }
  }

  /**
   * A private message, as its recipient and its sender each receive it. {@code at}: server time, micros;
   * {@code notice}: for reading, never answered (IRC NOTICE).
   */
  record Whispered(String from, String to, String text, long at, boolean notice) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.whispered(this);
    }
  }

  /** The members of {@code room}, in the order they entered it, and the room's modes. */
  record Who(String room, List<String> names, RoomModes modes) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.who(this);
    }
  }

  /** Every non-empty room with its member count, sorted by room. */
  record RoomList(Map<String, Integer> counts) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.roomList(this);
    }
  }

  record Help() implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.help(this);
    }
  }

  record Usage(String grammar) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.usage(this);
    }
  }

  record UnknownCommand(String word) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.unknownCommand(this);
    }
  }

  /** The topic of {@code room}: {@code text} null when it has none; {@code by} and {@code at} (micros) when set. */
  record Topic(String room, String text, String by, long at) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.topic(this);
    }
  }

  /**
   * One user found by a lookup: {@code rooms} are known for users of the asking node (empty otherwise), and for every
   * user listed by {@link Request.Everyone}.
   */
  record User(String name, List<String> rooms) {
  }

  /**
   * The answer to a lookup: the users found among those asked, in the order asked (every user when none is asked
   * for by {@link Request.Everyone}); {@code here} users on the asking node, {@code total} in the cluster, and the
   * most each has had at once ({@link RoomRegistry#peakTotal}).
   */
  record Users(List<String> asked, List<User> found, int here, int total, int peakHere, int peakTotal)
      implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.users(this);
    }
  }

  /**
   * A reply made by the front-end itself, opaque to the core, passed through the user's lane so that it keeps its
   * place among the answers (an IRC PONG after everything the client's earlier lines caused).
   */
  record Relay(Object payload) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.relay(this);
    }
  }

  record InvalidUtf8() implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.invalidUtf8(this);
    }
  }

  /**
   * A front-end's own refusal of a client's message (malformed, say), by a code of its protocol: sent as
   * {@link Request.Answer} so that it keeps its place in the user's lane like every other answer.
   */
  record Refused(String code, String text) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.refused(this);
    }
  }

  /**
   * Lines of a room's history, oldest first: {@code replay} when they are the ones a user is shown on entering the
   * room, before its live lines; otherwise the answer to a question about the history.
   */
  record History(String room, List<RoomHistory.Line> lines, boolean replay) implements Reply {
    public <R> R accept(Handler<R> handler) {
      return handler.history(this);
    }
  }
}
