package chat.room;

import chat.bus.Addresses;
import chat.bus.Requests;
import chat.core.Event;
import chat.core.Member;
import chat.core.Reply;
import chat.core.Request;
import chat.core.RoomEvent;
import chat.core.RoomRegistry;
import chat.ops.ChatMetrics;
import chat.vertx.EventLoopHooks;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import java.util.ArrayList;
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
 */
public final class RoomVerticle extends VerticleBase implements Request.Handler<Void>, Replication.NodeRooms {

  private static final Logger log = LoggerFactory.getLogger(RoomVerticle.class);

  private final String nodeId;
  private final ChatMetrics metrics;
  private final Replication replication;
  private RoomRegistry registry = new RoomRegistry();
  private Fanout fanout;

  public RoomVerticle(String nodeId, ChatMetrics metrics, Replication replication) {
    this.nodeId = nodeId;
    this.metrics = metrics;
    this.replication = replication;
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
    return changed(registry.join(join.key(), join.room(), RoomEvent.nowMicros()));
  }

  @Override
  public Void part(Request.Part part) {
    return changed(registry.part(part.key(), part.room(), part.reason(), RoomEvent.nowMicros()));
  }

  @Override
  public Void leave(Request.Leave leave) {
    Optional<Member> member = registry.member(leave.key());
    changed(registry.leave(leave.key(), leave.reason(), RoomEvent.nowMicros()));
    member.ifPresent(m -> {
      metrics.userLeft();
      replication.gone(m);
      fanout.add(m.instance(), new Event.Gone(m.connection()));
    });
    return null;
  }

  @Override
  public Void say(Request.Say say) {
    metrics.messageReceived();
    return changed(registry.message(RoomEvent.Kind.SAID, say.key(), say.room(), say.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void act(Request.Act act) {
    metrics.messageReceived();
    return changed(registry.message(RoomEvent.Kind.ACTED, act.key(), act.room(), act.text(), RoomEvent.nowMicros()));
  }

  @Override
  public Void rename(Request.Rename rename) {
    changed(registry.rename(rename.oldKey(), rename.newName(), rename.newKey(), RoomEvent.nowMicros()));
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
    return changed(registry.message(RoomEvent.Kind.NOTICED, notice.key(), notice.room(), notice.text(),
        RoomEvent.nowMicros()));
  }

  @Override
  public Void topic(Request.Topic topic) {
    if (topic.text() == null) {
      return answer(topic.key(), registry.topicOf(topic.room()));
    }
    return changed(registry.topic(topic.key(), topic.room(), topic.text(), RoomEvent.nowMicros()));
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

  // Replication.NodeRooms: what other nodes' users do here.

  @Override
  public void deliver(RoomEvent event) {
    for (RoomRegistry.Delivery delivery : registry.remote(event)) {
      fanout.add(delivery.instance(), delivery.event());
    }
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
    metrics.roomCount(0);
    for (Member member : members) {
      metrics.userLeft();
      fanout.add(member.instance(), new Event.Evict(member.connection()));
    }
  }

  @Override
  public void evict(Member member) {
    if (!holds(member)) {
      return;
    }
    log.warn("disconnecting {}: its name is held on another node", member.name());
    changed(registry.leave(member.key(), RoomEvent.nowMicros()));
    metrics.userLeft();
    replication.gone(member);
    fanout.add(member.instance(), new Event.Evict(member.connection()));
  }

  @Override
  public boolean holds(Member member) {
    return registry.member(member.key()).filter(member::equals).isPresent();
  }

  @Override
  public Collection<Member> members() {
    return registry.members();
  }


  /** A change among this node's users: deliver it here, and to the other nodes. */
  private Void changed(List<RoomRegistry.Delivery> deliveries) {
    for (RoomRegistry.Delivery delivery : deliveries) {
      fanout.add(delivery.instance(), delivery.event());
    }
    if (!deliveries.isEmpty()) {
      metrics.roomCount(registry.roomCount());
      replication.published(deliveries);
    }
    return null;
  }

  private Void answer(String key, Reply reply) {
    registry.member(key).ifPresent(member -> direct(member, reply));
    return null;
  }

  private Void direct(Member member, Reply reply) {
    fanout.add(member.instance(), new Event.Direct(member.connection(), reply));
    return null;
  }
}
