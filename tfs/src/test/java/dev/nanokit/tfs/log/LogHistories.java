package dev.nanokit.tfs.log;

import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.manifest.codec.Varint;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Random record-level log histories (docs/formats/tfs.md, "4 Value encoding" encoding, "5 The dictionary (object numbering) — exact rules" numbering, "5.5 Update semantics (replay)" updates), written with
 * an encoder of its own that uses every form a reader must accept — updates of earlier tuples by
 * reference, zero-entry references to earlier tuples, deletions, and vector updates by reference,
 * which no writer of this project emits — next to a plain-Java model of the tree they build.
 */
final class LogHistories {
  /** Model objects: a tuple is a name → value map, a vector a list; leaves are String or Long. */
  static final class MTuple {
    final Map<String, Object> entries = new LinkedHashMap<>();
    final boolean leaf; // only strings, integers and vectors go in: references to it cannot make cycles

    MTuple(boolean leaf) {
      this.leaf = leaf;
    }
  }

  static final class MVector {
    final List<Object> elements = new ArrayList<>();
  }

  private static final String[] NAMES = {"children", "a", "b", "arguments", "extents", "x", "\u00e9", "long-name-"
      + "0123456789", "0", "1"};

  final Random random;
  final MTuple root = new MTuple(false);
  final List<MTuple> containers = new ArrayList<>(List.of(root));
  final List<MTuple> leaves = new ArrayList<>();
  final List<MVector> vectors = new ArrayList<>();
  private final Map<String, Long> names = new LinkedHashMap<>();
  private final IdentityHashMap<Object, Long> objects = new IdentityHashMap<>();
  private long counter;
  long entries;

  LogHistories(Random random) {
    this.random = random;
  }

  /** The first record: the immediate root tuple ("5.1 What gets a number": it must be number 1). */
  byte[] rootRecord() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    header(out, true, 1, 1);
    objects.put(root, ++counter);
    entry(out, root, "a", "root");
    return out.toByteArray();
  }

  /** One update record of an existing tuple, applied to the model as the reader must apply it. */
  byte[] updateRecord() {
    List<MTuple> targets = new ArrayList<>(containers);
    targets.addAll(leaves);
    MTuple t = targets.get(random.nextInt(targets.size()));
    int n = random.nextInt(4);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    header(out, false, 1, n);
    Varint.write(out, objects.get(t));
    for (int i = 0; i < n; i++) {
      String name = NAMES[random.nextInt(NAMES.length)];
      int kind = random.nextInt(t.leaf ? 4 : 8);
      if (kind == 0 && t.entries.containsKey(name)) {
        name(out, name);
        out.write(0x80); // deletion
        t.entries.remove(name);
        entries++;
        continue;
      }
      if (kind == 3 && !vectors.isEmpty()) {
        // vector update by reference: overwrite elements 0..k-1, append beyond the end
        MVector v = vectors.get(random.nextInt(vectors.size()));
        name(out, name);
        int k = random.nextInt(5);
        header(out, false, 2, k);
        Varint.write(out, objects.get(v));
        for (int e = 0; e < k; e++) {
          Object value = scalar();
          writeScalar(out, value);
          if (e < v.elements.size()) {
            v.elements.set(e, value);
          } else {
            v.elements.add(value);
          }
        }
        t.entries.put(name, v);
        entries++;
        continue;
      }
      Object value;
      if (kind == 2) {
        MVector v = new MVector();
        for (int e = random.nextInt(4); e > 0; e--) {
          v.elements.add(scalar());
        }
        value = v;
      } else if (kind == 4) {
        value = new MTuple(random.nextBoolean());
      } else if (kind == 5 && !leaves.isEmpty()) {
        value = leaves.get(random.nextInt(leaves.size())); // a reference to an earlier tuple
      } else {
        value = scalar();
      }
      entry(out, t, name, value);
    }
    return out.toByteArray();
  }

  private Object scalar() {
    return random.nextBoolean() ? (Object) ("s" + random.nextInt(1000) + "x".repeat(random.nextInt(40)))
        : (Object) (random.nextLong() >> random.nextInt(64));
  }

  private void entry(ByteArrayOutputStream out, MTuple t, String name, Object value) {
    name(out, name);
    value(out, value);
    t.entries.put(name, value);
    entries++;
  }

  private void name(ByteArrayOutputStream out, String name) {
    Long index = names.get(name);
    if (index != null) {
      header(out, false, 0, index);
      return;
    }
    byte[] b = name.getBytes(StandardCharsets.UTF_8);
    header(out, true, 0, b.length);
    out.writeBytes(b);
    names.put(name, ++counter);
  }

  private void value(ByteArrayOutputStream out, Object value) {
    Long known = objects.get(value);
    if (known != null) {
      header(out, false, value instanceof MTuple ? 1 : 2, 0);
      Varint.write(out, known);
    } else if (value instanceof MTuple t) {
      header(out, true, 1, 0);
      objects.put(t, ++counter);
      (t.leaf ? leaves : containers).add(t);
    } else if (value instanceof MVector v) {
      header(out, true, 2, v.elements.size());
      objects.put(v, ++counter);
      vectors.add(v);
      for (Object e : v.elements) {
        writeScalar(out, e);
      }
    } else {
      writeScalar(out, value);
    }
  }

  private static void writeScalar(ByteArrayOutputStream out, Object value) {
    if (value instanceof String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      header(out, true, 4, b.length);
      out.writeBytes(b);
    } else {
      long l = (Long) value;
      header(out, true, 3, l < 0 ? 1 : 0);
      Varint.write(out, l < 0 ? -l : l);
    }
  }

  /** A canonical v5 header (docs/formats/tfs.md, "4.1 Header, version 5"). */
  static void header(ByteArrayOutputStream out, boolean immediate, int type, long n) {
    int bits = 64 - Long.numberOfLeadingZeros(n);
    int first = (immediate ? 0x80 : 0) | (type << 4);
    if (bits <= 3) {
      out.write(first | (int) n);
      return;
    }
    int k = (bits - 3 + 6) / 7;
    out.write(first | 0x08 | (int) (n >>> (7 * k)));
    for (int i = k - 1; i >= 0; i--) {
      out.write((int) ((n >>> (7 * i)) & 0x7f) | (i > 0 ? 0x80 : 0));
    }
  }

  /** The model as manifest values, sharing preserved. */
  Tuple expected() {
    return (Tuple) convert(root, new IdentityHashMap<>());
  }

  private static Value convert(Object o, IdentityHashMap<Object, Value> done) {
    Value seen = done.get(o);
    if (seen != null) {
      return seen;
    }
    if (o instanceof MTuple t) {
      Tuple out = new Tuple();
      done.put(o, out);
      t.entries.forEach((k, v) -> out.put(k, convert(v, done)));
      return out;
    }
    if (o instanceof MVector v) {
      VectorValue out = new VectorValue();
      done.put(o, out);
      v.elements.forEach(e -> out.add(convert(e, done)));
      return out;
    }
    return o instanceof String s ? StringValue.of(s) : IntegerValue.of((Long) o);
  }
}
