package chat.line;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import chat.core.Names.Problem;
import chat.core.Reply;
import chat.core.RoomModes;
import chat.core.RoomEvent;
import chat.core.RoomEvent.Kind;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class LineRendererTest {

  private static final long AT = 1_700_000_000_000_000L;

  /** The original server's lines and the user-authored forms: clients parse them, so they are no notices. */
  private static final Set<Class<?>> PROTOCOL_REPLIES = Set.of(Reply.Prompt.class, Reply.NameTaken.class,
      Reply.Whispered.class);

  private static final Map<String, Integer> COUNTS = new TreeMap<>(Map.of("dev", 2, "lobby", 1));

  static Stream<Arguments> roomEvents() {
    RoomEvent joined = RoomEvent.of(Kind.JOINED, "lobby", "alice", AT);
    RoomEvent parted = RoomEvent.of(Kind.PARTED, "lobby", "alice", AT);
    RoomEvent quit = RoomEvent.of(Kind.QUIT, "lobby", "alice", AT);
    RoomEvent said = RoomEvent.message(Kind.SAID, "lobby", "alice", "hi", AT);
    RoomEvent acted = RoomEvent.message(Kind.ACTED, "lobby", "alice", "waves", AT);
    RoomEvent renamed = RoomEvent.renamed("lobby", "alice", "bob", AT);
    RoomEvent noticed = RoomEvent.message(Kind.NOTICED, "lobby", "alice", "note", AT);
    RoomEvent topic = new RoomEvent(Kind.TOPIC, "lobby", "alice", null, "news", AT, 0, 0);
    RoomEvent locked = RoomEvent.mode("lobby", "alice", "+t", null, AT);
    RoomEvent opped = RoomEvent.mode("lobby", "alice", "+o", "bob", AT);
    return Stream.of(
        arguments(Texts.KO, locked, "*** alice 님이 모드를 바꿨습니다: +t"),
        arguments(Texts.KO, opped, "*** alice 님이 모드를 바꿨습니다: +o bob"),
        arguments(Texts.EN, locked, "*** alice set mode +t"),
        arguments(Texts.EN, opped, "*** alice set mode +o bob"),
        arguments(Texts.KO, noticed, "[alice] note"),
        arguments(Texts.KO, topic, "*** alice 님이 주제를 바꿨습니다: news"),
        arguments(Texts.EN, noticed, "[alice] note"),
        arguments(Texts.EN, topic, "*** alice set the topic: news"),
        arguments(Texts.KO, joined, "[alice] 접속"),
        arguments(Texts.KO, parted, "[alice] 접속 해제"),
        arguments(Texts.KO, quit, "[alice] 접속 해제"),
        arguments(Texts.KO, said, "[alice] hi"),
        arguments(Texts.KO, acted, "* alice waves"),
        arguments(Texts.KO, renamed, "*** alice is now bob"),
        arguments(Texts.EN, joined, "[alice] joined"),
        arguments(Texts.EN, parted, "[alice] left"),
        arguments(Texts.EN, quit, "[alice] left"),
        arguments(Texts.EN, said, "[alice] hi"),
        arguments(Texts.EN, acted, "* alice waves"),
        arguments(Texts.EN, renamed, "*** alice is now bob"),
        // membership markers are for the instance, never for the reader
        arguments(Texts.KO, joined.withMembershipChange(3, 0), "[alice] 접속"),
        arguments(Texts.EN, quit.withMembershipChange(0, 3), "[alice] left"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("roomEvents")
  void roomEventsRenderAsTheProtocolLines(Texts texts, RoomEvent event, String expected) {
    assertThat(new LineRenderer(texts, java.time.ZoneOffset.UTC).room(event)).isEqualTo(expected);
  }

  @ParameterizedTest
  @EnumSource(Texts.class)
  void everyKindOfRoomEventIsRendered(Texts texts) {
    Set<Kind> rendered = roomEvents()
        .filter(arguments -> arguments.get()[0] == texts)
        .map(arguments -> ((RoomEvent) arguments.get()[1]).kind())
        .collect(Collectors.toCollection(() -> EnumSet.noneOf(Kind.class)));

    assertThat(rendered).isEqualTo(EnumSet.allOf(Kind.class));
  }

  static Stream<Arguments> replies() {
    return Stream.of(
        arguments(Texts.KO, new Reply.Topic("dev", "news", "alice", AT), "*** dev 방 주제: news"),
        arguments(Texts.EN, new Reply.Topic("dev", null, null, 0), "*** no topic in dev"),
        arguments(Texts.KO, new Reply.History("dev", java.util.List.of(
            new chat.core.RoomHistory.Line(7, chat.core.RoomEvent.message(chat.core.RoomEvent.Kind.SAID, "dev", "alice",
                "hi", AT)),
            new chat.core.RoomHistory.Line(8, chat.core.RoomEvent.message(chat.core.RoomEvent.Kind.ACTED, "dev", "bob",
                "waves", AT + 60_000_000L))), true),
            "*** [" + clock(AT) + "] [alice] hi\n*** [" + clock(AT + 60_000_000L) + "] * bob waves"),
        arguments(Texts.EN, new Reply.History("dev", java.util.List.of(), false), "*** no history in dev"),
        arguments(Texts.KO, new Reply.Refused("bad_message", "not understood"), "*** not understood"),
        arguments(Texts.EN, new Reply.Refused("bad_message", "not understood"), "*** not understood"),
        arguments(Texts.KO, new Reply.Prompt(), "ID"),
        arguments(Texts.KO, new Reply.NameTaken("alice"), "등록된 사용자"),
        arguments(Texts.KO, new Reply.InvalidName("", Problem.EMPTY), "*** 이름이 비어 있습니다"),
        arguments(Texts.KO, new Reply.InvalidName("a".repeat(33), Problem.TOO_LONG), "*** 이름이 너무 깁니다 (최대 32자)"),
        arguments(Texts.KO, new Reply.InvalidName("_a", Problem.BAD_START), "*** 이름은 글자나 숫자로 시작해야 합니다"),
        arguments(Texts.KO, new Reply.InvalidName("a b", Problem.BAD_CHARACTER),
            "*** 이름에는 글자, 숫자, _ - . 만 쓸 수 있습니다"),
        arguments(Texts.KO, new Reply.NameInUse("bob"), "*** 이미 사용 중인 이름입니다: bob"),
        arguments(Texts.KO, new Reply.InvalidRoom("a b", Problem.BAD_CHARACTER),
            "*** 방 이름이 올바르지 않습니다: 이름에는 글자, 숫자, _ - . 만 쓸 수 있습니다"),
        arguments(Texts.KO, new Reply.AlreadyInRoom("dev"), "*** 이미 dev 방에 있습니다"),
        arguments(Texts.KO, new Reply.NotInRoom("dev"), "*** dev 방에 있지 않습니다"),
        arguments(Texts.KO, new Reply.NotOperator("dev"), "*** dev 방 운영자만 할 수 있습니다"),
        arguments(Texts.KO, new Reply.NoSuchUser("b*b"), "*** 그런 사용자가 없습니다: b*b"),
        arguments(Texts.KO, new Reply.Whispered("alice", "bob", "psst", AT, false), "[alice → bob] psst"),
        arguments(Texts.KO, new Reply.Who("dev", List.of("alice", "bob"), RoomModes.NONE),
            "*** dev 방 사용자 2명: alice, bob"),
        arguments(Texts.KO, new Reply.Who("dev", List.of(), RoomModes.NONE), "*** dev 방에 아무도 없습니다"),
        arguments(Texts.KO, new Reply.RoomList(COUNTS), "*** 방 목록: dev (2명), lobby (1명)"),
        arguments(Texts.KO, new Reply.Help(),
            "*** 명령어: /help, /who [방], /rooms, /join 방, /msg 이름 내용, /nick 새이름, /me 내용, /topic [주제], /history [줄수], /quit"),
        arguments(Texts.KO, new Reply.Usage("/join room"), "*** 사용법: /join room"),
        arguments(Texts.KO, new Reply.UnknownCommand("/dance"), "*** 알 수 없는 명령어 /dance, /help 를 입력하세요"),
        arguments(Texts.KO, new Reply.InvalidUtf8(), "*** UTF-8 이 아닌 줄은 받을 수 없습니다"),
        arguments(Texts.EN, new Reply.Prompt(), "ID"),
        arguments(Texts.EN, new Reply.NameTaken("alice"), "name taken"),
        arguments(Texts.EN, new Reply.InvalidName("", Problem.EMPTY), "*** the name is empty"),
        arguments(Texts.EN, new Reply.InvalidName("a".repeat(33), Problem.TOO_LONG),
            "*** the name is too long (at most 32 characters)"),
        arguments(Texts.EN, new Reply.InvalidName("_a", Problem.BAD_START), "*** a name starts with a letter or a digit"),
        arguments(Texts.EN, new Reply.InvalidName("a b", Problem.BAD_CHARACTER),
            "*** a name holds only letters, digits, _ - and ."),
        arguments(Texts.EN, new Reply.NameInUse("bob"), "*** name in use: bob"),
        arguments(Texts.EN, new Reply.InvalidRoom("a b", Problem.BAD_CHARACTER),
            "*** invalid room name: a name holds only letters, digits, _ - and ."),
        arguments(Texts.EN, new Reply.AlreadyInRoom("dev"), "*** you are already in dev"),
        arguments(Texts.EN, new Reply.NotInRoom("dev"), "*** you are not in dev"),
        arguments(Texts.EN, new Reply.NotOperator("dev"), "*** only operators of dev may do that"),
        arguments(Texts.EN, new Reply.NoSuchUser("b*b"), "*** no such user: b*b"),
        arguments(Texts.EN, new Reply.Whispered("alice", "bob", "psst", AT, false), "[alice → bob] psst"),
        arguments(Texts.EN, new Reply.Who("dev", List.of("alice", "bob"), RoomModes.NONE), "*** dev has 2: alice, bob"),
        arguments(Texts.EN, new Reply.Who("dev", List.of(), RoomModes.NONE), "*** nobody in dev"),
        arguments(Texts.EN, new Reply.RoomList(COUNTS), "*** rooms: dev (2), lobby (1)"),
        arguments(Texts.EN, new Reply.Help(),
            "*** commands: /help, /who [room], /rooms, /join room, /msg name text, /nick name, /me text, /topic [text], /history [lines], /quit"),
        arguments(Texts.EN, new Reply.Usage("/join room"), "*** usage: /join room"),
        arguments(Texts.EN, new Reply.UnknownCommand("/dance"), "*** unknown command /dance, try /help"),
        arguments(Texts.EN, new Reply.InvalidUtf8(), "*** line rejected: not valid UTF-8"));
  }

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @MethodSource("replies")
  void repliesRenderExactly(Texts texts, Reply reply, String expected) {
    assertThat(new LineRenderer(texts, java.time.ZoneOffset.UTC).reply(reply)).isEqualTo(expected);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("replies")
  void everyReplyButTheProtocolLinesIsANotice(Texts texts, Reply reply, String expected) {
    String line = new LineRenderer(texts, java.time.ZoneOffset.UTC).reply(reply);

    if (PROTOCOL_REPLIES.contains(reply.getClass())) {
      assertThat(line).doesNotStartWith(Texts.NOTICE);
    } else {
      assertThat(line).startsWith(Texts.NOTICE);
    }
  }

  @ParameterizedTest
  @EnumSource(Texts.class)
  void everyKindOfReplyIsRendered(Texts texts) {
    Set<Class<?>> rendered = replies()
        .filter(arguments -> arguments.get()[0] == texts)
        .map(arguments -> arguments.get()[1].getClass())
        .collect(Collectors.toSet());

    // Lookups and relays are asked for by other front-ends only.
    Set<Class<?>> lineReplies = Arrays.stream(Reply.class.getPermittedSubclasses())
        .filter(kind -> kind != Reply.Users.class && kind != Reply.Relay.class)
        .collect(Collectors.toSet());
    assertThat(rendered).isEqualTo(lineReplies);
  }

  /** HH:mm in UTC, the renderers' zone here. */
  private static String clock(long micros) {
    return java.time.format.DateTimeFormatter.ofPattern("HH:mm")
        .format(java.time.Instant.EPOCH.plus(micros, java.time.temporal.ChronoUnit.MICROS).atZone(java.time.ZoneOffset.UTC));
  }

  static Stream<Arguments> evictions() {
    return Stream.of(
        arguments(Texts.KO, "*** 서버가 클러스터에 다시 합류합니다. 연결을 끊으니 다시 접속해 주세요"),
        arguments(Texts.EN, "*** this server is rejoining its cluster, disconnecting: please reconnect"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("evictions")
  void anEvictedUserIsToldBeforeTheConnectionCloses(Texts texts, String expected) {
    assertThat(new LineRenderer(texts, java.time.ZoneOffset.UTC).evicted()).isEqualTo(expected);
  }
}
