package chat.web;

import chat.core.Command;
import chat.core.InputText;
import chat.core.Names;
import chat.core.Reply;
import chat.core.RoomEvent;
import chat.core.RoomHistory;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * The WebSocket protocol, pure: one JSON object per text frame each way, its kind in {@code type}. Client messages
 * become core {@link Command}s; events and replies become JSON. Grammar and examples: docs/websocket.md.
 */
public final class WebProtocol implements Reply.Handler<JsonObject> {

  /** What a client message asks for. */
  public sealed interface Input permits Register, ToSession, Refused, Ignored {
  }

  /** A blank {@code say}: dropped, as the line protocol drops a blank line. */
  public record Ignored() implements Input {
  }

  /** {@code {"type":"register","name":"alice"}} */
  public record Register(String name) implements Input {
  }

  /** A command for the registered session (or {@code quit}, taken at any time). */
  public record ToSession(Command command) implements Input {
  }

  /** A message the server cannot take: answered with an error event, {@code counted} as rejected input or not. */
  public record Refused(String code, String text, boolean counted) implements Input {
  }

  public Input parse(String frame) {
    JsonObject message;
    try {
      message = new JsonObject(frame);
    } catch (DecodeException | ClassCastException e) {
      return new Refused("invalid_json", "not a JSON object", true);
    }
    if (!(message.getValue("type") instanceof String type)) {
      return new Refused("unknown_type", "missing \"type\"", true);
    }
    try {
      return switch (type) {
        // {"type":"register","name":N}
        case "register" -> new Register(field(message, "name"));
        // {"type":"say","room":R,"text":T}
        case "say" -> field(message, "text").isBlank()
            ? new Ignored()
            : command(new Command.Say(field(message, "room"), field(message, "text")));
        // {"type":"act","room":R,"text":T}  (/me)
        case "act" -> command(new Command.Act(field(message, "room"), text(message)));
        // {"type":"msg","to":N,"text":T}
        case "msg" -> command(new Command.Whisper(field(message, "to"), text(message)));
        // {"type":"join","room":R}: one more room; a web user may be in several
        case "join" -> command(new Command.Join(field(message, "room"), false));
        // {"type":"part","room":R}
        case "part" -> command(new Command.Part(field(message, "room")));
        // {"type":"nick","name":N}
        case "nick" -> command(new Command.Nick(field(message, "name")));
        // {"type":"who","room":R}
        case "who" -> command(new Command.Who(field(message, "room")));
        // {"type":"rooms"}
        case "rooms" -> command(new Command.Rooms());
        // {"type":"history","room":R[,"limit":N]}: the room's last N lines (default: as many as it keeps)
        case "history" -> command(new Command.History(field(message, "room"),
            RoomHistory.Query.latest(limit(message))));
        // {"type":"quit"}
        case "quit" -> command(new Command.Quit());
        // {"type":"topic","room":R[,"text":T]}: without text, asks for the topic; with text, sets it ("" clears)
        case "topic" -> command(new Command.Topic(field(message, "room"),
            message.containsKey("text") ? field(message, "text") : null));
        default -> new Refused("unknown_type", "unknown type \"" + clip(type) + "\"", true);
      };
    } catch (MissingField missing) {
      return new Refused("bad_message", type + " needs " + missing.getMessage(), true);
    }
  }

  private static String text(JsonObject message) {
    String text = field(message, "text");
    if (text.isBlank()) {
      throw new MissingField("a non-blank \"text\"");
    }
    return text;
  }

  private static int limit(JsonObject message) {
    Object limit = message.getValue("limit");
    if (limit == null) {
      return Integer.MAX_VALUE;
    }
    if (!(limit instanceof Number n) || n.doubleValue() != n.longValue() || n.longValue() < 1) {
      throw new MissingField("a positive integer \"limit\"");
    }
    return (int) Math.min(n.longValue(), Integer.MAX_VALUE);
  }

  private static Input command(Command command) {
    return new ToSession(command);
  }

  // Text fields are sanitised as the line protocol's lines are: no control characters reach the core.
  private static String field(JsonObject message, String name) {
    if (!(message.getValue(name) instanceof String value)) {
      throw new MissingField("a string \"" + name + "\"");
    }
    return InputText.sanitize(value);
  }

  private static String clip(String text) {
    return text.length() > 32 ? text.substring(0, 32) + "…" : text;
  }

  private static final class MissingField extends RuntimeException {
    MissingField(String field) {
      super(field, null, false, false);
    }
  }

  // Server → client.

  /**
   * {@code joined}, {@code left}, {@code said}, {@code acted}, {@code noticed}, {@code nick}, {@code topic},
   * {@code mode} (an IRC operator's change, with {@code member} when it ranks one): each with room, name and time.
   */
  public JsonObject room(RoomEvent event) {
    JsonObject json = switch (event.kind()) {
      case JOINED -> event("joined");
      case PARTED -> event("left").put("reason", "part");
      case QUIT -> event("left").put("reason", "quit");
      case SAID -> event("said").put("text", event.text());
      case ACTED -> event("acted").put("text", event.text());
      case RENAMED -> event("nick").put("newName", event.other());
      case NOTICED -> event("noticed").put("text", event.text());
      case TOPIC -> event("topic").put("text", event.text());
      case MODE -> event("mode").put("change", event.text()).put("member", event.other());
    };
    return json.put("room", event.room()).put("name", event.name()).put("time", event.at() / 1000);
  }

  public JsonObject reply(Reply reply) {
    return reply.accept(this);
  }

  /**
   * {@code history}: a room's past lines, oldest first, each as its live event with its position {@code seq} in the
   * room's order; {@code replay} true for the lines shown on joining (before the live ones), false for an answer to
   * a {@code history} message.
   */
  @Override
  public JsonObject history(Reply.History history) {
    JsonArray lines = new JsonArray();
    history.lines().forEach(line -> lines.add(room(line.event()).put("seq", line.seq())));
    return event("history").put("room", history.room()).put("replay", history.replay()).put("lines", lines)
        .put("time", now());
  }

  /** Registration succeeded: {@code name} as shown to everyone. */
  public JsonObject registered(String name) {
    return event("registered").put("name", name).put("time", now());
  }

  public JsonObject error(String code, String text) {
    return event("error").put("code", code).put("text", text).put("time", now());
  }

  /** Something the server says, not a user: shutting down, timed out, rejoining the cluster. */
  public JsonObject notice(String code, String text) {
    return event("notice").put("code", code).put("text", text).put("time", now());
  }

  @Override
  public JsonObject prompt(Reply.Prompt prompt) {
    return event("prompt").put("time", now());
  }

  @Override
  public JsonObject nameTaken(Reply.NameTaken nameTaken) {
    return error("name_taken", "the name " + nameTaken.name() + " is taken").put("name", nameTaken.name());
  }

  @Override
  public JsonObject invalidName(Reply.InvalidName invalidName) {
    return error("invalid_name", "invalid name: " + why(invalidName.problem())).put("name", invalidName.name())
        .put("problem", problem(invalidName.problem()));
  }

  @Override
  public JsonObject nameInUse(Reply.NameInUse nameInUse) {
    return error("name_in_use", "the name " + nameInUse.name() + " is in use").put("name", nameInUse.name());
  }

  @Override
  public JsonObject invalidRoom(Reply.InvalidRoom invalidRoom) {
    return error("invalid_room", "invalid room name: " + why(invalidRoom.problem())).put("room", invalidRoom.room())
        .put("problem", problem(invalidRoom.problem()));
  }

  @Override
  public JsonObject alreadyInRoom(Reply.AlreadyInRoom alreadyInRoom) {
    return error("already_in_room", "you are in " + alreadyInRoom.room() + " already")
        .put("room", alreadyInRoom.room());
  }

  @Override
  public JsonObject notInRoom(Reply.NotInRoom notInRoom) {
    return error("not_in_room", "you are not in " + notInRoom.room()).put("room", notInRoom.room());
  }

  @Override
  public JsonObject notOperator(Reply.NotOperator notOperator) {
    return error("not_operator", "only operators of " + notOperator.room() + " may do that")
        .put("room", notOperator.room());
  }

  @Override
  public JsonObject noSuchUser(Reply.NoSuchUser noSuchUser) {
    return error("no_such_user", "no user named " + noSuchUser.name()).put("name", noSuchUser.name());
  }

  @Override
  public JsonObject whispered(Reply.Whispered whispered) {
    return event("private").put("from", whispered.from()).put("to", whispered.to()).put("text", whispered.text())
        .put("time", whispered.at() / 1000);
  }

  @Override
  public JsonObject who(Reply.Who who) {
    return event("who").put("room", who.room()).put("names", new JsonArray(who.names())).put("time", now());
  }

  @Override
  public JsonObject roomList(Reply.RoomList roomList) {
    JsonArray rooms = new JsonArray();
    for (Map.Entry<String, Integer> room : roomList.counts().entrySet()) {
      rooms.add(new JsonObject().put("room", room.getKey()).put("count", room.getValue()));
    }
    return event("rooms").put("rooms", rooms).put("time", now());
  }

  @Override
  public JsonObject help(Reply.Help help) {
    return notice("help", "types: register, say, act, msg, join, part, nick, topic, who, rooms, quit");
  }

  @Override
  public JsonObject usage(Reply.Usage usage) {
    return error("bad_message", "usage: " + usage.grammar());
  }

  @Override
  public JsonObject unknownCommand(Reply.UnknownCommand unknownCommand) {
    return error("unknown_type", "unknown type \"" + clip(unknownCommand.word()) + "\"");
  }

  @Override
  public JsonObject invalidUtf8(Reply.InvalidUtf8 invalidUtf8) {
    return error("invalid_json", "not valid UTF-8");
  }

  @Override
  public JsonObject refused(Reply.Refused refused) {
    return error(refused.code(), refused.text());
  }

  @Override
  public JsonObject topic(Reply.Topic topic) {
    return event("topic").put("room", topic.room()).put("text", topic.text()).put("by", topic.by())
        .put("time", topic.at() / 1000);
  }

  /** The web protocol has no lookup message. */
  @Override
  public JsonObject users(Reply.Users users) {
    throw new IllegalStateException("the web protocol makes no lookups");
  }

  /** The web protocol relays nothing of its own: its refusals are {@link Reply.Refused}. */
  @Override
  public JsonObject relay(Reply.Relay relay) {
    throw new IllegalStateException("the web protocol relays no replies");
  }

  private static JsonObject event(String type) {
    return new JsonObject().put("type", type);
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static String problem(Names.Problem problem) {
    return problem.name().toLowerCase(java.util.Locale.ROOT);
  }

  private static String why(Names.Problem problem) {
    return switch (problem) {
      case EMPTY -> "it is empty";
      case TOO_LONG -> "more than " + Names.MAX_CODE_POINTS + " characters";
      case BAD_START -> "it must start with a letter or digit";
      case BAD_CHARACTER -> "only letters, digits, _ - and . are allowed";
    };
  }
}
