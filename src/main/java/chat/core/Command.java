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

  /** Enter {@code room}; {@code moving}: leave every other room first (the line protocol's one current room). */
  record Join(String room, boolean moving) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.join(this);
    }
  }

  record Part(String room) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.part(this);
    }
  }

  /** A private message to the user named {@code to}. */
  record Whisper(String to, String text) implements Command {
    public <R> R accept(Handler<R> handler) {
      return handler.whisper(this);
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
