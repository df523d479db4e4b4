package dev.nanokit.manifest.codec;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * Encodes tuples for a TFS log (docs/formats/tfs.md, "4 Value encoding") and numbers objects exactly as readers will (docs/formats/tfs.md
 * "5.1 What gets a number" to "5.2 Writer rules"): one counter for the whole log; an immediate tuple or vector takes the next index right
 * after its header, an immediate attribute name after its bytes. A name or an object already
 * emitted is written as a reference, so no attribute name is ever written in full twice — the
 * kernel inverts its dictionary before it appends, and a duplicated name would make every later
 * index it writes wrong.
 *
 * <p>One encoder serves one log: keep it for every record of that log.
 */
public final class TupleEncoder {
  private final TupleEncoding encoding;
  private final HashMap<String, Integer> nameIndex = new HashMap<>();
  private final IdentityHashMap<Value, Integer> objectIndex = new IdentityHashMap<>();
  private int counter;

  public TupleEncoder(TupleEncoding encoding) {
    this.encoding = encoding;
  }

  /**
   * An encoder that continues a log whose records decoded into {@code dictionary}: known names and
   * objects become references and new indices continue after the last one.
   */
  public static TupleEncoder continuing(TupleDictionary dictionary, TupleEncoding encoding) {
    TupleEncoder e = new TupleEncoder(encoding);
    for (int i = 1; i <= dictionary.size(); i++) {
      Object o = dictionary.get(i);
      if (o instanceof String name) {
        e.nameIndex.putIfAbsent(name, i);
      } else {
        e.objectIndex.putIfAbsent((Value) o, i);
      }
    }
    e.counter = dictionary.size();
    return e;
  }

  public TupleEncoding encoding() {
    return encoding;
  }

  /** Indices taken so far; the next new object gets {@code counter() + 1}. */
  public int counter() {
    return counter;
  }

  /** Whether {@code object} (a tuple or vector) was already emitted in this log. */
  public boolean isKnown(Value object) {
    return objectIndex.containsKey(object);
  }

  /**
   * Encodes a record holding {@code tuple} with all its entries: immediately if it is new to this
   * log, else as a reference to it followed by all its current entries.
   */
  public byte[] encodeRecord(Tuple tuple) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Integer index = objectIndex.get(tuple);
    if (index == null) {
      writeValue(out, tuple);
    } else {
      writeHeader(out, false, 1, tuple.size());
      Varint.write(out, index);
      writeEntries(out, tuple);
    }
    return out.toByteArray();
  }

  /**
   * Encodes the kernel's single-attribute update (docs/formats/tfs.md, "7.3 What the running kernel appends (read-write mount)"): a reference to {@code target} with
   * one entry {@code name: value}, or an immediate one-entry tuple if the target is new.
   */
  public byte[] encodeUpdate(Tuple target, String name, Value value) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeUpdateHeader(out, target);
    writeName(out, name);
    writeValue(out, value);
    return out.toByteArray();
  }

  /** Encodes the removal of {@code name} from {@code target}: the {@code 80} deletion value (docs/formats/tfs.md, "4.3 Bodies"). */
  public byte[] encodeRemoval(Tuple target, String name) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    writeUpdateHeader(out, target);
    writeName(out, name);
    out.write(0x80);
    return out.toByteArray();
  }

  private void writeUpdateHeader(ByteArrayOutputStream out, Tuple target) {
    Integer index = objectIndex.get(target);
    if (index == null) {
      writeHeader(out, true, 1, 1);
      objectIndex.put(target, ++counter);
    } else {
      writeHeader(out, false, 1, 1);
      Varint.write(out, index);
    }
  }

  // ------------------------------------------------------------ streaming
  // A writer that holds its tree in its own form (the TFS writer: 200,000 files) encodes it piece by
  // piece instead of building a Tuple of it first: a tuple header with its entry count, then each
  // entry as a name followed by a value. Indices are taken exactly as for the same Tuple.

  /**
   * Starts a new immediate tuple of {@code entries} entries, which take the next index; write exactly
   * that many {@link #writeEntryName name}/value pairs after it. The tuple has no object identity, so
   * nothing later can refer to it.
   */
  public void writeTupleHeader(ByteArrayOutputStream out, int entries) {
    if (entries < 0) {
      throw new IllegalArgumentException("negative entry count " + entries);
    }
    writeHeader(out, true, 1, entries);
    ++counter;
  }

  /** An entry's name: in full the first time this log sees it, else a reference. */
  public void writeEntryName(ByteArrayOutputStream out, String name) {
    writeName(out, name);
  }

  /** An entry's value, encoded as in {@link #encodeRecord}. */
  public void writeEntryValue(ByteArrayOutputStream out, Value value) {
    writeValue(out, value);
  }

  /** An integer value, encoded as {@link IntegerValue#of IntegerValue.of(value)} would be. */
  public void writeInteger(ByteArrayOutputStream out, long value) {
    if (encoding == TupleEncoding.V5) {
      writeHeader(out, true, 3, value < 0 ? 1 : 0);
      Varint.write(out, value < 0 ? -value : value);
    } else {
      byte[] text = Long.toString(value).getBytes(StandardCharsets.US_ASCII);
      writeHeader(out, true, 0, text.length);
      out.write(text, 0, text.length);
    }
  }

  private void writeEntries(ByteArrayOutputStream out, Tuple tuple) {
    for (Map.Entry<String, Value> e : tuple.entries().entrySet()) {
      writeName(out, e.getKey());
      writeValue(out, e.getValue());
    }
  }

  private void writeName(ByteArrayOutputStream out, String name) {
    Integer index = nameIndex.get(name);
    if (index != null) {
      writeHeader(out, false, 0, index);
      return;
    }
    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
    writeHeader(out, true, 0, bytes.length);
    out.write(bytes, 0, bytes.length);
    nameIndex.put(name, ++counter);
  }

  private void writeValue(ByteArrayOutputStream out, Value value) {
    if (value instanceof Tuple t) {
      Integer index = objectIndex.get(t);
      if (index != null) {
        writeHeader(out, false, 1, 0);
        Varint.write(out, index);
        return;
      }
      writeHeader(out, true, 1, t.size());
      objectIndex.put(t, ++counter);
      writeEntries(out, t);
    } else if (value instanceof VectorValue v) {
      writeVector(out, v);
    } else if (value instanceof StringValue s) {
      if (s.length() == 0 && encoding == TupleEncoding.V4) {
        throw new IllegalArgumentException("TFS v4 cannot encode an empty string: it would read as a deletion");
      }
      writeHeader(out, true, encoding == TupleEncoding.V5 ? 4 : 0, s.length());
      s.writeTo(out);
    } else if (value instanceof IntegerValue i) {
      writeInteger(out, i.value());
    } else if (value instanceof BufferValue b) {
      writeHeader(out, true, 0, b.length());
      b.writeTo(out);
    }
  }

  private void writeVector(ByteArrayOutputStream out, VectorValue v) {
    Integer index = objectIndex.get(v);
    if (encoding == TupleEncoding.V4) {
      // v4 has no vector type: a tuple keyed "0", "1", … stands in for it (docs/formats/tfs.md, "4.2 Header, version 4 (legacy, read support)").
      if (index != null) {
        writeHeader(out, false, 1, 0);
        Varint.write(out, index);
        return;
      }
      writeHeader(out, true, 1, v.size());
      objectIndex.put(v, ++counter);
      for (int i = 0; i < v.size(); i++) {
        writeName(out, Integer.toString(i));
        writeValue(out, v.get(i));
      }
      return;
    }
    if (index != null) {
      writeHeader(out, false, 2, 0);
      Varint.write(out, index);
      return;
    }
    writeHeader(out, true, 2, v.size());
    objectIndex.put(v, ++counter);
    for (Value element : v.elements()) {
      writeValue(out, element);
    }
  }

  /** Canonical header (docs/formats/tfs.md, "4.1 Header, version 5"/"4.2 Header, version 4 (legacy, read support)"): the fewest extension bytes that hold {@code n}. */
  private void writeHeader(ByteArrayOutputStream out, boolean immediate, int type, long n) {
    int first = (immediate ? 0x80 : 0) | (type << encoding.typeShift);
    int lowBits = encoding.lowBits();
    int bits = 64 - Long.numberOfLeadingZeros(n);
    if (bits <= lowBits) {
      out.write(first | (int) n);
      return;
    }
    int k = (bits - lowBits + 6) / 7;
    out.write(first | encoding.extensionBit | (int) (n >>> (7 * k)));
    for (int i = k - 1; i >= 0; i--) {
      int group = (int) ((n >>> (7 * i)) & 0x7f);
      out.write(i > 0 ? group | 0x80 : group);
    }
  }
}
