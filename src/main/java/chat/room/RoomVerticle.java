package chat.room;

import chat.bus.Addresses;
import chat.bus.Requests;
import chat.core.Event;
import chat.core.Member;
import chat.core.Reply;
import chat.core.Request;
import chat.config.ChatConfig;
import chat.core.RoomEvent;
import chat.core.RoomHistory;
import chat.core.RoomRegistry;
import chat.ops.ChatMetrics;
import chat.vertx.EventLoopHooks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single owner of a node's users and rooms: takes the requests of the node's front-end instances in order and
 * answers each in the requester's instance stream ({@link Fanout}), room events and replies alike, so every answer to
 * a connection's lines is in line order. What crosses to other nodes goes through {@link Replication}.
 *
 * <p>Room events are delivered in their room's order, which the {@link Replication} gives: at once on a node alone,
 * once the cluster has sequenced them otherwise. A user's replies wait in its {@link Lane} behind its own room events
 * still being sequenced, so that they keep the order of the lines that caused them. The rooms' last lines are kept in
 * a {@link RoomHistory}, replayed to a user entering a room and shown on request.
 */
public final class RoomVerticle extends VerticleBase implements Request.Handler<Void>, Replication.NodeRooms {

  private static final Logger log = LoggerFactory.getLogger(RoomVerticle.class);

  /** A connection's events on their way to it: {@code held} waits until its own room events are sequenced. */
  private static final class Lane {
    long ordered;
    long sequenced;
    final ArrayDeque<Held> held = new ArrayDeque<>();
  }

  /** An event for a connection that must not overtake the first {@code after} of its own room events. */
  private record Held(long after, String instance, Event event) {
  }

  private final String nodeId;
  private final ChatMetrics metrics;
  private final Replication replication;
  private final ChatConfig.History config;
  private final RoomHistory history;
  private final Map<Long, Lane> lanes = new HashMap<>();
  private RoomRegistry registry = new RoomRegistry();
  private Fanout fanout;

  public RoomVerticle(String nodeId, ChatMetrics metrics, Replication replication, ChatConfig.History config) {
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.replication = replication;
    this.config = config;
    this.history = new RoomHistory(config.lines(), config.maxAgeSeconds() * 1_000_000L, config.maxRooms());
  }

  @Override
  public Future<?> start() {
    fanout = new Fanout(vertx.eventBus(), EventLoopHooks.of(context));
    Future<Void> local = vertx.eventBus().<Requests>localConsumer(Addresses.rooms(nodeId), this::handle).completion();
    return Future.all(local, replication.start(this));
  }

  // A batch of an instance's requests. One that asks for a reply is a barrier (a draining instance's): its reply
  // means every request sent before it has been handled.
  private void handle(Message<Requests> message) {
    for (Request request : message.body().requests()) {
      request.accept(this);
    }
    if (message.replyAddress() != null) {
      message.reply(null);
    }
  }

  @Override
  public Void enter(Request.Enter enter) {
    if (registry.enter(enter.member())) {
      metrics.userRegistered();
      replication.entered(enter.member());
    }
    return null;
  }

  @Override
  public Void join(Request.Join join) {
    return changed(join.key(), registry.join(join.key(), join.room(), RoomEvent.nowMicros()));
  }

  @Override
  public Void part(Request.Part part) {
    return changed(part.key(), registry.part(part.key(), part.room(), part.reason(), RoomEvent.nowMicros()));
  }

  @Override
  public Void leave(Request.Leave leave) {
    Optional<Member> member = registry.member(leave.key());
    member.ifPresent(m -> {
      changed(m, registry.leave(leave.key(), leave.reason(), RoomEvent.nowMicros()));
      metrics.userLeft();
      replication.gone(m.key(), m.name());
      toLane(m.instance(), m.connection(), new Event.Gone(m.connection()));
    });
    return null;
  }

  @Override
  public Void say(Request.Say say) {
    metrics.messageReceived();
    return changed(say.key(),
        registry.message(RoomEvent.Kind.SAID, say.key(), say.room(), say.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void act(Request.Act act) {
    metrics.messageReceived();
    return changed(act.key(),
        registry.message(RoomEvent.Kind.ACTED, act.key(), act.room(), act.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void rename(Request.Rename rename) {
    // Looked up after the rename: under its new key.
    changed(rename.newKey(),
        registry.rename(rename.oldKey(), rename.newName(), rename.newKey(), RoomEvent.nowMicros()));
    replication.renamed(rename.oldKey(), rename.newName(), rename.newKey());
    return null;
  }

  // The recipient's copy goes to the recipient, here or on its node; the sender's copy (one, even to itself) or a
  // "no such user" goes to the sender, in its lane.
  @Override
  public Void whisper(Request.Whisper whisper) {
    Optional<Member> from = registry.member(whisper.key());
    if (from.isEmpty()) {
      return null;
    }
    metrics.messageReceived();
    Optional<Member> here = registry.member(whisper.toKey());
    Optional<String> to = here.map(Member::name).or(() -> replication.nameOf(whisper.toKey()));
    if (to.isEmpty()) {
      return direct(from.get(), new Reply.NoSuchUser(whisper.toAsTyped()));
    }
    Reply.Whispered whispered = new Reply.Whispered(from.get().name(), to.get(), whisper.text(), RoomEvent.nowMicros());
    if (here.isEmpty()) {
      replication.whisper(whisper.toKey(), whispered);
    } else if (!whisper.toKey().equals(whisper.key())) {
      deliverWhisper(whisper.toKey(), whispered);
    }
    return direct(from.get(), whispered);
  }

  @Override
  public Void who(Request.Who who) {
    List<RoomRegistry.Seat> seats = new ArrayList<>(registry.who(who.room()));
    seats.addAll(replication.members(who.room()));
    seats.sort(Comparator.comparingLong(RoomRegistry.Seat::since));
    List<String> names = seats.stream().map(RoomRegistry.Seat::name).toList();
    return answer(who.key(), new Reply.Who(who.room(), names));
  }

  @Override
  public Void rooms(Request.Rooms rooms) {
    Map<String, Integer> counts = new TreeMap<>(registry.rooms());
    replication.counts().forEach((room, count) -> counts.merge(room, count, Integer::sum));
    return answer(rooms.key(), new Reply.RoomList(counts));
  }

  @Override
  public Void notice(Request.Notice notice) {
    metrics.messageReceived();
    return changed(notice.key(), registry.message(RoomEvent.Kind.NOTICED, notice.key(), notice.room(), notice.text(),
        RoomEvent.nowMicros()));
  }

  @Override
  public Void topic(Request.Topic topic) {
    if (topic.text() == null) {
      return answer(topic.key(), registry.topicOf(topic.room()));
    }
    return changed(topic.key(), registry.topic(topic.key(), topic.room(), topic.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void history(Request.History asked) {
    List<RoomHistory.Line> lines = history.select(asked.room(), asked.query(), RoomEvent.nowMicros());
    metrics.historyServed(lines.size());
    return answer(asked.key(), new Reply.History(asked.room(), lines, false));
  }

  @Override
  public Void lookup(Request.Lookup lookup) {
    List<Reply.User> found = new ArrayList<>();
    for (String key : lookup.keys()) {
      Optional<Member> here = registry.member(key);
      if (here.isPresent()) {
        found.add(new Reply.User(here.get().name(), List.copyOf(registry.roomsOf(key))));
      } else if (!key.isEmpty()) {
        replication.nameOf(key).ifPresent(name -> found.add(new Reply.User(name, List.of())));
      }
    }
    int here = registry.memberCount();
    return answer(lookup.key(), new Reply.Users(lookup.keys(), found, here, here + replication.remoteUserCount()));
  }

  @Override
  public Void answer(Request.Answer answer) {
    return answer(answer.key(), answer.reply());
  }

  // Replication.NodeRooms: room events in their rooms' order, and what other nodes' users do here.

  /**
   * Delivers a room event at its place in the room's order. A user entering a room sees its own join, then the room's
   * last lines, then what follows.
   */
  @Override
  public void sequenced(long seq, RoomEvent event, Replication.Own own) {
    List<RoomHistory.Line> replay = own != null && event.kind() == RoomEvent.Kind.JOINED && config.replayLines() > 0
        ? history.last(event.room(), config.replayLines(), event.at())
        : List.of();
    earlier(seq, event);
    for (RoomRegistry.Delivery delivery : own != null ? own.local() : registry.remote(event)) {
      fanout.add(delivery.instance(), delivery.event());
    }
    if (own == null) {
      return;
    }
    if (!replay.isEmpty()) {
      metrics.historyServed(replay.size());
      fanout.add(own.instance(), new Event.Direct(own.connection(), new Reply.History(event.room(), replay, true)));
    }
    Lane lane = lanes.get(own.connection());
    if (lane != null) {
      lane.sequenced++;
      release(own.connection(), lane);
    }
  }

  @Override
  public void earlier(long seq, RoomEvent event) {
    history.add(seq, event);
    metrics.history(history.roomCount(), history.lineCount());
  }

  // Never in the order: a line is refused with a notice; a change of membership or name happened here already (the
  // registry has it), so it is delivered here all the same rather than leave this node's users a view that is wrong.
  @Override
  public void refused(Replication.Own own) {
    metrics.orderRefused();
    if (own.event().isMessage() || own.event().kind() == RoomEvent.Kind.TOPIC) {
      log.warn("a line in {} was not accepted into the room's order", own.event().room());
      fanout.add(own.instance(), new Event.Direct(own.connection(),
          new Reply.Refused("NOT_DELIVERED", "your line in " + own.event().room() + " was not delivered: try again")));
    } else {
      log.warn("a {} in {} was not accepted into the room's order: delivered on this node only", own.event().kind(),
          own.event().room());
      own.local().forEach(delivery -> fanout.add(delivery.instance(), delivery.event()));
    }
    Lane lane = lanes.get(own.connection());
    if (lane != null) {
      lane.sequenced++;
      release(own.connection(), lane);
    }
  }

  @Override
  public boolean hasMembers(String room) {
    return registry.hasRoom(room);
  }

  @Override
  public void unfollowed(String room) {
    history.forget(room);
    metrics.history(history.roomCount(), history.lineCount());
  }

  @Override
  public void topicSet(RoomEvent topic) {
    registry.remember(topic);
  }

  @Override
  public void deliverWhisper(String toKey, Reply.Whispered whisper) {
    registry.member(toKey).ifPresent(target -> {
      metrics.delivered(1);
      direct(target, whisper);
    });
  }

  @Override
  public void evictEveryone() {
    List<Member> members = new ArrayList<>(registry.members());
    log.warn("disconnecting {} users: this node is rejoining its cluster", members.size());
    registry = new RoomRegistry();
    lanes.clear();
    history.clear();
    metrics.roomCount(0);
    metrics.history(0, 0);
    for (Member member : members) {
      metrics.userLeft();
      fanout.add(member.instance(), new Event.Evict(member.connection()));
    }
  }

  @Override
  public Collection<Member> members() {
    return registry.members();
  }


  private Void changed(String key, List<RoomRegistry.Delivery> deliveries) {
    registry.member(key).ifPresent(member -> changed(member, deliveries));
    return null;
  }

  /**
   * A change among this node's users, by {@code actor}: each of its events (one per room it touches, each with its
   * deliveries here, one per local instance, contiguous) goes into its room's order, to be delivered here and on
   * every other node when the order reaches it.
   */
  private void changed(Member actor, List<RoomRegistry.Delivery> deliveries) {
    if (deliveries.isEmpty()) {
      return;
    }
    metrics.roomCount(registry.roomCount());
    Lane lane = lanes.computeIfAbsent(actor.connection(), c -> new Lane());
    int from = 0;
    for (int i = 1; i <= deliveries.size(); i++) {
      RoomEvent event = deliveries.get(from).event();
      if (i == deliveries.size() || !sameEvent(deliveries.get(i).event(), event)) {
        lane.ordered++;
        replication.order(new Replication.Own(event.withMembershipChange(0, 0), List.copyOf(deliveries.subList(from, i)),
            actor.instance(), actor.connection()));
        from = i;
      }
    }
  }

  private static boolean sameEvent(RoomEvent a, RoomEvent b) {
    return a.kind() == b.kind() && a.room().equals(b.room()) && a.at() == b.at();
  }

  private Void answer(String key, Reply reply) {
    registry.member(key).ifPresent(member -> direct(member, reply));
    return null;
  }

  private Void direct(Member member, Reply reply) {
    toLane(member.instance(), member.connection(), new Event.Direct(member.connection(), reply));
    return null;
  }

  /** An event for one connection, after every room event of its own that is still being sequenced. */
  private void toLane(String instance, long connection, Event event) {
    Lane lane = lanes.get(connection);
    if (lane == null || (lane.held.isEmpty() && lane.sequenced >= lane.ordered)) {
      fanout.add(instance, event);
      if (event instanceof Event.Gone) {
        lanes.remove(connection);
      }
    } else {
      lane.held.add(new Held(lane.ordered, instance, event));
    }
  }

  private void release(long connection, Lane lane) {
    while (!lane.held.isEmpty() && lane.held.peekFirst().after() <= lane.sequenced) {
      Held held = lane.held.pollFirst();
      fanout.add(held.instance(), held.event());
      if (held.event() instanceof Event.Gone) {
        lanes.remove(connection);
      }
    }
  }
}
