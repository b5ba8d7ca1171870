package io.meshyauth.server.courier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues messages and delivers them: {@link #queue} renders a message and writes it to the outbox; a daemon thread
 * ({@link #start}) claims due messages in small batches, hands each to its channel, and marks it sent, or due
 * again after a backoff (1 s, 2 s, 4 s, ... up to {@code courier.max-backoff}), or, after
 * {@code courier.max-attempts}, failed. It wakes at once when this node queues a message, and looks every
 * {@code pollInterval} for messages other nodes queued or a crashed node left (their leases run out); when it
 * starts it takes up at once whatever is due.
 *
 * <p>Delivery is at least once: a node that stops (or crashes) between handing a message over and marking it sent
 * leaves it to be sent again when its lease runs out, so a receiver may get it twice. Its id is the same both times
 * (the webhook's {@code id}, the mail's {@code Message-ID}).
 *
 * <p>The log names a message by its id, kind and masked recipient, never its code, address or text; what a
 * channel said about a failure is logged and kept with the address and code masked out.
 *
 * <p>Meters: {@code meshy_courier_messages_queued_total}, {@code _sent_total}, {@code _failed_total} by channel
 * ({@code smtp}, {@code webhook}); {@code meshy_courier_messages_waiting} and
 * {@code meshy_courier_oldest_waiting_seconds}, the queued messages of every node as this node's dispatcher last
 * counted them.
 */
public final class Courier implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Courier.class);
  private static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);

  private final Outbox outbox;
  private final Templates templates;
  private final ChannelRouter router;
  private final CourierSettings settings;
  private final MeterRegistry registry;
  private final Clock clock;
  private final AtomicReference<Outbox.Backlog> backlog = new AtomicReference<>(Outbox.Backlog.EMPTY);
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition wakeUp = lock.newCondition();
  /** Guarded by {@link #lock}. */
  private boolean woken;
  /** Guarded by {@link #lock}. */
  private Thread dispatcher;
  private volatile boolean running;
  /** The dispatcher's own: whether its last use of the store failed, so that an outage is logged once. */
  private boolean storeFailing;

  /** The courier the settings describe: their channels and templates. */
  public Courier(Outbox outbox, CourierSettings settings, MeterRegistry registry, Clock clock) {
    this(outbox, new Templates(settings.templatesDir()), ChannelRouter.of(settings, clock), settings, registry,
        clock);
  }

  Courier(Outbox outbox, Templates templates, ChannelRouter router, CourierSettings settings,
      MeterRegistry registry, Clock clock) {
    this.outbox = outbox;
    this.templates = templates;
    this.router = router;
    this.settings = settings;
    this.registry = registry;
    this.clock = clock;
    for (var channel : router.channels()) {
      counter("queued", channel.name());
      counter("sent", channel.name());
      counter("failed", channel.name());
    }
    Gauge.builder("meshy.courier.messages.waiting", backlog, b -> b.get().waiting())
        .description("messages queued and not yet sent or given up, of every node").register(registry);
    Gauge.builder("meshy.courier.oldest.waiting", this, Courier::oldestWaitingSeconds)
        .baseUnit("seconds")
        .description("how long the oldest queued message has waited").register(registry);
  }

  /**
   * Renders the message and queues it, in a transaction of its own, to be delivered at once; returns its id. An
   * {@link IllegalStateException} if no channel delivers its kind (a text message without a webhook).
   */
  public String queue(Message message) {
    var rendered = render(message);
    outbox.queue(rendered, clock.instant());
    queuedInTransaction(rendered);
    return rendered.id();
  }

  /**
   * The message rendered, for a store that queues it in its own transaction (see the JDBC outbox); then
   * {@link #queuedInTransaction} once that has committed. Refused as {@link #queue} refuses.
   */
  public RenderedMessage render(Message message) {
    channelFor(message.kind());
    return templates.render(message, clock.instant());
  }

  /** A message the caller queued in its own transaction, now committed: counted, and the dispatcher woken. */
  public void queuedInTransaction(RenderedMessage message) {
    var kind = message.message().kind();
    counter("queued", channelFor(kind).name()).increment();
    LOG.debug("courier: queued message {} ({}) to {}", message.id(), kind.id(), message.message().recipientHint());
    wake();
  }

  private Channel channelFor(Message.Kind kind) {
    return router.channelFor(kind).orElseThrow(() -> new IllegalStateException("no courier channel delivers "
        + kind.medium().id() + " messages: set courier.webhook.url"));
  }

  /** Starts the dispatcher, which first delivers whatever is due. */
  public void start() {
    lock.lock();
    try {
      if (dispatcher != null) {
        throw new IllegalStateException("the courier was started already");
      }
      running = true;
      dispatcher = new Thread(this::dispatch, "meshy-courier");
      dispatcher.setDaemon(true);
      dispatcher.start();
    } finally {
      lock.unlock();
    }
  }

  /** Has the dispatcher look for due messages now rather than at its next poll. */
  public void wake() {
    lock.lock();
    try {
      woken = true;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops the dispatcher: it finishes the delivery in hand (each step bounded by the timeout) and leaves the rest of
   * its batch due at once, for another node or the next start.
   */
  @Override
  public void close() {
    Thread thread;
    lock.lock();
    try {
      running = false;
      thread = dispatcher;
      wakeUp.signalAll();
    } finally {
      lock.unlock();
    }
    if (thread == null || thread == Thread.currentThread()) {
      return;
    }
    try {
      thread.join(settings.timeout().multipliedBy(4).toMillis());
      if (thread.isAlive()) {
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(1));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The wait after the {@code attempt}-th failed attempt: 1 s, doubling, at most {@code max}. */
  static Duration backoff(int attempt, Duration max) {
    var wait = FIRST_BACKOFF.multipliedBy(1L << Math.min(Math.max(attempt - 1, 0), 30));
    return wait.compareTo(max) > 0 ? max : wait;
  }

  private void dispatch() {
    while (running) {
      var wait = settings.pollInterval();
      try {
        var now = clock.instant();
        var current = outbox.backlog();
        backlog.set(current);
        var due = current.nextDue();
        if (due.isPresent() && !due.get().isAfter(now)) {
          var claimed = outbox.claim(now, settings.lease(), settings.batchSize());
          deliver(claimed);
          storeRecovered();
          if (!claimed.isEmpty()) {
            continue; // the next look counts what is left, and sleeps until it is due
          }
        } else {
          if (due.isPresent() && Duration.between(now, due.get()).compareTo(wait) < 0) {
            wait = Duration.between(now, due.get());
          }
          storeRecovered();
        }
      } catch (RuntimeException e) {
        storeFailed(e);
      }
      awaitWake(wait);
    }
  }

  private void deliver(List<Outbox.Claimed> claimed) {
    for (int i = 0; i < claimed.size(); i++) {
      if (!running) {
        // stopping: what is left was not tried, and is due again at once
        for (var left : claimed.subList(i, claimed.size())) {
          outbox.retry(left.id(), left.attempt(), clock.instant(), "not attempted: the courier stopped");
        }
        return;
      }
      deliver(claimed.get(i));
    }
  }

  private void deliver(Outbox.Claimed claimed) {
    var channel = router.channelFor(claimed.kind());
    var channelName = channel.map(Channel::name).orElse("none");
    if (claimed.message().isEmpty()) {
      giveUp(claimed, channelName, "the stored message does not decrypt with this node's key-encryption key");
      return;
    }
    if (claimed.attempt() > settings.maxAttempts()) {
      giveUp(claimed, channelName, "given up after " + settings.maxAttempts() + " attempts, the last of which a "
          + "node left unfinished");
      return;
    }
    var message = claimed.message().get();
    if (channel.isEmpty()) {
      failed(claimed, channelName, false, "no channel of this node delivers " + claimed.kind().medium().id()
          + " messages");
      return;
    }
    try {
      channel.get().deliver(message);
    } catch (DeliveryException e) {
      failed(claimed, channelName, e.permanent(), masked(e.getMessage(), message));
      return;
    } catch (RuntimeException e) {
      failed(claimed, channelName, false, masked(e.getClass().getSimpleName() + ": " + e.getMessage(), message));
      return;
    }
    // delivered: a crash before this mark, or a store that fails it, has the message sent again after the lease
    if (outbox.sent(claimed.id(), clock.instant())) {
      LOG.info("courier: sent message {} ({}) to {} by {}", claimed.id(), claimed.kind().id(),
          claimed.recipientHint(), channelName);
    } else {
      LOG.info("courier: sent message {} ({}) to {} by {}, which another node had sent or given up meanwhile (its "
          + "lease had run out)", claimed.id(), claimed.kind().id(), claimed.recipientHint(), channelName);
    }
    counter("sent", channelName).increment();
  }

  private void failed(Outbox.Claimed claimed, String channel, boolean permanent, String error) {
    if (permanent || claimed.attempt() >= settings.maxAttempts()) {
      giveUp(claimed, channel, error);
      return;
    }
    var wait = backoff(claimed.attempt(), settings.maxBackoff());
    if (outbox.retry(claimed.id(), claimed.attempt(), clock.instant().plus(wait), error)) {
      LOG.info("courier: message {} ({}) to {} not delivered by {}, attempt {} of {}: {}; next attempt in {} ms",
          claimed.id(), claimed.kind().id(), claimed.recipientHint(), channel, claimed.attempt(),
          settings.maxAttempts(), error, wait.toMillis());
    }
  }

  private void giveUp(Outbox.Claimed claimed, String channel, String error) {
    if (outbox.failed(claimed.id(), claimed.attempt(), clock.instant(), error)) {
      counter("failed", channel).increment();
      LOG.warn("courier: gave up message {} ({}) to {} by {} at attempt {}: {}", claimed.id(),
          claimed.kind().id(), claimed.recipientHint(), channel, claimed.attempt(), error);
    }
  }

  /** What a channel said, without the address or the code, which a server may quote back. */
  private static String masked(String error, RenderedMessage rendered) {
    var message = rendered.message();
    var text = String.valueOf(error).replace(message.to(), message.recipientHint());
    return text.replace(message.code(), "****");
  }

  private void awaitWake(Duration wait) {
    lock.lock();
    try {
      long nanos = wait.toNanos();
      while (!woken && running && nanos > 0) {
        nanos = wakeUp.awaitNanos(nanos);
      }
      woken = false;
    } catch (InterruptedException e) {
      running = false;
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  private void storeFailed(RuntimeException e) {
    if (!storeFailing) {
      storeFailing = true;
      LOG.warn("courier: the outbox cannot be read or written ({}); trying again every {} ms", e.getMessage(),
          settings.pollInterval().toMillis());
    }
  }

  private void storeRecovered() {
    if (storeFailing) {
      storeFailing = false;
      LOG.info("courier: the outbox is usable again");
    }
  }

  private double oldestWaitingSeconds() {
    return backlog.get().oldestCreated()
        .map(oldest -> Math.max(0, Duration.between(oldest, clock.instant()).toMillis() / 1000.0))
        .orElse(0.0);
  }

  private Counter counter(String outcome, String channel) {
    return Counter.builder("meshy.courier.messages." + outcome)
        .tag("channel", channel)
        .description(switch (outcome) {
          case "queued" -> "messages queued by this node";
          case "sent" -> "messages this node delivered";
          default -> "messages this node gave up";
        })
        .register(registry);
  }
}
