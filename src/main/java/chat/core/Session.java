package chat.core;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * One user's state, whatever its front-end: awaiting a name, chatting in zero or more rooms, closed.
 *
 * <p>Pure: it takes a name or {@link Command}s and answers with {@link Effect}s. A name reservation is asynchronous,
 * so while one is pending ({@link #awaitingReservation()}) the front-end holds further input back and feeds it in
 * order once {@link #onReserved(boolean)} has been called.
 */
public final class Session implements Command.Handler<List<Effect>> {

  private enum State { AWAITING_NAME, RESERVING_NAME, CHATTING, RESERVING_NICK, CLOSED }

  private final String instance;
  private final long connection;
  private final String firstRoom;
  private final Set<String> rooms = new LinkedHashSet<>();
  private State state = State.AWAITING_NAME;
  private String name;
  private String key;
  private Names.Valid pending;

  /**
   * A user of connection {@code connection} on front-end instance {@code instance}; on registration it enters
   * {@code firstRoom}, or no room when null.
   */
  public Session(String instance, long connection, String firstRoom) {
    this.instance = instance;
    this.connection = connection;
    this.firstRoom = firstRoom;
  }

  public List<Effect> start() {
    return List.of(answer(new Reply.Prompt()));
  }

  public boolean awaitingReservation() {
    return state == State.RESERVING_NAME || state == State.RESERVING_NICK;
  }

  public boolean registered() {
    return name != null;
  }

  public boolean closed() {
    return state == State.CLOSED;
  }

  public String name() {
    return name;
  }

  /** The name's case-insensitive identity (see {@link Names#key}); null before registration. */
  public String key() {
    return key;
  }

  /** The rooms the user is in, in the order it entered them. */
  public Set<String> rooms() {
    return Collections.unmodifiableSet(rooms);
  }

  /** A name offered before registration. Must not be called while {@link #awaitingReservation()}. */
  public List<Effect> register(String offered) {
    if (state != State.AWAITING_NAME) {
      throw new IllegalStateException("a name offered in state " + state);
    }
    if (offered.isBlank()) {
      return List.of(answer(new Reply.Prompt()));
    }
    Names.Check check = Names.check(offered);
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.NameRefused(false), answer(new Reply.InvalidName(offered.strip(), invalid.problem())),
          answer(new Reply.Prompt()));
    }
    pending = (Names.Valid) check;
    state = State.RESERVING_NAME;
    return List.of(new Effect.Reserve(pending.key()));
  }

  /**
   * A command of the registered user, or {@link Command.Quit} at the name prompt. Must not be called while
   * {@link #awaitingReservation()}.
   */
  public List<Effect> onCommand(Command command) {
    if (state == State.CLOSED) {
      return List.of();
    }
    boolean quitAtPrompt = state == State.AWAITING_NAME && command instanceof Command.Quit;
    if (state != State.CHATTING && !quitAtPrompt) {
      throw new IllegalStateException("a command in state " + state);
    }
    return command.accept(this);
  }

  public List<Effect> onInvalidUtf8() {
    return switch (state) {
      case AWAITING_NAME -> List.of(answer(new Reply.InvalidUtf8()), answer(new Reply.Prompt()));
      case CHATTING -> List.of(answer(new Reply.InvalidUtf8()));
      case CLOSED -> List.of();
      case RESERVING_NAME, RESERVING_NICK -> throw new IllegalStateException("input while awaiting a reservation");
    };
  }

  public List<Effect> onReserved(boolean won) {
    Names.Valid wanted = pending;
    pending = null;
    if (state == State.RESERVING_NAME) {
      if (!won) {
        state = State.AWAITING_NAME;
        return List.of(new Effect.NameRefused(true), answer(new Reply.NameTaken(wanted.display())),
            answer(new Reply.Prompt()));
      }
      state = State.CHATTING;
      name = wanted.display();
      key = wanted.key();
      List<Effect> effects = new ArrayList<>(2);
      effects.add(toRooms(new Request.Enter(new Member(name, key, instance, connection))));
      if (firstRoom != null) {
        rooms.add(firstRoom);
        effects.add(toRooms(new Request.Join(key, firstRoom)));
      }
      return effects;
    }
    if (state != State.RESERVING_NICK) {
      throw new IllegalStateException("a reservation outcome in state " + state);
    }
    state = State.CHATTING;
    if (!won) {
      return List.of(new Effect.NameRefused(true), answer(new Reply.NameInUse(wanted.display())));
    }
    String oldKey = key;
    name = wanted.display();
    key = wanted.key();
    return List.of(toRooms(new Request.Rename(oldKey, name, key)), new Effect.Release(oldKey));
  }

  /**
   * The connection is gone, for whatever reason: leave every room and give the name back. Must not be called while
   * {@link #awaitingReservation()}: the reservation's outcome decides which name there is to give back.
   */
  public List<Effect> onClosed() {
    return onClosed("");
  }

  /** As {@link #onClosed()}, with the user's reason for leaving ("" for none). */
  public List<Effect> onClosed(String reason) {
    if (awaitingReservation()) {
      throw new IllegalStateException("closed while awaiting a reservation");
    }
    State was = state;
    state = State.CLOSED;
    rooms.clear();
    return was == State.CHATTING ? List.of(toRooms(new Request.Leave(key, reason)), new Effect.Release(key))
        : List.of();
  }

  // Commands.

  @Override
  public List<Effect> say(Command.Say say) {
    return inRoom(say.room(), room -> toRooms(new Request.Say(key, room, say.text())));
  }

  @Override
  public List<Effect> act(Command.Act act) {
    return inRoom(act.room(), room -> toRooms(new Request.Act(key, room, act.text())));
  }

  @Override
  public List<Effect> join(Command.Join join) {
    Names.Check check = Names.check(join.room());
    if (check instanceof Names.Invalid invalid) {
      return List.of(answer(new Reply.InvalidRoom(join.room(), invalid.problem())));
    }
    String room = ((Names.Valid) check).key();
    if (rooms.contains(room)) {
      return List.of(answer(new Reply.AlreadyInRoom(room)));
    }
    List<Effect> effects = new ArrayList<>(rooms.size() + 1);
    if (join.moving()) {
      rooms.forEach(left -> effects.add(toRooms(new Request.Part(key, left))));
      rooms.clear();
    }
    rooms.add(room);
    effects.add(toRooms(new Request.Join(key, room)));
    if (join.moving()) {
      effects.add(toRooms(new Request.Topic(key, room, null, true)));
    }
    return effects;
  }

  @Override
  public List<Effect> part(Command.Part part) {
    return inRoom(part.room(), room -> {
      rooms.remove(room);
      return toRooms(new Request.Part(key, room, part.reason()));
    });
  }

  @Override
  public List<Effect> whisper(Command.Whisper whisper) {
    Names.Check check = Names.check(whisper.to());
    if (check instanceof Names.Invalid) {
      return List.of(answer(new Reply.NoSuchUser(whisper.to())));
    }
    return List.of(toRooms(new Request.Whisper(key, ((Names.Valid) check).key(), whisper.to(), whisper.text(),
        whisper.notice())));
  }

  @Override
  public List<Effect> notice(Command.Notice notice) {
    return inRoom(notice.room(), room -> toRooms(new Request.Notice(key, room, notice.text())));
  }

  @Override
  public List<Effect> topic(Command.Topic topic) {
    Names.Check check = Names.check(topic.room());
    if (check instanceof Names.Invalid invalid) {
      return List.of(answer(new Reply.InvalidRoom(topic.room(), invalid.problem())));
    }
    String room = ((Names.Valid) check).key();
    if (topic.text() != null && !rooms.contains(room)) {
      return List.of(answer(new Reply.NotInRoom(room)));
    }
    return List.of(toRooms(new Request.Topic(key, room, topic.text())));
  }

  @Override
  public List<Effect> lookup(Command.Lookup lookup) {
    List<String> keys = lookup.names().stream()
        .map(Names::check)
        .map(check -> check instanceof Names.Valid valid ? valid.key() : "")
        .toList();
    return List.of(toRooms(new Request.Lookup(key, keys)));
  }

  @Override
  public List<Effect> mode(Command.Mode mode) {
    return inRoom(mode.room(), room -> toRooms(new Request.Mode(key, room, mode.mode(), mode.on(), mode.member())));
  }

  @Override
  public List<Effect> everyone(Command.Everyone everyone) {
    return List.of(toRooms(new Request.Everyone(key)));
  }

  @Override
  public List<Effect> nick(Command.Nick nick) {
    Names.Check check = Names.check(nick.name());
    if (check instanceof Names.Invalid invalid) {
      return List.of(new Effect.NameRefused(false), answer(new Reply.InvalidName(nick.name().strip(), invalid.problem())));
    }
    Names.Valid valid = (Names.Valid) check;
    if (valid.display().equals(name)) {
      return List.of(answer(new Reply.NameInUse(name)));
    }
    if (valid.key().equals(key)) {
      // Only the case changes: the name is this user's already, nothing to reserve.
      name = valid.display();
      return List.of(toRooms(new Request.Rename(key, name, key)));
    }
    state = State.RESERVING_NICK;
    pending = valid;
    return List.of(new Effect.Reserve(valid.key()));
  }

  @Override
  public List<Effect> history(Command.History history) {
    return inRoom(history.room(), room -> toRooms(new Request.History(key, room, history.query())));
  }

  @Override
  public List<Effect> who(Command.Who who) {
    Names.Check check = Names.check(who.room());
    if (check instanceof Names.Invalid invalid) {
      return List.of(answer(new Reply.InvalidRoom(who.room(), invalid.problem())));
    }
    return List.of(toRooms(new Request.Who(key, ((Names.Valid) check).key())));
  }

  @Override
  public List<Effect> rooms(Command.Rooms rooms) {
    return List.of(toRooms(new Request.Rooms(key)));
  }

  @Override
  public List<Effect> help(Command.Help help) {
    return List.of(answer(new Reply.Help()));
  }

  @Override
  public List<Effect> quit(Command.Quit quit) {
    boolean wasRegistered = state == State.CHATTING;
    state = State.CLOSED;
    rooms.clear();
    return wasRegistered
        ? List.of(toRooms(new Request.Leave(key)), new Effect.Release(key), new Effect.Close())
        : List.of(new Effect.Close());
  }

  @Override
  public List<Effect> incomplete(Command.Incomplete incomplete) {
    return List.of(answer(new Reply.Usage(incomplete.usage())));
  }

  @Override
  public List<Effect> unknown(Command.Unknown unknown) {
    return List.of(answer(new Reply.UnknownCommand(unknown.word())));
  }

  // A room key the user is in needs no validation: the line protocol names its current room on every message.
  private List<Effect> inRoom(String asked, Function<String, Effect> inside) {
    if (rooms.contains(asked)) {
      return List.of(inside.apply(asked));
    }
    Names.Check check = Names.check(asked);
    if (check instanceof Names.Invalid invalid) {
      return List.of(answer(new Reply.InvalidRoom(asked, invalid.problem())));
    }
    String room = ((Names.Valid) check).key();
    return rooms.contains(room) ? List.of(inside.apply(room)) : List.of(answer(new Reply.NotInRoom(room)));
  }

  private static Effect answer(Reply reply) {
    return new Effect.Answer(reply);
  }

  private static Effect toRooms(Request request) {
    return new Effect.ToRooms(request);
  }
}
