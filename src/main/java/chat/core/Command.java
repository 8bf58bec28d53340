package chat.core;

/**
 * What a registered user asks for, whatever front-end it came through. Room and user names are as the user typed
 * them; the {@link Session} validates them. Dispatch goes through {@link Handler}, so a new command that no handler
 * takes fails to compile.
 */
public sealed interface Command {

  <R> R accept(Handler<R> handler);

  interface Handler<R> {
    R say(Say say);

    R act(Act act);

    R join(Join join);

    R part(Part part);

    R whisper(Whisper whisper);

    R notice(Notice notice);

    R topic(Topic topic);

    R lookup(Lookup lookup);

    R history(History history);

    R mode(Mode mode);

    R everyone(Everyone everyone);

    R nick(Nick nick);

    R who(Who who);

    R rooms(Rooms rooms);

    R help(Help help);

    R quit(Quit quit);

    R incomplete(Incomplete incomplete);

    R unknown(Unknown unknown);
  }

  /** Text for one of the user's rooms. */
  record Say(String room, String text) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.say(this);
    }
  }

  /** An action in one of the user's rooms (/me, CTCP ACTION). */
  record Act(String room, String text) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.act(this);
    }
  }

  /**
   * Enter {@code room}; {@code moving}: leave every other room first and hear the room's topic if it has one (the
   * line protocol's one current room).
   */
  record Join(String room, boolean moving) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.join(this);
    }
  }

  /** Leave {@code room}, saying why ({@code reason} "" for nothing). */
  record Part(String room, String reason) implements Command {
    public Part(String room) {
      this(room, "");
    }

    public <R> R accept(Handler<R> handler) {
      return handler.part(this);
    }
  }

  /** A private message to the user named {@code to}; {@code notice}: for reading, never answered (IRC NOTICE). */
  record Whisper(String to, String text, boolean notice) implements Command {
    public Whisper(String to, String text) {
      this(to, text, false);
    }

    public <R> R accept(Handler<R> handler) {
      return handler.whisper(this);
    }
  }

  /** A notice for one of the user's rooms: read, never answered automatically. */
  record Notice(String room, String text) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.notice(this);
    }
  }

  /** The topic of {@code room}: set it to {@code text}, or ask for it when {@code text} is null. */
  record Topic(String room, String text) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.topic(this);
    }
  }

  /** Which of {@code names} are users, cluster-wide, and the rooms of those on this node. */
  record Lookup(java.util.List<String> names) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.lookup(this);
    }
  }


  /** Lines of the history of {@code room}, one of the user's rooms. */
  record History(String room, RoomHistory.Query query) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.history(this);
    }
  }

  /** Turns a mode of one of the user's rooms on or off: a flag, or the rank of {@code member} (null for a flag). */
  record Mode(String room, char mode, boolean on, String member) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.mode(this);
    }
  }

  /** Every user, cluster-wide, with their rooms. */
  record Everyone() implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.everyone(this);
    }
  }

  record Nick(String name) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.nick(this);
    }
  }

  /** The members of {@code room}, cluster-wide. */
  record Who(String room) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.who(this);
    }
  }

  /** Every non-empty room with its member count, cluster-wide. */
  record Rooms() implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.rooms(this);
    }
  }

  record Help() implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.help(this);
    }
  }

  record Quit() implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.quit(this);
    }
  }

  /** A known command without its arguments; {@code usage} is its grammar, e.g. {@code /join room}. */
  record Incomplete(String usage) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.incomplete(this);
    }
  }

  record Unknown(String word) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.unknown(this);
    }
  }
}
