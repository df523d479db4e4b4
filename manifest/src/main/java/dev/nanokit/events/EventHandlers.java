package dev.nanokit.events;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The handlers a builder, writer or fetcher calls with its events, Jib-style: each handler is
 * registered for an event type and receives the events that are instances of it, in registration
 * order, on the thread that does the work. A handler that throws stops that work with its exception.
 *
 * <p>Safe for concurrent registration and dispatch.
 *
 * @param <B> the base type of the events this owner emits
 */
public final class EventHandlers<B> {
  /** An empty set of handlers. */
  public EventHandlers() {}

  private record Handler<B>(Class<? extends B> type, Consumer<? super B> consumer) {}

  private final List<Handler<B>> handlers = new CopyOnWriteArrayList<>();

  /** Calls {@code handler} with every event that is a {@code type}. */
  @SuppressWarnings("unchecked")
  public <E extends B> void add(Class<E> type, Consumer<? super E> handler) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(handler, "handler");
    handlers.add(new Handler<>(type, e -> handler.accept((E) e)));
  }

  /** Adds every handler of {@code other} after this one's. */
  public void addAll(EventHandlers<B> other) {
    handlers.addAll(other.handlers);
  }

  public void dispatch(B event) {
    for (Handler<B> h : handlers) {
      if (h.type().isInstance(event)) {
        h.consumer().accept(event);
      }
    }
  }

  /**
   * Whether some handler would receive an event of {@code type}: an owner that emits many events (one
   * per file, per chunk written) skips making those nobody listens to.
   */
  public boolean wants(Class<? extends B> type) {
    for (Handler<B> h : handlers) {
      if (h.type().isAssignableFrom(type)) {
        return true;
      }
    }
    return false;
  }

  public boolean isEmpty() {
    return handlers.isEmpty();
  }
}
