package chat.irc;

import chat.bus.Reservations;
import chat.config.ChatConfig;
import chat.core.Command;
import chat.core.Effect;
import chat.core.InputText;
import chat.core.Names;
import chat.core.Reply;
import chat.core.Request;
import chat.core.RoomEvent;
import chat.core.RoomHistory;
import chat.core.RoomModes;
import chat.core.Session;
import chat.net.LineInput;
import chat.ops.ChatMetrics;
import chat.vertx.ChannelOutput;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetSocket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One IRC client: registration (CAP, PASS, NICK, USER), then its commands as core {@link Command}s, and the rooms'
 * events and replies rendered as IRC messages. Lives on its IrcServerVerticle's event loop.
 *
 * <p>The lane: once registered, every reply, the purely local ones included (PONG, 421, the welcome burst), goes
 * through the rooms as a {@link Reply.Relay}, so a client's answers arrive in the order of its lines. A reply the
 * rooms compute (NAMES, WHO, WHOIS, TOPIC) needs the question's context to be rendered; the lane keeps replies in
 * order, so the contexts wait here in a queue per kind of reply.
 */
final class IrcConnection implements LineInput.Target, Effect.Handler<Void>, Reply.Handler<Void> {

  private static final Logger log = LoggerFactory.getLogger(IrcConnection.class);

  /** Longest accepted line: 512 bytes of message plus the 8191 bytes IRCv3 allows for tags. */
  static final int MAX_LINE_BYTES = 8191 + IrcMessage.MAX_BYTES;
  static final Set<String> CAPABILITIES = Set.of("message-tags", "server-time", "echo-message", "multi-prefix",
      "userhost-in-names", "cap-notify", "batch", "draft/chathistory");

  /** A front-end reply relayed through the lane: messages to write, then maybe a close. */
  record Out(List<IrcMessage> messages, boolean close) {
  }

  private interface Handler {
    void handle(IrcMessage message);
  }

  private final IrcServerVerticle server;
  private final NetSocket socket;
  private final long id;
  private final String address;
  private final String serverName;
  private final Session session;
  private final LineInput input;
  private final Map<String, Handler> commands;
  private final Set<String> caps = new LinkedHashSet<>();
  private final Deque<String> whoContext = new ArrayDeque<>();
  private final Deque<String> topicContext = new ArrayDeque<>();
  private final Deque<String[]> lookupContext = new ArrayDeque<>();
  private final long openedAt = System.nanoTime();
  private final IrcKeepalive keepalive;
  private boolean negotiating;
  private String password;
  private String nick;
  private String user;
  private String realName;
  private String away;
  private boolean invisible;
  private static final char CTCP = '\u0001';
  /** The NAMES and WHO prefix of each rank of {@link RoomModes#RANKS}, in the same order. */
  private static final String PREFIXES = "@+";

  private boolean closing;
  private boolean slow;
  private boolean closed;
  private boolean left;
  private String renamingFrom;
  private String quitReason = "Connection closed";
  /** The last QUIT or NICK rendered, as name + time: the rooms send one per shared room, the client wants one. */
  private String lastChange = "";
  /**
   * This user's name as of the room events being rendered: a line written just before a NICK comes back under the
   * old name after the session has taken the new one.
   */
  private String laneName;
  private int batches;

  IrcConnection(IrcServerVerticle server, NetSocket socket, long id, String address) {
    this.server = server;
    this.socket = socket;
    this.id = id;
    this.address = address;
    ChatConfig config = server.settings();
    this.serverName = config.irc().serverName();
    this.keepalive = new IrcKeepalive(config.limits().idleTimeoutSeconds(), openedAt);
    this.session = new Session(server.instanceId(), id, null);
    this.input = new LineInput(server.vertx(), socket, config.limits(), MAX_LINE_BYTES, 0, this);
    this.commands = Map.ofEntries(
        Map.entry("CAP", this::cap),
        Map.entry("PASS", this::pass),
        Map.entry("NICK", this::nick),
        Map.entry("USER", this::user),
        Map.entry("PING", this::ping),
        Map.entry("PONG", m -> { }),
        Map.entry("QUIT", this::quit),
        Map.entry("JOIN", this::join),
        Map.entry("PART", this::part),
        Map.entry("PRIVMSG", m -> message(m, false)),
        Map.entry("NOTICE", m -> message(m, true)),
        Map.entry("TAGMSG", m -> { }),
        Map.entry("NAMES", this::names),
        Map.entry("WHO", this::who),
        Map.entry("WHOIS", this::whois),
        Map.entry("LIST", this::list),
        Map.entry("TOPIC", this::topic),
        Map.entry("MODE", this::mode),
        Map.entry("AWAY", this::away),
        Map.entry("USERHOST", this::userhost),
        Map.entry("ISON", this::ison),
        Map.entry("CHATHISTORY", this::chathistory),
        Map.entry("LUSERS", m -> lusers()),
        Map.entry("MOTD", m -> motd()),
        Map.entry("TIME", m -> respond(List.of(numeric("391", serverName, Instant.now().toString())))));
    socket.setWriteQueueMaxSize(config.limits().sendQueueBytes());
  }

  long id() {
    return id;
  }

  String address() {
    return address;
  }

  void start() {
    server.metrics().connectionOpened(ChatMetrics.Protocol.IRC);
    socket.handler(this::onData);
    socket.closeHandler(v -> onClosed());
    socket.shutdownHandler(v -> closeWith("Server shutting down"));
    socket.exceptionHandler(e -> log.debug("irc connection {} from {}: {}", id, address, e.toString()));
  }

  private void onData(Buffer data) {
    keepalive.heard(System.nanoTime());
    input.feed(data);
  }

  // LineInput.Target

  @Override
  public boolean blocked() {
    return session.awaitingReservation();
  }

  @Override
  public void line(byte[] bytes) {
    Optional<String> decoded = InputText.decode(bytes);
    if (decoded.isEmpty()) {
      server.metrics().inputRejected(ChatMetrics.Protocol.IRC, ChatMetrics.InputRejection.INVALID_UTF8);
      respond(List.of(msg("FAIL", "*", "INVALID_UTF8", "Message rejected: it is not valid UTF-8")));
      return;
    }
    IrcMessage message = IrcMessage.parse(decoded.get());
    if (message == null || closing) {
      return;
    }
    int withoutTags = message.bytesWithoutTags();
    // 512 bytes for the message, 4096 for the client's tags (IRCv3 message-tags).
    if (withoutTags > IrcMessage.MAX_BYTES - 2 || bytes.length - withoutTags > 4096) {
      respond(List.of(numeric("417", "Input line was too long")));
      return;
    }
    String command = message.command().toUpperCase(Locale.ROOT);
    Handler handler = commands.get(command);
    if (handler == null) {
      respond(List.of(numeric("421", command, "Unknown command")));
      return;
    }
    boolean allowedBefore = Set.of("CAP", "PASS", "NICK", "USER", "PING", "PONG", "QUIT").contains(command);
    if (!session.registered() && !allowedBefore) {
      respond(List.of(numeric("451", "You have not registered")));
      return;
    }
    handler.handle(sanitized(message));
  }

  // Control characters never reach other users (DESIGN §2): they are removed from every parameter, as the line
  // protocol removes them from its lines; a CTCP message keeps its \x01 delimiters, and only those.
  private static IrcMessage sanitized(IrcMessage message) {
    List<String> params = new ArrayList<>(message.params().size());
    for (String param : message.params()) {
      params.add(sanitizedText(param));
    }
    return new IrcMessage(message.tags(), message.source(), message.command(), params);
  }

  static String sanitizedText(String text) {
    if (text.length() < 2 || text.charAt(0) != CTCP) {
      return InputText.sanitize(text);
    }
    boolean closedCtcp = text.charAt(text.length() - 1) == CTCP;
    String inner = text.substring(1, closedCtcp ? text.length() - 1 : text.length());
    return CTCP + InputText.sanitize(inner) + (closedCtcp ? String.valueOf(CTCP) : "");
  }

  @Override
  public void tooLong() {
    server.metrics().inputRejected(ChatMetrics.Protocol.IRC, ChatMetrics.InputRejection.TOO_LONG);
    closeWith("Input line too long");
  }

  @Override
  public void flooded(int waiting) {
    server.metrics().inputRejected(ChatMetrics.Protocol.IRC, ChatMetrics.InputRejection.FLOOD);
    closeWith("Excess flood");
  }

  @Override
  public void drained() {
    if (!left) {
      left = true;
      if (session.registered()) {
        server.users().remove(session.key());
      }
      perform(session.onClosed(quitReason));
    }
  }

  // Registration.

  // CAP LS [version] | CAP LIST | CAP REQ :caps | CAP END
  private void cap(IrcMessage m) {
    String sub = m.param(0) == null ? "" : m.param(0).toUpperCase(Locale.ROOT);
    String target = nick == null ? "*" : nick;
    switch (sub) {
      case "LS" -> {
        negotiating = !session.registered();
        respond(List.of(msg("CAP", target, "LS", String.join(" ", CAPABILITIES.stream().sorted().toList()))));
      }
      case "LIST" -> respond(List.of(msg("CAP", target, "LIST", String.join(" ", caps))));
      case "REQ" -> {
        negotiating = !session.registered();
        String asked = m.param(1) == null ? "" : m.param(1).strip();
        List<String> wanted = Arrays.stream(asked.split(" +")).filter(s -> !s.isEmpty()).toList();
        boolean ok = wanted.stream().allMatch(c -> CAPABILITIES.contains(c.startsWith("-") ? c.substring(1) : c));
        if (ok) {
          wanted.forEach(c -> {
            if (c.startsWith("-")) {
              caps.remove(c.substring(1));
            } else {
              caps.add(c);
            }
          });
        }
        respond(List.of(msg("CAP", target, ok ? "ACK" : "NAK", asked)));
      }
      case "END" -> {
        negotiating = false;
        tryRegister();
      }
      default -> respond(List.of(numeric("410", sub, "Invalid CAP command")));
    }
  }

  // PASS password
  private void pass(IrcMessage m) {
    if (session.registered()) {
      respond(List.of(numeric("462", "You may not reregister")));
    } else if (m.param(0) == null) {
      respond(List.of(numeric("461", "PASS", "Not enough parameters")));
    } else {
      password = m.param(0);
    }
  }

  // NICK nickname
  private void nick(IrcMessage m) {
    String wanted = m.param(0);
    if (wanted == null || wanted.isEmpty()) {
      respond(List.of(numeric("431", "No nickname given")));
      return;
    }
    if (!(Names.check(wanted) instanceof Names.Valid)) {
      respond(List.of(numeric("432", wanted, "Erroneous nickname")));
      return;
    }
    if (!session.registered()) {
      nick = wanted;
      tryRegister();
      return;
    }
    renamingFrom = session.name();
    perform(session.onCommand(new Command.Nick(wanted)));
  }

  // USER username mode unused :realname
  private void user(IrcMessage m) {
    if (session.registered() || user != null) {
      respond(List.of(numeric("462", "You may not reregister")));
      return;
    }
    if (m.params().size() < 4 || m.param(0).isEmpty() || m.param(3).isEmpty()) {
      respond(List.of(numeric("461", "USER", "Not enough parameters")));
      return;
    }
    user = m.param(0);
    realName = m.param(3);
    tryRegister();
  }

  private void tryRegister() {
    if (nick == null || user == null || negotiating || session.registered() || session.awaitingReservation()) {
      return;
    }
    String wanted = server.settings().irc().password();
    if (!wanted.isEmpty() && !wanted.equals(password)) {
      respond(List.of(numeric("464", "Password incorrect")));
      closeWith("Bad password");
      return;
    }
    perform(session.register(nick));
  }

  private void welcome() {
    ChatConfig.Irc irc = server.settings().irc();
    String name = session.name();
    nick = name;
    List<IrcMessage> burst = new ArrayList<>();
    burst.add(numeric("001", "Welcome to the " + irc.network() + " network, " + name));
    burst.add(numeric("002", "Your host is " + serverName + ", running chat-server"));
    burst.add(numeric("003", "This server was created " + Instant.ofEpochMilli(server.createdAt())));
    burst.add(numeric("004", serverName, "chat-server", "i", RoomModes.FLAGS + RoomModes.RANKS, RoomModes.RANKS));
    burst.add(numeric("005", "AWAYLEN=390", "CASEMAPPING=rfc8265", "CHANLIMIT=#:", "CHANMODES=,,," + RoomModes.FLAGS,
        "CHANNELLEN=33", "CHANTYPES=#", "NETWORK=" + irc.network(), "NICKLEN=" + Names.MAX_CODE_POINTS,
        "PREFIX=(" + RoomModes.RANKS + ")" + PREFIXES, "TOPICLEN=390", "UTF8ONLY", "are supported by this server"));
    burst.add(numeric("005", "CHATHISTORY=" + server.settings().history().lines(), "MSGREFTYPES=msgid,timestamp",
        "are supported by this server"));
    relay(burst, false);
    lusers();
    motd();
  }

  private void lusers() {
    lookupContext.add(new String[] {"LUSERS"});
    perform(session.onCommand(new Command.Lookup(List.of())));
  }

  private void motd() {
    String text = server.settings().irc().motd();
    if (text.isEmpty()) {
      relay(List.of(numeric("422", "MOTD File is missing")), false);
      return;
    }
    List<IrcMessage> lines = new ArrayList<>();
    lines.add(numeric("375", "- " + serverName + " Message of the day - "));
    for (String line : text.split("\n")) {
      lines.add(numeric("372", "- " + line));
    }
    lines.add(numeric("376", "End of /MOTD command."));
    relay(lines, false);
  }

  // Commands of a registered user.

  // PING token
  private void ping(IrcMessage m) {
    if (m.param(0) == null) {
      respond(List.of(numeric("461", "PING", "Not enough parameters")));
      return;
    }
    respond(List.of(IrcMessage.of(serverName, "PONG", serverName, m.param(0))));
  }

  // QUIT [:reason]
  private void quit(IrcMessage m) {
    quitReason = "Quit: " + (m.param(0) == null ? "" : m.param(0));
    closeWith(quitReason);
  }

  // JOIN #chan{,#chan} [keys] | JOIN 0
  private void join(IrcMessage m) {
    if (m.param(0) == null) {
      respond(List.of(numeric("461", "JOIN", "Not enough parameters")));
      return;
    }
    if (m.param(0).equals("0")) {
      for (String room : List.copyOf(session.rooms())) {
        perform(session.onCommand(new Command.Part(room)));
      }
      return;
    }
    for (String channel : m.param(0).split(",")) {
      String room = room(channel);
      if (room == null) {
        respond(List.of(numeric("403", channel, "No such channel")));
      } else if (!session.rooms().contains(room)) {
        perform(session.onCommand(new Command.Join(room, false)));
        topicContext.add("JOIN");
        perform(session.onCommand(new Command.Topic(room, null)));
        whoContext.add("NAMES");
        perform(session.onCommand(new Command.Who(room)));
      }
    }
  }

  // PART #chan{,#chan} [:reason]
  private void part(IrcMessage m) {
    if (m.param(0) == null) {
      respond(List.of(numeric("461", "PART", "Not enough parameters")));
      return;
    }
    for (String channel : m.param(0).split(",")) {
      String room = room(channel);
      if (room == null) {
        respond(List.of(numeric("403", channel, "No such channel")));
      } else if (!session.rooms().contains(room)) {
        respond(List.of(numeric("442", channel, "You're not on that channel")));
      } else {
        perform(session.onCommand(new Command.Part(room, m.param(1) == null ? "" : m.param(1))));
      }
    }
  }

  // PRIVMSG target{,target} :text  (NOTICE alike, never answered with an error)
  private void message(IrcMessage m, boolean notice) {
    String verb = notice ? "NOTICE" : "PRIVMSG";
    if (m.param(0) == null || m.param(0).isEmpty()) {
      if (!notice) {
        respond(List.of(numeric("411", "No recipient given (" + verb + ")")));
      }
      return;
    }
    if (m.param(1) == null || m.param(1).isEmpty()) {
      if (!notice) {
        respond(List.of(numeric("412", "No text to send")));
      }
      return;
    }
    String text = m.param(1);
    for (String target : m.param(0).split(",")) {
      if (target.startsWith("#")) {
        String room = room(target);
        if (room == null || !session.rooms().contains(room)) {
          if (!notice) {
            respond(List.of(room == null
                ? numeric("403", target, "No such channel")
                : numeric("404", target, "Cannot send to channel")));
          }
          continue;
        }
        String action = action(text);
        perform(session.onCommand(action != null ? new Command.Act(room, action)
            : notice ? new Command.Notice(room, text) : new Command.Say(room, text)));
      } else if (!(Names.check(target) instanceof Names.Valid)) {
        if (!notice) {
          respond(List.of(numeric("401", target, "No such nick/channel")));
        }
      } else {
        perform(session.onCommand(new Command.Whisper(target, text, notice)));
      }
    }
  }

  // NAMES [#chan]
  private void names(IrcMessage m) {
    String room = m.param(0) == null ? null : room(m.param(0).split(",")[0]);
    if (room == null) {
      respond(List.of(numeric("366", m.param(0) == null ? "*" : m.param(0), "End of /NAMES list")));
      return;
    }
    whoContext.add("NAMES");
    perform(session.onCommand(new Command.Who(room)));
  }

  // WHO #chan | WHO nick | WHO mask (* and ? wildcards; 0 or * for everyone)
  private void who(IrcMessage m) {
    String mask = m.param(0) == null ? "*" : m.param(0);
    String room = room(mask);
    if (room != null) {
      whoContext.add("WHO " + mask);
      perform(session.onCommand(new Command.Who(room)));
    } else if (mask.equals("0") || mask.indexOf('*') >= 0 || mask.indexOf('?') >= 0) {
      lookupContext.add(new String[] {"WHOMASK", mask});
      perform(session.onCommand(new Command.Everyone()));
    } else if (Names.check(mask) instanceof Names.Valid) {
      lookupContext.add(new String[] {"WHO", mask});
      perform(session.onCommand(new Command.Lookup(List.of(mask))));
    } else {
      respond(List.of(numeric("315", mask, "End of WHO list")));
    }
  }

  // WHOIS [server] nick
  private void whois(IrcMessage m) {
    String target = m.params().size() >= 2 ? m.param(1) : m.param(0);
    if (target == null) {
      respond(List.of(numeric("431", "No nickname given")));
      return;
    }
    lookupContext.add(new String[] {"WHOIS", target});
    perform(session.onCommand(new Command.Lookup(List.of(target))));
  }

  // ISON nick{ nick}
  private void ison(IrcMessage m) {
    List<String> asked = m.params().stream().flatMap(p -> Arrays.stream(p.split(" "))).filter(s -> !s.isEmpty())
        .toList();
    lookupContext.add(new String[] {"ISON"});
    perform(session.onCommand(new Command.Lookup(asked)));
  }

  // USERHOST nick{ nick}
  private void userhost(IrcMessage m) {
    if (m.params().isEmpty()) {
      respond(List.of(numeric("461", "USERHOST", "Not enough parameters")));
      return;
    }
    lookupContext.add(new String[] {"USERHOST"});
    perform(session.onCommand(new Command.Lookup(m.params().subList(0, Math.min(5, m.params().size())))));
  }

  // LIST
  private void list(IrcMessage m) {
    perform(session.onCommand(new Command.Rooms()));
  }

  // TOPIC #chan [:text]
  private void topic(IrcMessage m) {
    if (m.param(0) == null) {
      respond(List.of(numeric("461", "TOPIC", "Not enough parameters")));
      return;
    }
    String room = room(m.param(0));
    if (room == null) {
      respond(List.of(numeric("403", m.param(0), "No such channel")));
    } else if (m.param(1) != null) {
      if (!session.rooms().contains(room)) {
        respond(List.of(numeric("442", m.param(0), "You're not on that channel")));
      } else {
        perform(session.onCommand(new Command.Topic(room, m.param(1))));
      }
    } else {
      // The members first: a channel without any does not exist (403), and its topic answer is dropped.
      whoContext.add("TOPIC");
      perform(session.onCommand(new Command.Who(room)));
      topicContext.add("TOPIC");
      perform(session.onCommand(new Command.Topic(room, null)));
    }
  }

  // CHATHISTORY LATEST|BEFORE|AFTER|AROUND <#channel> <*|msgid=ID|timestamp=TIME> <limit> (IRCv3
  // draft/chathistory), over the room's history; the limit is capped at history.lines, as ISUPPORT says.
  private void chathistory(IrcMessage m) {
    String sub = m.param(0) == null ? "" : m.param(0).toUpperCase(Locale.ROOT);
    RoomHistory.Query.Kind kind = switch (sub) {
      case "LATEST" -> RoomHistory.Query.Kind.LATEST;
      case "BEFORE" -> RoomHistory.Query.Kind.BEFORE;
      case "AFTER" -> RoomHistory.Query.Kind.AFTER;
      case "AROUND" -> RoomHistory.Query.Kind.AROUND;
      default -> null;
    };
    if (kind == null || m.params().size() < 4) {
      respond(List.of(msg("FAIL", "CHATHISTORY", "INVALID_PARAMS", sub.isEmpty() ? "*" : sub,
          "Supported: LATEST, BEFORE, AFTER and AROUND, each with a target, a reference and a limit")));
      return;
    }
    String room = room(m.param(1));
    if (room == null || !session.rooms().contains(room)) {
      respond(List.of(msg("FAIL", "CHATHISTORY", "INVALID_TARGET", sub, m.param(1),
          "No history of a channel you are not on")));
      return;
    }
    RoomHistory.Query query = historyQuery(kind, m.param(2), m.param(3));
    if (query == null) {
      respond(List.of(msg("FAIL", "CHATHISTORY", "INVALID_PARAMS", sub, "Bad reference or limit")));
      return;
    }
    perform(session.onCommand(new Command.History(room, query)));
  }

  /** The query of a CHATHISTORY reference ({@code *} for LATEST only) and limit; null when either is malformed. */
  static RoomHistory.Query historyQuery(RoomHistory.Query.Kind kind, String reference, String limit) {
    if (!limit.matches("[0-9]{1,6}") || Integer.parseInt(limit) == 0) {
      return null;
    }
    int count = Integer.parseInt(limit);
    try {
      if (reference.equals("*")) {
        return kind == RoomHistory.Query.Kind.LATEST ? RoomHistory.Query.latest(count) : null;
      }
      if (reference.startsWith("msgid=")) {
        String id = reference.substring("msgid=".length());
        int dash = id.indexOf('-');
        return dash <= 0 ? null
            : new RoomHistory.Query(kind, -1, Long.parseLong(id.substring(0, dash), 36), id.substring(dash + 1), count);
      }
      if (reference.startsWith("timestamp=")) {
        // Clients send times to the millisecond: the lines after one are those after the whole millisecond.
        Instant at = Instant.parse(reference.substring("timestamp=".length()));
        long micros = at.getEpochSecond() * 1_000_000 + at.getNano() / 1000;
        boolean after = kind == RoomHistory.Query.Kind.AFTER || kind == RoomHistory.Query.Kind.LATEST;
        return new RoomHistory.Query(kind, -1, after ? micros + 999 : micros, null, count);
      }
    } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
      return null;
    }
    return null;
  }

  // MODE #chan | MODE nick [+i|-i]
  private void mode(IrcMessage m) {
    String target = m.param(0);
    if (target == null) {
      respond(List.of(numeric("461", "MODE", "Not enough parameters")));
    } else if (target.startsWith("#")) {
      String room = room(target);
      if (room == null) {
        respond(List.of(numeric("403", target, "No such channel")));
      } else if (m.param(1) == null) {
        whoContext.add("MODE");
        perform(session.onCommand(new Command.Who(room)));
      } else {
        channelMode(target, room, m.params().subList(1, m.params().size()));
      }
    } else if (!Names.key(target).equals(session.key())) {
      respond(List.of(numeric("502", "Can't change mode for other users")));
    } else if (m.param(1) == null) {
      respond(List.of(numeric("221", invisible ? "+i" : "+")));
    } else {
      String change = m.param(1);
      if (change.equals("+i") || change.equals("-i")) {
        invisible = change.startsWith("+");
        server.users().put(session.key(), profile());
        respond(List.of(IrcMessage.of(session.name(), "MODE", session.name(), change)));
      } else {
        respond(List.of(numeric("501", "Unknown MODE flag")));
      }
    }
  }

  private IrcUsers.Profile profile() {
    return new IrcUsers.Profile(user, realName, away, invisible);
  }

  // MODE #chan {[+|-]modes} {member}: each flag or rank in turn; ranks take the next member argument.
  private void channelMode(String channel, String room, List<String> args) {
    List<IrcMessage> refused = new ArrayList<>();
    List<Command> changes = new ArrayList<>();
    boolean on = true;
    int next = 1;
    for (char mode : args.get(0).toCharArray()) {
      if (mode == '+' || mode == '-') {
        on = mode == '+';
      } else if (mode == 'b') {
        refused.add(numeric("368", channel, "End of channel ban list"));
      } else if (!RoomModes.settable(mode, on)) {
        refused.add(numeric("472", String.valueOf(mode), "is unknown mode char to me"));
      } else if (RoomModes.RANKS.indexOf(mode) < 0) {
        changes.add(new Command.Mode(room, mode, on, null));
      } else if (next < args.size()) {
        changes.add(new Command.Mode(room, mode, on, args.get(next++)));
      } else {
        refused.add(numeric("461", "MODE", "Not enough parameters"));
      }
    }
    if (!refused.isEmpty()) {
      respond(refused);
    }
    changes.forEach(change -> perform(session.onCommand(change)));
  }

  // AWAY [:message]
  private void away(IrcMessage m) {
    away = m.param(0) == null || m.param(0).isEmpty() ? null : m.param(0);
    server.users().put(session.key(), profile());
    respond(List.of(away == null
        ? numeric("305", "You are no longer marked as being away")
        : numeric("306", "You have been marked as being away")));
  }

  // Effects of the session.

  private void perform(List<Effect> effects) {
    for (Effect effect : effects) {
      effect.accept(this);
    }
  }

  @Override
  public Void reserve(Effect.Reserve reserve) {
    server.names().reserve(reserve.key(), owner())
        .onSuccess(won -> {
          boolean registering = !session.registered();
          String old = session.name();
          perform(session.onReserved(won));
          if (won) {
            server.users().remove(Names.key(old == null ? session.name() : old));
            server.users().put(session.key(), profile());
          }
          if (won && registering) {
            welcome();
          } else if (won && session.rooms().isEmpty()) {
            // No room announces the change to a user in none: it hears it itself.
            relay(List.of(IrcMessage.of(source(old), "NICK", session.name())), false);
          }
          input.release();
        });
    return null;
  }

  @Override
  public Void release(Effect.Release release) {
    server.names().release(release.key(), owner());
    return null;
  }

  @Override
  public Void toRooms(Effect.ToRooms toRooms) {
    server.toRooms(toRooms.request());
    return null;
  }

  @Override
  public Void answer(Effect.Answer answer) {
    if (session.registered() && !closed) {
      server.toRooms(new Request.Answer(session.key(), answer.reply()));
    } else {
      answer.reply().accept(this);
    }
    return null;
  }

  @Override
  public Void nameRefused(Effect.NameRefused refused) {
    server.metrics().nameRejected(refused.taken() ? ChatMetrics.NameRejection.TAKEN
        : ChatMetrics.NameRejection.INVALID);
    return null;
  }

  @Override
  public Void close(Effect.Close close) {
    // A registered user's answers may still be in the lane: it closes when the rooms say it is gone (Event.Gone).
    if (!session.registered() || closed) {
      closeAfterOutput();
    } else {
      input.stop();
    }
    return null;
  }

  /** The user quit and the lane has delivered everything before its leave. */
  void gone() {
    closeAfterOutput();
  }

  private String owner() {
    return Reservations.owner(server.nodeId(), server.instanceId(), id);
  }

  /** Local replies: written now before registration, through the lane after it. */
  private void respond(List<IrcMessage> messages) {
    if (session.registered() && !closed) {
      relay(messages, false);
    } else {
      messages.forEach(this::write);
    }
  }

  private void relay(List<IrcMessage> messages, boolean close) {
    server.toRooms(new Request.Answer(session.key(), new Reply.Relay(new Out(messages, close))));
  }

  // What the rooms send this connection.

  void reply(Reply reply) {
    reply.accept(this);
  }

  void roomEvent(RoomEvent event) {
    String channel = "#" + event.room();
    String from = source(event.name());
    if (event.add() == id) {
      laneName = event.name();
    } else if (event.kind() == RoomEvent.Kind.RENAMED && event.name().equals(laneName)) {
      laneName = event.other();
    }
    boolean mine = event.name().equals(laneName);
    switch (event.kind()) {
      case JOINED -> write(tagged(IrcMessage.of(from, "JOIN", channel), event.at()));
      case PARTED -> write(tagged(event.text() == null || event.text().isEmpty()
          ? IrcMessage.of(from, "PART", channel)
          : IrcMessage.of(from, "PART", channel, event.text()), event.at()));
      case QUIT -> {
        if (once(event)) {
          String reason = event.text() == null || event.text().isEmpty() ? "Quit" : event.text();
          write(tagged(IrcMessage.of(from, "QUIT", reason), event.at()));
        }
      }
      case RENAMED -> {
        if (once(event)) {
          write(tagged(IrcMessage.of(from, "NICK", event.other()), event.at()));
        }
      }
      case TOPIC -> write(tagged(IrcMessage.of(from, "TOPIC", channel, event.text()), event.at()));
      case MODE -> write(tagged(event.other() == null ? IrcMessage.of(from, "MODE", channel, event.text())
          : IrcMessage.of(from, "MODE", channel, event.text(), event.other()), event.at()));
      case SAID, NOTICED, ACTED -> {
        if (mine && !caps.contains("echo-message")) {
          return;
        }
        text(from, verb(event), channel, body(event), event.at(), msgidTag(event));
      }
    }
  }

  private static String verb(RoomEvent event) {
    return event.kind() == RoomEvent.Kind.NOTICED ? "NOTICE" : "PRIVMSG";
  }

  private static String body(RoomEvent event) {
    return event.kind() == RoomEvent.Kind.ACTED ? CTCP + "ACTION " + event.text() + CTCP : event.text();
  }

  /** A line's message id: its time and its sender, by which CHATHISTORY finds it again. */
  static String msgid(RoomEvent event) {
    return Long.toString(event.at(), 36) + "-" + Names.key(event.name());
  }

  private Map<String, String> msgidTag(RoomEvent event) {
    return caps.contains("message-tags") ? Map.of("msgid", msgid(event)) : Map.of();
  }

  private boolean once(RoomEvent event) {
    String change = event.kind() + " " + event.name() + " " + event.at();
    if (change.equals(lastChange)) {
      return false;
    }
    lastChange = change;
    return true;
  }

  /** A message within 512 bytes: see {@link IrcMessage#fitText}. */
  private void text(String from, String verb, String target, String text, long at) {
    text(from, verb, target, text, at, Map.of());
  }

  /** The same, with {@code tags} on every piece. */
  private void text(String from, String verb, String target, String text, long at, Map<String, String> tags) {
    for (String piece : IrcMessage.fitText(from, verb, target, text)) {
      write(tagged(IrcMessage.of(from, verb, target, piece).withTags(tags), at));
    }
  }

  // The rooms have dropped this node's users already: nothing can pass through the lane any more.
  void evict() {
    input.stop();
    write(IrcMessage.of(null, "ERROR", "Closing link: Server rejoining its cluster"));
    closeAfterOutput();
  }

  // Reply.Handler: the core's replies as numerics.

  @Override
  public Void prompt(Reply.Prompt prompt) {
    return null;
  }

  @Override
  public Void nameTaken(Reply.NameTaken taken) {
    write(numeric("433", taken.name(), "Nickname is already in use"));
    return null;
  }

  @Override
  public Void invalidName(Reply.InvalidName invalid) {
    write(numeric("432", invalid.name(), "Erroneous nickname"));
    return null;
  }

  @Override
  public Void nameInUse(Reply.NameInUse inUse) {
    if (!inUse.name().equals(session.name())) {
      write(numeric("433", inUse.name(), "Nickname is already in use"));
    }
    return null;
  }

  @Override
  public Void invalidRoom(Reply.InvalidRoom invalid) {
    write(numeric("403", "#" + invalid.room(), "No such channel"));
    return null;
  }

  @Override
  public Void alreadyInRoom(Reply.AlreadyInRoom already) {
    return null;
  }

  @Override
  public Void notInRoom(Reply.NotInRoom notIn) {
    write(numeric("442", "#" + notIn.room(), "You're not on that channel"));
    return null;
  }

  @Override
  public Void notOperator(Reply.NotOperator notOperator) {
    write(numeric("482", "#" + notOperator.room(), "You're not channel operator"));
    return null;
  }

  @Override
  public Void noSuchUser(Reply.NoSuchUser none) {
    write(numeric("401", none.name(), "No such nick/channel"));
    return null;
  }

  @Override
  public Void whispered(Reply.Whispered w) {
    // Both ends get a copy: the recipient's always shows, the sender's only with echo-message.
    boolean toMe = Names.key(w.to()).equals(session.key());
    if (toMe || caps.contains("echo-message")) {
      text(source(w.from()), w.notice() ? "NOTICE" : "PRIVMSG", w.to(), w.text(), w.at());
    }
    return null;
  }

  @Override
  public Void who(Reply.Who who) {
    String context = whoContext.poll();
    String channel = "#" + who.room();
    RoomModes modes = who.modes();
    if ("TOPIC".equals(context)) {
      if (who.names().isEmpty()) {
        write(numeric("403", channel, "No such channel"));
        topicContext.poll();
        topicContext.addFirst("NONE");
      }
      return null;
    }
    if ("MODE".equals(context)) {
      if (who.names().isEmpty()) {
        write(numeric("403", channel, "No such channel"));
      } else {
        write(numeric("324", channel, "+" + modes.flags()));
        write(numeric("329", channel, String.valueOf(server.createdAt() / 1000)));
      }
      return null;
    }
    if (context == null || context.equals("NAMES")) {
      List<String> shown = new ArrayList<>();
      for (String name : who.names()) {
        shown.add(prefix(modes, name) + (caps.contains("userhost-in-names") ? source(name) : name));
      }
      String symbol = modes.has('s') ? "@" : "=";
      List<String> line = new ArrayList<>();
      int length = 0;
      for (String entry : shown) {
        if (length + entry.length() > 400) {
          write(numeric("353", symbol, channel, String.join(" ", line)));
          line.clear();
          length = 0;
        }
        line.add(entry);
        length += entry.length() + 1;
      }
      if (!line.isEmpty()) {
        write(numeric("353", symbol, channel, String.join(" ", line)));
      }
      write(numeric("366", channel, "End of /NAMES list"));
      return null;
    }
    String mask = context.substring(4);
    for (String name : who.names()) {
      write(whoLine(channel, name, prefix(modes, name)));
    }
    write(numeric("315", mask, "End of WHO list"));
    return null;
  }

  /** The member's NAMES and WHO prefix: its highest rank's, or all of them with multi-prefix. */
  private String prefix(RoomModes modes, String name) {
    StringBuilder prefix = new StringBuilder();
    for (char rank : modes.rank(Names.key(name)).toCharArray()) {
      prefix.append(PREFIXES.charAt(RoomModes.RANKS.indexOf(rank)));
      if (!caps.contains("multi-prefix")) {
        break;
      }
    }
    return prefix.toString();
  }

  @Override
  public Void roomList(Reply.RoomList list) {
    write(numeric("321", "Channel", "Users  Name"));
    list.counts().forEach((room, count) -> write(numeric("322", "#" + room, String.valueOf(count), "")));
    write(numeric("323", "End of /LIST"));
    return null;
  }

  @Override
  public Void topic(Reply.Topic topic) {
    String context = topicContext.poll();
    String channel = "#" + topic.room();
    if ("NONE".equals(context)) {
      return null;
    }
    if (topic.text() == null) {
      if (!"JOIN".equals(context)) {
        write(numeric("331", channel, "No topic is set"));
      }
      return null;
    }
    write(numeric("332", channel, topic.text()));
    write(numeric("333", channel, source(topic.by()), String.valueOf(topic.at() / 1_000_000)));
    return null;
  }

  @Override
  public Void users(Reply.Users users) {
    String[] context = lookupContext.poll();
    if (context == null) {
      return null;
    }
    switch (context[0]) {
      case "LUSERS" -> {
        write(numeric("251", "There are " + users.total() + " users and 0 invisible on 1 servers"));
        write(numeric("255", "I have " + users.here() + " clients and 1 servers"));
        write(numeric("265", String.valueOf(users.here()), String.valueOf(users.peakHere()),
            "Current local users " + users.here() + ", max " + users.peakHere()));
        write(numeric("266", String.valueOf(users.total()), String.valueOf(users.peakTotal()),
            "Current global users " + users.total() + ", max " + users.peakTotal()));
      }
      case "ISON" -> write(numeric("303", String.join(" ",
          users.found().stream().map(Reply.User::name).toList())));
      case "USERHOST" -> write(numeric("302", String.join(" ",
          users.found().stream().map(u -> u.name() + "=+" + u.name() + "@" + serverName).toList())));
      case "WHO" -> {
        for (Reply.User u : users.found()) {
          write(whoLine("*", u.name(), ""));
        }
        write(numeric("315", context[1], "End of WHO list"));
      }
      case "WHOMASK" -> {
        for (Reply.User u : users.found()) {
          if (IrcMask.matches(context[1], u.name()) && visible(u)) {
            write(whoLine("*", u.name(), ""));
          }
        }
        write(numeric("315", context[1], "End of WHO list"));
      }
      case "WHOIS" -> {
        if (users.found().isEmpty()) {
          write(numeric("401", context[1], "No such nick/channel"));
        } else {
          Reply.User u = users.found().get(0);
          IrcUsers.Profile profile = server.users().get(Names.key(u.name()), u.name());
          write(numeric("311", u.name(), profile.user(), serverName, "*", profile.realName()));
          if (!u.rooms().isEmpty()) {
            write(numeric("319", u.name(), String.join(" ", u.rooms().stream().map(r -> "#" + r).toList())));
          }
          write(numeric("312", u.name(), serverName, server.settings().irc().network()));
          if (profile.away() != null) {
            write(numeric("301", u.name(), profile.away()));
          }
        }
        write(numeric("318", context[1], "End of /WHOIS list"));
      }
      default -> {
      }
    }
    return null;
  }

  @Override
  public Void relay(Reply.Relay relay) {
    if (relay.payload() instanceof Out out) {
      out.messages().forEach(this::write);
      if (out.close()) {
        closeAfterOutput();
      }
    }
    return null;
  }

  @Override
  public Void help(Reply.Help help) {
    return null;
  }

  @Override
  public Void usage(Reply.Usage usage) {
    return null;
  }

  @Override
  public Void unknownCommand(Reply.UnknownCommand unknown) {
    write(numeric("421", unknown.word(), "Unknown command"));
    return null;
  }

  // FAIL * <code> :<description> (IRCv3 standard replies)
  @Override
  public Void refused(Reply.Refused refused) {
    write(msg("FAIL", "*", refused.code().toUpperCase(java.util.Locale.ROOT), refused.text()));
    return null;
  }

  @Override
  public Void invalidUtf8(Reply.InvalidUtf8 invalid) {
    write(msg("FAIL", "*", "INVALID_UTF8", "Message rejected: it is not valid UTF-8"));
    return null;
  }

  /**
   * A room's past lines (its messages: IRC has no way to replay joins and the like without draft/event-playback). In
   * a {@code chathistory} batch, each with its time and message id, for a client that takes batches (and, on joining,
   * server-time); otherwise, on joining, as notices from the server stamped with their time.
   */
  @Override
  public Void history(Reply.History history) {
    String channel = "#" + history.room();
    List<RoomEvent> lines = history.lines().stream().map(RoomHistory.Line::event).filter(RoomEvent::isMessage).toList();
    boolean batched = caps.contains("batch") && (!history.replay() || caps.contains("server-time"));
    if (history.replay() && !batched) {
      ZoneId zone = server.settings().history().zone();
      for (RoomEvent line : lines) {
        String stamp = RoomHistory.clock(line.at(), zone);
        String shown = line.kind() == RoomEvent.Kind.ACTED ? "* " + line.name() + " " + line.text()
            : "<" + line.name() + "> " + line.text();
        text(serverName, "NOTICE", channel, "[" + stamp + "] " + shown, line.at());
      }
      return null;
    }
    String ref = "history" + (++batches);
    if (batched) {
      write(msg("BATCH", "+" + ref, "chathistory", channel));
    }
    for (RoomEvent line : lines) {
      Map<String, String> tags = new LinkedHashMap<>(msgidTag(line));
      if (batched) {
        tags.put("batch", ref);
      }
      text(source(line.name()), verb(line), channel, body(line), line.at(), tags);
    }
    if (batched) {
      write(msg("BATCH", "-" + ref));
    }
    return null;
  }

  // Rendering.

  /** A user a WHO mask may list: not invisible (+i), unless it is the asker or shares one of its channels. */
  private boolean visible(Reply.User user) {
    String key = Names.key(user.name());
    return !server.users().get(key, user.name()).invisible() || key.equals(session.key())
        || user.rooms().stream().anyMatch(session.rooms()::contains);
  }

  // 352 <client> <channel> <user> <host> <server> <nick> <H|G>[@+] :<hopcount> <realname>
  private IrcMessage whoLine(String channel, String name, String prefix) {
    IrcUsers.Profile profile = server.users().get(Names.key(name), name);
    String flags = (profile.away() == null ? "H" : "G") + prefix;
    return numeric("352", channel, profile.user(), serverName, serverName, name, flags, "0 " + profile.realName());
  }

  /** The channel's room key, or null when {@code channel} is no valid channel name. */
  static String room(String channel) {
    if (!channel.startsWith("#")) {
      return null;
    }
    return Names.check(channel.substring(1)) instanceof Names.Valid valid ? valid.key() : null;
  }

  /** The text of a CTCP ACTION, or null. */
  static String action(String text) {
    if (text.startsWith("\u0001ACTION ")) {
      String rest = text.substring(8);
      return rest.endsWith("\u0001") ? rest.substring(0, rest.length() - 1) : rest;
    }
    return null;
  }

  private String source(String name) {
    return name + "!" + name + "@" + serverName;
  }

  private IrcMessage numeric(String code, String... params) {
    List<String> all = new ArrayList<>(params.length + 1);
    all.add(session.name() != null ? session.name() : "*");
    all.addAll(List.of(params));
    return new IrcMessage(Map.of(), serverName, code, all);
  }

  private IrcMessage msg(String command, String... params) {
    return IrcMessage.of(serverName, command, params);
  }

  private IrcMessage tagged(IrcMessage message, long atMicros) {
    if (!caps.contains("server-time")) {
      return message;
    }
    Instant at = Instant.EPOCH.plus(atMicros, ChronoUnit.MICROS).truncatedTo(ChronoUnit.MILLIS);
    Map<String, String> tags = new LinkedHashMap<>();
    tags.put("time", at.toString().length() == 20 ? at.toString().replace("Z", ".000Z") : at.toString());
    tags.putAll(message.tags());
    return message.withTags(tags);
  }

  private void write(IrcMessage message) {
    if (closed || slow) {
      return;
    }
    socket.write(Buffer.buffer(message.serialize() + "\r\n"));
    if (socket.writeQueueFull()) {
      // Past the send queue limit: closed at once with its queue dropped, as a graceful close would wait for it.
      slow = true;
      closing = true;
      server.metrics().slowConsumerDisconnected();
      log.warn("slow IRC consumer {} from {}, disconnecting", session.name(), address);
      input.stop();
      new ChannelOutput(socket).closeNow();
    }
  }

  // Timeouts: registration, and a PING to a quiet client that closes it if it stays quiet.

  void sweep(long now) {
    if (closing || closed) {
      return;
    }
    ChatConfig.Limits limits = server.settings().limits();
    long registration = TimeUnit.SECONDS.toNanos(limits.registrationTimeoutSeconds());
    if (registration > 0 && !session.registered() && now - openedAt >= registration) {
      server.metrics().timedOut(ChatMetrics.Timeout.REGISTRATION);
      closeWith("Registration timed out");
      return;
    }
    if (!session.registered()) {
      return;
    }
    switch (keepalive.check(now)) {
      case PING -> write(IrcMessage.of(serverName, "PING", serverName));
      case CLOSE -> {
        server.metrics().timedOut(ChatMetrics.Timeout.IDLE);
        closeWith("Ping timeout");
      }
      case NONE -> {
      }
    }
  }

  private void closeWith(String reason) {
    if (closing) {
      return;
    }
    input.stop();
    IrcMessage error = IrcMessage.of(null, "ERROR", "Closing link: " + reason);
    if (session.registered() && !closed) {
      relay(List.of(error), true);
      closing = true;
    } else {
      write(error);
      closing = true;
      closeAfterOutput();
    }
  }

  private void closeAfterOutput() {
    closing = true;
    input.stop();
    socket.end();
    server.vertx().setTimer(5_000, t -> socket.close());
  }

  private void onClosed() {
    if (closed) {
      return;
    }
    closed = true;
    server.metrics().connectionClosed(ChatMetrics.Protocol.IRC);
    server.forget(this);
    input.closed();
  }
}
