package chat.line;

import chat.core.Names;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Every line the server writes, in one table per locale.
 *
 * <p>The four lines of the original server ({@link #prompt()}, {@link #nameTaken()}, {@link #joined},
 * {@link #left}) and the user-authored forms ({@link #said}, {@link #acted}, {@link #whispered}) are protocol: clients
 * parse them. Everything else is a notice and starts with {@code *** }.
 */
public enum Texts {

  KO("ID", "등록된 사용자", "%s 접속", "%s 접속 해제") {
    @Override
    public String help() {
      return notice("명령어: /help, /who [방], /rooms, /join 방, /msg 이름 내용, /nick 새이름, /me 내용, /topic [주제], /history [줄수], /quit");
    }

    @Override
    public String who(String room, List<String> names) {
      return names.isEmpty()
          ? notice(room + " 방에 아무도 없습니다")
          : notice(room + " 방 사용자 " + names.size() + "명: " + String.join(", ", names));
    }

    @Override
    public String rooms(Map<String, Integer> counts) {
      return notice("방 목록: " + list(counts, "명"));
    }

    @Override
    public String alreadyInRoom(String room) {
      return notice("이미 " + room + " 방에 있습니다");
    }

    @Override
    public String notInRoom(String room) {
      return notice(room + " 방에 있지 않습니다");
    }

    @Override
    public String noSuchUser(String name) {
      return notice("그런 사용자가 없습니다: " + name);
    }

    @Override
    public String nameInUse(String name) {
      return notice("이미 사용 중인 이름입니다: " + name);
    }

    @Override
    public String invalidName(Names.Problem problem) {
      return notice(switch (problem) {
        case EMPTY -> "이름이 비어 있습니다";
        case TOO_LONG -> "이름이 너무 깁니다 (최대 " + Names.MAX_CODE_POINTS + "자)";
        case BAD_START -> "이름은 글자나 숫자로 시작해야 합니다";
        case BAD_CHARACTER -> "이름에는 글자, 숫자, _ - . 만 쓸 수 있습니다";
      });
    }

    @Override
    public String invalidRoom(Names.Problem problem) {
      return notice("방 이름이 올바르지 않습니다: " + invalidName(problem).substring(NOTICE.length()));
    }

    @Override
    public String usage(String grammar) {
      return notice("사용법: " + grammar);
    }

    @Override
    public String unknownCommand(String word) {
      return notice("알 수 없는 명령어 " + word + ", /help 를 입력하세요");
    }

    @Override
    public String invalidUtf8() {
      return notice("UTF-8 이 아닌 줄은 받을 수 없습니다");
    }

    @Override
    public String lineTooLong(int maxBytes) {
      return notice("줄이 너무 깁니다 (최대 " + maxBytes + "바이트), 연결을 끊습니다");
    }

    @Override
    public String shuttingDown() {
      return notice("서버가 종료됩니다. 다시 접속해 주세요");
    }

    @Override
    public String flooding() {
      return notice("너무 빨리 보내고 있습니다, 연결을 끊습니다");
    }

    @Override
    public String tooManyFromAddress(int max) {
      return notice("이 주소에서 연결이 너무 많습니다 (최대 " + max + "개)");
    }

    @Override
    public String serverFull() {
      return notice("서버가 가득 찼습니다, 나중에 다시 접속하세요");
    }

    @Override
    public String registrationTimeout(int seconds) {
      return notice(seconds + "초 안에 이름을 보내지 않아 연결을 끊습니다");
    }

    @Override
    public String idleTimeout(int seconds) {
      return notice(seconds + "초 동안 입력이 없어 연결을 끊습니다");
    }

    @Override
    public String rejoiningCluster() {
      return notice("서버가 클러스터에 다시 합류합니다. 연결을 끊으니 다시 접속해 주세요");
    }
  },

  EN("ID", "name taken", "%s joined", "%s left") {
    @Override
    public String help() {
      return notice("commands: /help, /who [room], /rooms, /join room, /msg name text, /nick name, /me text, /topic [text], /history [lines], /quit");
    }

    @Override
    public String who(String room, List<String> names) {
      return names.isEmpty()
          ? notice("nobody in " + room)
          : notice(room + " has " + names.size() + ": " + String.join(", ", names));
    }

    @Override
    public String rooms(Map<String, Integer> counts) {
      return notice("rooms: " + list(counts, ""));
    }

    @Override
    public String alreadyInRoom(String room) {
      return notice("you are already in " + room);
    }

    @Override
    public String notInRoom(String room) {
      return notice("you are not in " + room);
    }

    @Override
    public String noSuchUser(String name) {
      return notice("no such user: " + name);
    }

    @Override
    public String nameInUse(String name) {
      return notice("name in use: " + name);
    }

    @Override
    public String invalidName(Names.Problem problem) {
      return notice(switch (problem) {
        case EMPTY -> "the name is empty";
        case TOO_LONG -> "the name is too long (at most " + Names.MAX_CODE_POINTS + " characters)";
        case BAD_START -> "a name starts with a letter or a digit";
        case BAD_CHARACTER -> "a name holds only letters, digits, _ - and .";
      });
    }

    @Override
    public String invalidRoom(Names.Problem problem) {
      return notice("invalid room name: " + invalidName(problem).substring(NOTICE.length()));
    }

    @Override
    public String usage(String grammar) {
      return notice("usage: " + grammar);
    }

    @Override
    public String unknownCommand(String word) {
      return notice("unknown command " + word + ", try /help");
    }

    @Override
    public String invalidUtf8() {
      return notice("line rejected: not valid UTF-8");
    }

    @Override
    public String lineTooLong(int maxBytes) {
      return notice("line too long (at most " + maxBytes + " bytes), disconnecting");
    }

    @Override
    public String shuttingDown() {
      return notice("server shutting down, please reconnect");
    }

    @Override
    public String flooding() {
      return notice("too many lines too fast, disconnecting");
    }

    @Override
    public String tooManyFromAddress(int max) {
      return notice("too many connections from your address (at most " + max + ")");
    }

    @Override
    public String serverFull() {
      return notice("server full, try again later");
    }

    @Override
    public String registrationTimeout(int seconds) {
      return notice("no name within " + seconds + " seconds, disconnecting");
    }

    @Override
    public String idleTimeout(int seconds) {
      return notice("no input for " + seconds + " seconds, disconnecting");
    }

    @Override
    public String rejoiningCluster() {
      return notice("this server is rejoining its cluster, disconnecting: please reconnect");
    }
  };

  public static final String NOTICE = "*** ";

  private final String prompt;
  private final String nameTaken;
  private final String joinedFormat;
  private final String leftFormat;

  Texts(String prompt, String nameTaken, String joinedFormat, String leftFormat) {
    this.prompt = prompt;
    this.nameTaken = nameTaken;
    this.joinedFormat = joinedFormat;
    this.leftFormat = leftFormat;
  }

  /** {@code ko} or {@code en}; empty for anything else. */
  public static Optional<Texts> forLocale(String locale) {
    return switch (locale) {
      case "ko" -> Optional.of(KO);
      case "en" -> Optional.of(EN);
      default -> Optional.empty();
    };
  }

  public String prompt() {
    return prompt;
  }

  public String nameTaken() {
    return nameTaken;
  }

  public String joined(String name) {
    return String.format(joinedFormat, "[" + name + "]");
  }

  public String left(String name) {
    return String.format(leftFormat, "[" + name + "]");
  }

  public String said(String name, String text) {
    return "[" + name + "] " + text;
  }

  public String acted(String name, String text) {
    return "* " + name + " " + text;
  }

  public String whispered(String from, String to, String text) {
    return "[" + from + " → " + to + "] " + text;
  }

  /** Fixed by the protocol table in both locales, so clients can follow renames. */
  public String renamed(String oldName, String newName) {
    return NOTICE + oldName + " is now " + newName;
  }

  /** A room's topic, as /join and /topic show it; the topic is user text, so it only ever follows a notice's label. */
  public String topic(String room, String text) {
    return notice((this == KO ? room + " 방 주제: " : "topic of " + room + ": ") + text);
  }

  /** A mode change an IRC operator made in the room ({@code member} null for a flag of the room). */
  public String modeSet(String name, String change, String member) {
    String what = member == null ? change : change + " " + member;
    return notice((this == KO ? name + " 님이 모드를 바꿨습니다: " : name + " set mode ") + what);
  }

  public String notOperator(String room) {
    return notice(this == KO ? room + " 방 운영자만 할 수 있습니다"
        : "only operators of " + room + " may do that");
  }

  public String noTopic(String room) {
    return notice(this == KO ? room + " 방에 주제가 없습니다" : "no topic in " + room);
  }

  public String topicSet(String name, String text) {
    if (text.isEmpty()) {
      return notice(this == KO ? name + " 님이 주제를 지웠습니다" : name + " cleared the topic");
    }
    return notice((this == KO ? name + " 님이 주제를 바꿨습니다: " : name + " set the topic: ") + text);
  }

  public String noHistory(String room) {
    return notice(this == KO ? room + " 방에 기록이 없습니다" : "no history in " + room);
  }

  public abstract String help();

  public abstract String who(String room, List<String> names);

  public abstract String rooms(Map<String, Integer> counts);

  public abstract String alreadyInRoom(String room);

  public abstract String notInRoom(String room);

  public abstract String noSuchUser(String name);

  public abstract String nameInUse(String name);

  public abstract String invalidName(Names.Problem problem);

  public abstract String invalidRoom(Names.Problem problem);

  public abstract String usage(String grammar);

  public abstract String unknownCommand(String word);

  public abstract String invalidUtf8();

  public abstract String lineTooLong(int maxBytes);

  public abstract String shuttingDown();

  public abstract String flooding();

  public abstract String tooManyFromAddress(int max);

  public abstract String serverFull();

  public abstract String registrationTimeout(int seconds);

  public abstract String idleTimeout(int seconds);

  /** To every user of a node that was cut off from its cluster and is merging back. */
  public abstract String rejoiningCluster();

  static String notice(String text) {
    return NOTICE + text;
  }

  private static String list(Map<String, Integer> counts, String unit) {
    return counts.entrySet().stream()
        .map(e -> e.getKey() + " (" + e.getValue() + unit + ")")
        .collect(Collectors.joining(", "));
  }
}
