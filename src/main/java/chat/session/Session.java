package chat.session;

import chat.protocol.Command;
import chat.protocol.Names;
import chat.protocol.Texts;
import java.util.List;

/**
 * The per-connection state machine: awaiting a name, chatting, closed.
 *
 * <p>Pure: it takes decoded lines and answers with {@link Effect}s. A name reservation is asynchronous, so while one
 * is pending ({@link #awaitingReservation()}) the connection holds further lines back and feeds them in order once
 * {@link #onReserved(boolean)} has been called.
 */
public final class Session {

  public static final String LOBBY = "lobby";

  private enum State { AWAITING_NAME, RESERVING_NAME, CHATTING, RESERVING_NICK, CLOSED }

  private final Texts texts;
  private State state = State.AWAITING_NAME;
  private String name;
  private String key;
  private String room;
  private Names.Valid pending;

  public Session(Texts texts) {
    this.texts = texts;
  }

  public List<Effect> start() {
    return List.of(new Effect.Send(texts.prompt()));
  }

  public boolean awaitingReservation() {
    return state == State.RESERVING_NAME || state == State.RESERVING_NICK;
  }

  public boolean registered() {
    return name != null;
  }

  public String name() {
    return name;
  }

  public String room() {
    return room;
  }

  /** A decoded, sanitized line. Must not be called while {@link #awaitingReservation()}. */
  public List<Effect> onLine(String line) {
    return switch (state) {
      case AWAITING_NAME -> onName(line);
      case CHATTING -> line.isBlank() ? List.of() : onCommand(Command.parse(line));
      case RESERVING_NAME, RESERVING_NICK -> throw new IllegalStateException("line while awaiting a reservation");
      case CLOSED -> List.of();
    };
  }

  public List<Effect> onInvalidUtf8() {
    return switch (state) {
      case AWAITING_NAME -> List.of(new Effect.Send(texts.invalidUtf8()), new Effect.Send(texts.prompt()));
      case CLOSED -> List.of();
      default -> List.of(new Effect.Send(texts.invalidUtf8()));
    };
  }

  public List<Effect> onReserved(boolean won) {
    Names.Valid wanted = pending;
    pending = null;
    if (state == State.RESERVING_NAME) {
      if (!won) {
        state = State.AWAITING_NAME;
        return List.of(new Effect.NameRefused(true), new Effect.Send(texts.nameTaken()),
            new Effect.Send(texts.prompt()));
      }
      state = State.CHATTING;
      name = wanted.display();
      key = wanted.key();
      room = LOBBY;
      return List.of(new Effect.Enter(name, key, room));
    }
    state = State.CHATTING;
    if (!won) {
      return List.of(new Effect.NameRefused(true), new Effect.Send(texts.nameInUse(wanted.display())));
    }
    String oldKey = key;
    name = wanted.display();
    key = wanted.key();
    return List.of(new Effect.Rename(oldKey, name, key), new Effect.Release(oldKey));
  }

  /**
   * The connection is gone, for whatever reason: leave the room and give the name back. Must not be called while
   * {@link #awaitingReservation()}: the reservation's outcome decides which name there is to give back.
   */
  public List<Effect> onClosed() {
    if (awaitingReservation()) {
      throw new IllegalStateException("closed while awaiting a reservation");
    }
    State was = state;
    state = State.CLOSED;
    return was == State.CHATTING ? List.of(new Effect.Leave(key), new Effect.Release(key)) : List.of();
  }

  private List<Effect> onName(String line) {
    if (line.isBlank()) {
      return List.of(new Effect.Send(texts.prompt()));
    }
    if (line.strip().equalsIgnoreCase("/quit")) {
      state = State.CLOSED;
      return List.of(new Effect.Close());
    }
    Names.Check check = Names.check(line);
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.NameRefused(false), new Effect.Send(texts.invalidName(invalid.problem())),
          new Effect.Send(texts.prompt()));
    }
    Names.Valid valid = (Names.Valid) check;
    state = State.RESERVING_NAME;
    pending = valid;
    return List.of(new Effect.Reserve(valid.key()));
  }

  private List<Effect> onCommand(Command command) {
    if (command instanceof Command.Say say) {
      return List.of(new Effect.Say(key, say.text()));
    } else if (command instanceof Command.Act act) {
      return List.of(new Effect.Act(key, act.text()));
    } else if (command instanceof Command.Help) {
      return List.of(new Effect.Send(texts.help()));
    } else if (command instanceof Command.Who who) {
      return who(who.room());
    } else if (command instanceof Command.Rooms) {
      return List.of(new Effect.AskRooms());
    } else if (command instanceof Command.Join join) {
      return join(join.room());
    } else if (command instanceof Command.Whisper whisper) {
      return whisper(whisper);
    } else if (command instanceof Command.Nick nick) {
      return nick(nick.name());
    } else if (command instanceof Command.Quit) {
      state = State.CLOSED;
      return List.of(new Effect.Leave(key), new Effect.Release(key), new Effect.Close());
    } else if (command instanceof Command.Usage usage) {
      return List.of(new Effect.Send(texts.usage(usage.usage())));
    }
    return List.of(new Effect.Send(texts.unknownCommand(((Command.Unknown) command).word())));
  }

  private List<Effect> who(String asked) {
    if (asked == null) {
      return List.of(new Effect.AskWho(room));
    }
    Names.Check check = Names.check(asked);
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.Send(texts.invalidRoom(invalid.problem())));
    }
    return List.of(new Effect.AskWho(((Names.Valid) check).key()));
  }

  private List<Effect> join(String asked) {
    Names.Check check = Names.check(asked);
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.Send(texts.invalidRoom(invalid.problem())));
    }
    String wanted = ((Names.Valid) check).key();
    if (wanted.equals(room)) {
      return List.of(new Effect.Send(texts.alreadyInRoom(room)));
    }
    room = wanted;
    return List.of(new Effect.Move(key, room));
  }

  private List<Effect> whisper(Command.Whisper whisper) {
    Names.Check check = Names.check(whisper.name());
    if (check instanceof Names.Invalid) {
      return List.of(new Effect.Send(texts.noSuchUser(whisper.name())));
    }
    String toKey = ((Names.Valid) check).key();
    return List.of(new Effect.Whisper(name, key, toKey, whisper.name(), whisper.text()));
  }

  private List<Effect> nick(String asked) {
    Names.Check check = Names.check(asked);
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.NameRefused(false), new Effect.Send(texts.invalidName(invalid.problem())));
    }
    Names.Valid valid = (Names.Valid) check;
    if (valid.display().equals(name)) {
      return List.of(new Effect.Send(texts.nameInUse(name)));
    }
    if (valid.key().equals(key)) {
      name = valid.display();
      return List.of(new Effect.Rename(key, name, key));
    }
    state = State.RESERVING_NICK;
    pending = valid;
    return List.of(new Effect.Reserve(valid.key()));
  }
}
