package dev.nanokit.manifest;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * Structural operations on value graphs that may share objects or contain cycles (a log can make a
 * tuple reference its own ancestor). Iterative, so a deeply nested tree cannot overflow the stack.
 */
final class ValueGraph {
  private ValueGraph() {}

  /**
   * Coinductive equality: a pair already under comparison is assumed equal, which is the greatest
   * fixed point and terminates on cycles.
   */
  static boolean equal(Value a, Value b) {
    IdentityHashMap<Value, IdentityHashMap<Value, Boolean>> assumed = new IdentityHashMap<>();
    Deque<Value[]> work = new ArrayDeque<>();
    work.push(new Value[] {a, b});
    while (!work.isEmpty()) {
      Value[] pair = work.pop();
      Value x = pair[0];
      Value y = pair[1];
      if (x == y) {
        continue;
      }
      if (x instanceof Tuple tx && y instanceof Tuple ty) {
        if (assumed.computeIfAbsent(x, k -> new IdentityHashMap<>()).put(y, Boolean.TRUE) != null) {
          continue;
        }
        if (!tx.names().equals(ty.names())) {
          return false;
        }
        for (Map.Entry<String, Value> e : tx.entries().entrySet()) {
          work.push(new Value[] {e.getValue(), ty.get(e.getKey())});
        }
      } else if (x instanceof VectorValue vx && y instanceof VectorValue vy) {
        if (assumed.computeIfAbsent(x, k -> new IdentityHashMap<>()).put(y, Boolean.TRUE) != null) {
          continue;
        }
        if (vx.size() != vy.size()) {
          return false;
        }
        for (int i = 0; i < vx.size(); i++) {
          work.push(new Value[] {vx.get(i), vy.get(i)});
        }
      } else if (x instanceof Tuple || x instanceof VectorValue || !x.equals(y)) {
        return false;
      }
    }
    return true;
  }

  static Value deepCopy(Value root) {
    IdentityHashMap<Value, Value> copies = new IdentityHashMap<>();
    Deque<Value> work = new ArrayDeque<>();
    Value rootCopy = shell(root, copies, work);
    while (!work.isEmpty()) {
      Value original = work.pop();
      Value copy = copies.get(original);
      if (original instanceof Tuple t) {
        for (Map.Entry<String, Value> e : t.entries().entrySet()) {
          ((Tuple) copy).put(e.getKey(), shell(e.getValue(), copies, work));
        }
      } else if (original instanceof VectorValue v) {
        for (Value element : v.elements()) {
          ((VectorValue) copy).add(shell(element, copies, work));
        }
      }
    }
    return rootCopy;
  }

  private static Value shell(Value v, IdentityHashMap<Value, Value> copies, Deque<Value> work) {
    if (!(v instanceof Tuple) && !(v instanceof VectorValue)) {
      return v;
    }
    Value existing = copies.get(v);
    if (existing != null) {
      return existing;
    }
    Value copy = v instanceof Tuple ? new Tuple() : new VectorValue();
    copies.put(v, copy);
    work.push(v);
    return copy;
  }

  /**
   * Rendering past this many characters is cut off: a shared object prints once per use, so a
   * small tree can stand for an exponential text, and toString must stay cheap enough for messages.
   */
  static final int TO_STRING_LIMIT = 1 << 16;

  /** Manifest-like rendering; an object met again on the current path prints as {@code <cycle>}. */
  static String toString(Value root) {
    StringBuilder sb = new StringBuilder();
    IdentityHashMap<Value, Boolean> onPath = new IdentityHashMap<>();
    // Explicit stack of iterators to stay iterative.
    Deque<Object[]> stack = new ArrayDeque<>();
    open(root, sb, onPath, stack);
    while (!stack.isEmpty()) {
      if (sb.length() > TO_STRING_LIMIT) {
        return sb.append("…").toString();
      }
      Object[] frame = stack.peek();
      Value container = (Value) frame[0];
      Iterator<?> it = (Iterator<?>) frame[1];
      if (!it.hasNext()) {
        stack.pop();
        onPath.remove(container);
        sb.append(container instanceof Tuple ? ')' : ']');
        continue;
      }
      boolean first = (Boolean) frame[2];
      frame[2] = Boolean.FALSE;
      if (!first) {
        sb.append(' ');
      }
      Object next = it.next();
      Value value;
      if (next instanceof Map.Entry<?, ?> e) {
        sb.append(e.getKey()).append(':');
        value = (Value) e.getValue();
      } else {
        value = (Value) next;
      }
      open(value, sb, onPath, stack);
    }
    return sb.toString();
  }

  private static void open(Value v, StringBuilder sb, IdentityHashMap<Value, Boolean> onPath, Deque<Object[]> stack) {
    if (v instanceof Tuple t) {
      if (onPath.put(v, Boolean.TRUE) != null) {
        sb.append("<cycle>");
        return;
      }
      sb.append('(');
      stack.push(new Object[] {v, t.entries().entrySet().iterator(), Boolean.TRUE});
    } else if (v instanceof VectorValue vec) {
      if (onPath.put(v, Boolean.TRUE) != null) {
        sb.append("<cycle>");
        return;
      }
      sb.append('[');
      stack.push(new Object[] {v, vec.elements().iterator(), Boolean.TRUE});
    } else {
      sb.append(v);
    }
  }
}
