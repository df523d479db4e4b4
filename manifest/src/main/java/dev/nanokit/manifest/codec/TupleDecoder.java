package dev.nanokit.manifest.codec;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.TupleFormatException;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;

/**
 * Decodes TFS tuple records (docs/formats/tfs.md, "4 Value encoding" value encoding, "5.3 Reader rules" reader numbering, "5.5 Update semantics (replay)" update
 * semantics) against a shared {@link TupleDictionary}, applying entries of reference tuples to the
 * tuples earlier records created.
 *
 * <p>Hostile input: every length is checked against the bytes that remain, entry counts cannot
 * exceed the remaining bytes, nesting is bounded by {@link #maxDepth()}, and every failure is a
 * {@link TupleFormatException} with the offset of the bad byte.
 *
 * <p>Not thread-safe: one decoder reads one log, in one thread (it keeps the dictionary, the counts
 * and the header being read).
 */
public final class TupleDecoder {
  /** Default bound on tuple/vector nesting; real trees are a few dozen levels deep. */
  public static final int DEFAULT_MAX_DEPTH = 512;

  private static final int TYPE_BUFFER = 0;
  private static final int TYPE_TUPLE = 1;
  private static final int TYPE_VECTOR = 2;
  private static final int TYPE_INTEGER = 3;
  private static final int TYPE_STRING = 4;

  /** Marker for the {@code 80} deletion encoding; never escapes this class. */
  private static final Object DELETION = new Object();

  private final TupleDictionary dictionary;
  private final int maxDepth;
  private long entriesApplied;
  private long entriesObsoleted;

  /** Strict UTF-8 for names, made on the first name that is not ASCII. */
  private java.nio.charset.CharsetDecoder utf8;

  public TupleDecoder(TupleDictionary dictionary) {
    this(dictionary, DEFAULT_MAX_DEPTH);
  }

  public TupleDecoder(TupleDictionary dictionary, int maxDepth) {
    if (maxDepth < 1) {
      throw new IllegalArgumentException("maxDepth must be positive: " + maxDepth);
    }
    this.dictionary = dictionary;
    this.maxDepth = maxDepth;
  }

  /** Told where each tuple a record creates starts, relative to the bytes the decoder was given. */
  @FunctionalInterface
  public interface Origins {
    void created(Tuple tuple, int offset);
  }

  private Origins origins;

  /** Reports every tuple created from now on to {@code origins} (null: nobody). */
  public void setOrigins(Origins origins) {
    this.origins = origins;
  }

  public TupleDictionary dictionary() {
    return dictionary;
  }

  public int maxDepth() {
    return maxDepth;
  }

  /** Entries applied so far (the kernel's {@code total}, docs/formats/tfs.md, "5.5 Update semantics (replay)"). */
  public long entriesApplied() {
    return entriesApplied;
  }

  /** Entries that overwrote or deleted an existing value (the kernel's {@code obsolete}, docs/formats/tfs.md, "5.5 Update semantics (replay)"). */
  public long entriesObsoleted() {
    return entriesObsoleted;
  }

  /**
   * Decodes one record: exactly {@code length} bytes at {@code offset} holding one tuple (immediate,
   * or a reference whose entries update an existing tuple). Returns that tuple.
   */
  public Tuple decodeRecord(byte[] buf, int offset, int length, TupleEncoding encoding)
      throws TupleFormatException {
    ByteCursor in = new ByteCursor(buf, offset, length);
    int at = in.position();
    readHeader(in, encoding);
    if (headerType != TYPE_TUPLE) {
      throw new TupleFormatException("a record must hold a tuple, found type " + headerType, at);
    }
    Tuple t = readTupleBody(in, headerImmediate, headerCount, at, encoding, 1);
    if (in.remaining() != 0) {
      throw new TupleFormatException(
          "tuple ends " + in.remaining() + " bytes before the record's length", in.position());
    }
    return t;
  }

  // The header just read (docs/formats/tfs.md, "4.1 Header, version 5", "4.2 Header, version 4
  // (legacy, read support)"): fields rather than an object per value, since a 50,000-file log has
  // half a million headers and the CLI's C1 JIT does not scalar-replace. Callers copy them to locals
  // before reading anything else.
  private boolean headerImmediate;
  private int headerType;
  private long headerCount;

  private void readHeader(ByteCursor in, TupleEncoding enc) throws TupleFormatException {
    int at = in.position();
    int first = in.readByte();
    headerImmediate = (first & 0x80) != 0;
    headerType = enc == TupleEncoding.V5 ? (first >> 4) & 0x7 : (first >> 6) & 0x1;
    long n = first & enc.lowMask;
    if ((first & enc.extensionBit) != 0) {
      for (int i = 0; ; i++) {
        if (i == Varint.MAX_LENGTH) {
          throw new TupleFormatException("header length field longer than " + Varint.MAX_LENGTH + " bytes", at);
        }
        int b = in.readByte();
        if ((n >>> 56) != 0) {
          throw new TupleFormatException("header length field overflows 64 bits", at);
        }
        n = (n << 7) | (b & 0x7f);
        if ((b & 0x80) == 0) {
          break;
        }
      }
    }
    headerCount = n;
  }

  private Tuple readTupleBody(ByteCursor in, boolean immediate, long n, int at, TupleEncoding enc, int depth)
      throws TupleFormatException {
    if (depth > maxDepth) {
      throw new TupleFormatException("tuples nested deeper than " + maxDepth, at);
    }
    Tuple t;
    if (immediate) {
      // Each entry takes at least two bytes (checked below, before any is read), so the size hint is
      // bounded by the record; the cap keeps a hostile count from reserving room for more than 1,024.
      t = Tuple.withExpectedSize((int) Math.min(n, Math.min(in.remaining() / 2, 1024)));
      dictionary.add(t);
      if (origins != null) {
        origins.created(t, at);
      }
    } else {
      long index = in.readVarint();
      Object target = dictionary.get(index);
      if (!(target instanceof Tuple existing)) {
        throw new TupleFormatException(describeBadReference("tuple", index, target), at);
      }
      t = existing;
    }
    // Each entry takes at least two bytes, so a count beyond the remaining bytes is corrupt.
    if (n > in.remaining() / 2) {
      throw new TupleFormatException("tuple claims " + n + " entries but only " + in.remaining() + " bytes remain", at);
    }
    for (long i = 0; i < n; i++) {
      String name = readName(in, enc);
      int valueAt = in.position();
      Object value = readValue(in, enc, depth + 1);
      entriesApplied++;
      if (value == DELETION) {
        if (t.remove(name) != null) {
          entriesObsoleted += 2;
        }
      } else {
        if (t.contains(name)) {
          entriesObsoleted++;
        }
        if (value == null) {
          throw new TupleFormatException("missing value", valueAt);
        }
        t.put(name, (Value) value);
      }
    }
    return t;
  }

  private String readName(ByteCursor in, TupleEncoding enc) throws TupleFormatException {
    // The kernel ignores the type bits of a name header (docs/formats/tfs.md, "4.3 Bodies"), so do we.
    int headerAt = in.position();
    readHeader(in, enc);
    if (headerImmediate) {
      int at = in.position();
      String name = in.readName(headerCount);
      if (name == null) {
        name = strictUtf8(in.readBytes(headerCount), at);
      }
      dictionary.add(name);
      return name;
    }
    Object target = dictionary.get(headerCount);
    if (!(target instanceof String name)) {
      throw new TupleFormatException(describeBadReference("name", headerCount, target), headerAt);
    }
    return name;
  }

  /**
   * Names are byte strings on disk, but {@link Tuple} keys are Java strings: decoding malformed
   * bytes with replacement would map {@code FF} and {@code FE} to the same U+FFFD and silently
   * merge two directory entries. A name that is not UTF-8 is refused instead, its bytes escaped.
   */
  private String strictUtf8(byte[] bytes, int at) throws TupleFormatException {
    boolean ascii = true;
    for (byte b : bytes) {
      ascii &= b >= 0;
    }
    if (ascii) {
      return new String(bytes, java.nio.charset.StandardCharsets.US_ASCII);
    }
    try {
      if (utf8 == null) {
        utf8 = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
            .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
      }
      return utf8.decode(java.nio.ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      StringBuilder escaped = new StringBuilder();
      for (int i = 0; i < Math.min(bytes.length, 64); i++) {
        int b = bytes[i] & 0xff;
        if (b >= 0x20 && b < 0x7f && b != '\\') {
          escaped.append((char) b);
        } else {
          escaped.append(String.format("\\x%02x", b));
        }
      }
      if (bytes.length > 64) {
        escaped.append("...");
      }
      throw new TupleFormatException("name \"" + escaped + "\" is not UTF-8 (names that are not UTF-8 are not supported)", at);
    }
  }

  private Object readValue(ByteCursor in, TupleEncoding enc, int depth) throws TupleFormatException {
    int at = in.position();
    readHeader(in, enc);
    boolean immediate = headerImmediate;
    int type = headerType;
    long n = headerCount;
    if (type == TYPE_TUPLE) {
      return readTupleBody(in, immediate, n, at, enc, depth);
    }
    if (!immediate) {
      return readReferenceValue(in, type, n, at, enc, depth);
    }
    switch (type) {
      case TYPE_BUFFER: {
        byte[] bytes = in.readBytes(n);
        if (bytes.length == 0) {
          return DELETION;
        }
        // v4 has no string type: its buffers are text (docs/formats/tfs.md, "4.2 Header, version 4 (legacy, read support)").
        if (enc == TupleEncoding.V4 && !(bytes.length == 1 && bytes[0] == 0)) {
          return StringValue.ofBytes(bytes);
        }
        return BufferValue.of(bytes);
      }
      case TYPE_VECTOR:
        return readVectorBody(in, immediate, n, at, enc, depth, new VectorValue());
      case TYPE_INTEGER: {
        if (n > 1) {
          throw new TupleFormatException("integer sign field must be 0 or 1, found " + n, at);
        }
        int magnitudeAt = in.position();
        long magnitude = in.readVarint();
        if (magnitude < 0 && !(n == 1 && magnitude == Long.MIN_VALUE)) {
          throw new TupleFormatException("integer magnitude does not fit in 64 signed bits", magnitudeAt);
        }
        return IntegerValue.of(n == 1 ? -magnitude : magnitude);
      }
      case TYPE_STRING:
        return StringValue.ofBytes(in.readBytes(n));
      default:
        throw new TupleFormatException("reserved value type " + type, at);
    }
  }

  private Object readReferenceValue(ByteCursor in, int type, long n, int at, TupleEncoding enc, int depth)
      throws TupleFormatException {
    switch (type) {
      case TYPE_VECTOR: {
        long index = in.readVarint();
        Object target = dictionary.get(index);
        if (!(target instanceof VectorValue v)) {
          throw new TupleFormatException(describeBadReference("vector", index, target), at);
        }
        return readVectorBody(in, false, n, at, enc, depth, v);
      }
      case TYPE_BUFFER:
      case TYPE_STRING: {
        // Never written, but both readers decode it as "dictionary entry n" (docs/formats/tfs.md, "4.3 Bodies").
        Object target = dictionary.get(n);
        if (target == null) {
          throw new TupleFormatException(describeBadReference("value", n, null), at);
        }
        return target instanceof String s ? StringValue.of(s) : target;
      }
      default:
        throw new TupleFormatException("type " + type + " has no reference form", at);
    }
  }

  private VectorValue readVectorBody(ByteCursor in, boolean immediate, long n, int at, TupleEncoding enc, int depth,
      VectorValue v) throws TupleFormatException {
    if (depth > maxDepth) {
      throw new TupleFormatException("values nested deeper than " + maxDepth, at);
    }
    if (immediate) {
      dictionary.add(v);
    }
    if (n > in.remaining()) {
      throw new TupleFormatException("vector claims " + n + " elements but only " + in.remaining() + " bytes remain", at);
    }
    for (int i = 0; i < n; i++) {
      int elementAt = in.position();
      Object value = readValue(in, enc, depth + 1);
      if (value == DELETION) {
        throw new TupleFormatException("deletion marker inside a vector", elementAt);
      }
      if (i < v.size()) {
        v.set(i, (Value) value);
      } else {
        v.add((Value) value);
      }
    }
    return v;
  }

  private static String describeBadReference(String kind, long index, Object target) {
    if (target == null) {
      return kind + " reference to undefined dictionary index " + index;
    }
    String actual = target instanceof String ? "a name" : target instanceof Tuple ? "a tuple" : "a vector";
    return kind + " reference to dictionary index " + index + ", which is " + actual;
  }
}
