package chat.line;

import chat.core.Event;
import chat.core.Reply;
import chat.core.RoomEvent;
import chat.core.RoomHistory;
import java.time.ZoneId;

/** Renders the core's events and replies as the line protocol's text, in the configured locale. */
public final class LineRenderer implements Reply.Handler<String> {

  private final Texts texts;
  private final ZoneId zone;

  /** {@code zone}: the time zone of the stamps on history lines. */
  public LineRenderer(Texts texts, ZoneId zone) {
    this.texts = texts;
    this.zone = zone;
  }

  public Texts texts() {
    return texts;
  }

  public String room(RoomEvent event) {
    return switch (event.kind()) {
      case JOINED -> texts.joined(event.name());
      case PARTED, QUIT -> texts.left(event.name());
      case SAID -> texts.said(event.name(), event.text());
      case ACTED -> texts.acted(event.name(), event.text());
      case RENAMED -> texts.renamed(event.name(), event.other());
      case NOTICED -> texts.said(event.name(), event.text());
      case TOPIC -> texts.topicSet(event.name(), event.text());
      case MODE -> texts.modeSet(event.name(), event.text(), event.other());
    };
  }

  public String reply(Reply reply) {
    return reply.accept(this);
  }

  /** The notice an evicted user reads before its connection closes ({@link Event.Evict}). */
  public String evicted() {
    return texts.rejoiningCluster();
  }

  @Override
  public String prompt(Reply.Prompt prompt) {
    return texts.prompt();
  }

  /** The original server's exact line, then the prompt again (a separate {@link Reply.Prompt}). */
  @Override
  public String nameTaken(Reply.NameTaken nameTaken) {
    return texts.nameTaken();
  }

  @Override
  public String invalidName(Reply.InvalidName invalidName) {
    return texts.invalidName(invalidName.problem());
  }

  @Override
  public String nameInUse(Reply.NameInUse nameInUse) {
    return texts.nameInUse(nameInUse.name());
  }

  @Override
  public String invalidRoom(Reply.InvalidRoom invalidRoom) {
    return texts.invalidRoom(invalidRoom.problem());
  }

  @Override
  public String alreadyInRoom(Reply.AlreadyInRoom alreadyInRoom) {
    return texts.alreadyInRoom(alreadyInRoom.room());
  }

  @Override
  public String notInRoom(Reply.NotInRoom notInRoom) {
    return texts.notInRoom(notInRoom.room());
  }

  @Override
  public String notOperator(Reply.NotOperator notOperator) {
    return texts.notOperator(notOperator.room());
  }

  @Override
  public String noSuchUser(Reply.NoSuchUser noSuchUser) {
    return texts.noSuchUser(noSuchUser.name());
  }

  @Override
  public String whispered(Reply.Whispered whispered) {
    return texts.whispered(whispered.from(), whispered.to(), whispered.text());
  }

  @Override
  public String who(Reply.Who who) {
    return texts.who(who.room(), who.names());
  }

  @Override
  public String roomList(Reply.RoomList roomList) {
    return texts.rooms(roomList.counts());
  }

  @Override
  public String help(Reply.Help help) {
    return texts.help();
  }

  @Override
  public String usage(Reply.Usage usage) {
    return texts.usage(usage.grammar());
  }

  @Override
  public String unknownCommand(Reply.UnknownCommand unknownCommand) {
    return texts.unknownCommand(unknownCommand.word());
  }

  @Override
  public String topic(Reply.Topic topic) {
    return topic.text() == null ? texts.noTopic(topic.room()) : texts.topic(topic.room(), topic.text());
  }

  /** The line protocol looks nobody up. */
  @Override
  public String users(Reply.Users users) {
    throw new IllegalStateException("the line protocol makes no lookups");
  }

  /** Another front-end's refusal, should one ever reach a line user: a notice. */
  @Override
  public String refused(Reply.Refused refused) {
    return Texts.NOTICE + refused.text();
  }

  /** The line protocol relays nothing of its own. */
  @Override
  public String relay(Reply.Relay relay) {
    throw new IllegalStateException("the line protocol relays no replies");
  }

  /**
   * Each line as a notice with its time, {@code *** [12:01] [alice] hi}: no user's line can start like that (they
   * start with the sender's name in brackets), so a replayed line can be neither mistaken for a live one nor forged.
   */
  @Override
  public String history(Reply.History history) {
    if (history.lines().isEmpty()) {
      return texts.noHistory(history.room());
    }
    StringBuilder text = new StringBuilder();
    for (RoomHistory.Line line : history.lines()) {
      if (text.length() > 0) {
        text.append('\n');
      }
      text.append(Texts.NOTICE).append('[').append(RoomHistory.clock(line.event().at(), zone)).append("] ")
          .append(room(line.event()));
    }
    return text.toString();
  }

  @Override
  public String invalidUtf8(Reply.InvalidUtf8 invalidUtf8) {
    return texts.invalidUtf8();
  }
}
