package dev.nanokit.manifest.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.nanokit.manifest.BufferValue;
import dev.nanokit.manifest.IntegerValue;
import dev.nanokit.manifest.RandomValues;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.TupleFormatException;
import dev.nanokit.manifest.VectorValue;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.manifest.RandomCases;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TupleDecoderTest {

  private static Tuple decode(TupleDictionary dict, TupleEncoding encoding, String listing) throws TupleFormatException {
    byte[] bytes = Hex.bytes(listing);
    return new TupleDecoder(dict).decodeRecord(bytes, 0, bytes.length, encoding);
  }

  @Test
  void decodesTheOneDirectoryOneFileExample() throws Exception {
    TupleDictionary dict = new TupleDictionary();
    Tuple root = decode(dict, TupleEncoding.V5, TupleEncoderTest.EXAMPLE_111_BYTES);
    assertThat(root).isEqualTo(TupleEncoderTest.example111());
    assertThat(dict.root()).isSameAs(root);
    // "5.4 Numbering example" numbering.
    assertThat(dict.size()).isEqualTo(17);
    assertThat(dict.get(2)).isEqualTo("children");
    assertThat(dict.get(7)).isEqualTo("hello.txt");
    assertThat(dict.get(13)).isInstanceOf(Tuple.class);
    assertThat(dict.get(17)).isEqualTo("program");
  }

  /** docs/formats/tfs.md, "11.2 What a kernel mount appends": the kernel's records apply to tuples the first record created. */
  @Test
  void appliesKernelUpdateRecordsByReference() throws Exception {
    TupleDictionary dict = new TupleDictionary();
    Tuple root = decode(dict, TupleEncoding.V5, TupleEncoderTest.EXAMPLE_111_BYTES);
    String t = "E5 C9 80 90 80 80 80 80 00";
    decode(dict, TupleEncoding.V5, "11 03 84 'proc' 93 85 'atime' B0 " + t + " 85 'mtime' B0 " + t + " 02 90");
    decode(dict, TupleEncoding.V5, "11 16 84 'self' 93 08 14 B0 " + t + " 08 15 B0 " + t + " 02 90");
    decode(dict, TupleEncoding.V5, "11 19 83 'exe' 93 08 14 B0 " + t + " 08 15 B0 " + t
        + " 88 0A 'linktarget' C8 0E '/etc/hello.txt'");
    TupleDecoder decoder = new TupleDecoder(dict);
    byte[] deletion = Hex.bytes("11 06 07 80");
    decoder.decodeRecord(deletion, 0, deletion.length, TupleEncoding.V5);

    Tuple exe = root.getTuple("children").getTuple("proc").getTuple("children").getTuple("self")
        .getTuple("children").getTuple("exe");
    assertThat(exe.get("linktarget")).isEqualTo(StringValue.of("/etc/hello.txt"));
    assertThat(exe.get("mtime")).isEqualTo(IntegerValue.of(0x6592008000000000L));
    assertThat(root.getTuple("children").getTuple("etc").getTuple("children").isEmpty()).isTrue();
    assertThat(decoder.entriesApplied()).isEqualTo(1);
    assertThat(decoder.entriesObsoleted()).isEqualTo(2);
  }

  private static String failure(TupleDecoder d, String listing) {
    byte[] b = Hex.bytes(listing);
    Throwable t = catchThrowable(() -> d.decodeRecord(b, 0, b.length, TupleEncoding.V5));
    assertThat(t).isInstanceOf(TupleFormatException.class);
    return t.getMessage();
  }

  @Test
  void depthBoundsAreInclusiveAndAtLeastOne() throws Exception {
    assertThatThrownBy(() -> new TupleDecoder(new TupleDictionary(), 0)).isInstanceOf(IllegalArgumentException.class);
    TupleDictionary dict = new TupleDictionary();
    TupleDecoder one = new TupleDecoder(dict, 1);
    assertThat(one.maxDepth()).isEqualTo(1);
    assertThat(one.dictionary()).isSameAs(dict);
    byte[] flat = Hex.bytes("91 81 'a' C1 'x'");
    assertThat(one.decodeRecord(flat, 0, flat.length, TupleEncoding.V5).get("a")).isEqualTo(StringValue.of("x"));
    // vectors at depths 2 and 3 fit a bound of 3; a third level does not
    TupleDecoder three = new TupleDecoder(new TupleDictionary(), 3);
    byte[] ok = Hex.bytes("91 81 'v' A1 A0");
    assertThat(three.decodeRecord(ok, 0, ok.length, TupleEncoding.V5).get("v"))
        .isEqualTo(VectorValue.of(new VectorValue()));
    assertThat(failure(new TupleDecoder(new TupleDictionary(), 3), "91 81 'v' A1 A1 A0")).contains("nested deeper than 3");
  }

  @Test
  void countsAndLengthsAreCheckedAgainstTheBytesLeft() {
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "93 81 'a' C0"))
        .contains("tuple claims 3 entries but only 3 bytes remain at byte offset 0");
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'a' A5 C0 C0 C0 C0"))
        .contains("vector claims 5 elements but only 4 bytes remain");
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "98 80 80 80 80 80 80 80 80 80 80 00"))
        .contains("header length field longer than 10 bytes");
  }

  @Test
  void integersSpanTheSigned64BitRange() throws Exception {
    TupleDecoder d = new TupleDecoder(new TupleDictionary());
    byte[] min = Hex.bytes("91 81 'i' B1 81 80 80 80 80 80 80 80 80 00");
    assertThat(d.decodeRecord(min, 0, min.length, TupleEncoding.V5).get("i")).isEqualTo(IntegerValue.of(Long.MIN_VALUE));
    byte[] zeros = Hex.bytes("91 81 'z' B0 00");
    assertThat(d.decodeRecord(zeros, 0, zeros.length, TupleEncoding.V5).get("z")).isEqualTo(IntegerValue.of(0));
    byte[] negativeZero = Hex.bytes("91 81 'z' B1 00");
    assertThat(d.decodeRecord(negativeZero, 0, negativeZero.length, TupleEncoding.V5).get("z")).isEqualTo(IntegerValue.of(0));
    byte[] max = Hex.bytes("91 81 'i' B0 FF FF FF FF FF FF FF FF 7F");
    assertThat(d.decodeRecord(max, 0, max.length, TupleEncoding.V5).get("i")).isEqualTo(IntegerValue.of(Long.MAX_VALUE));
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'i' B0 81 80 80 80 80 80 80 80 80 00"))
        .contains("integer magnitude does not fit in 64 signed bits");
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'i' B2 00"))
        .contains("integer sign field must be 0 or 1, found 2");
  }

  @Test
  void badReferencesNameWhatTheyPointAt() throws Exception {
    TupleDictionary dict = new TupleDictionary();
    decode(dict, TupleEncoding.V5, "91 84 'args' A1 C1 'a'"); // #1 root, #2 args, #3 vector
    TupleDecoder d = new TupleDecoder(dict);
    assertThat(failure(d, "11 01 01 C0")).isEqualTo("name reference to dictionary index 1, which is a tuple at byte offset 2");
    assertThat(failure(d, "11 03 02 C0")).startsWith("tuple reference to dictionary index 3, which is a vector at byte offset ");
    assertThat(failure(d, "11 01 02 21 01 C0")).startsWith("vector reference to dictionary index 1, which is a tuple at byte offset ");
    assertThat(failure(d, "11 01 02 21 09 C0")).startsWith("vector reference to undefined dictionary index 9 at byte offset ");
    assertThat(failure(d, "11 01 02 30")).contains("type 3 has no reference form");
    // Entries that overwrite count as obsolete, new ones do not; deleting a present one counts two.
    byte[] r = Hex.bytes("12 01 02 C1 'b' 81 'n' C1 'c'");
    d.decodeRecord(r, 0, r.length, TupleEncoding.V5);
    assertThat(d.entriesApplied()).isEqualTo(2);
    assertThat(d.entriesObsoleted()).isEqualTo(1);
    byte[] del = Hex.bytes("12 01 02 80 04 80");
    d.decodeRecord(del, 0, del.length, TupleEncoding.V5);
    assertThat(d.entriesApplied()).isEqualTo(4);
    assertThat(d.entriesObsoleted()).isEqualTo(1 + 2 + 2);
    // Deleting what is absent obsoletes nothing.
    d.decodeRecord(del, 0, del.length, TupleEncoding.V5);
    assertThat(d.entriesObsoleted()).isEqualTo(5);
  }

  /** docs/formats/tfs.md, "4.3 Bodies": buffer and string references (never written) decode as "dictionary entry n". */
  @Test
  void bufferAndStringReferencesAreDictionaryEntries() throws Exception {
    TupleDictionary dict = new TupleDictionary();
    decode(dict, TupleEncoding.V5, "91 84 'args' A1 C1 'a'"); // #1 root, #2 args, #3 vector
    TupleDecoder d = new TupleDecoder(dict);
    byte[] name = Hex.bytes("11 01 02 02"); // args = buffer reference to #2, the name "args"
    Tuple root = d.decodeRecord(name, 0, name.length, TupleEncoding.V5);
    assertThat(root.get("args")).isEqualTo(StringValue.of("args"));
    byte[] vector = Hex.bytes("11 01 02 43"); // string reference to #3, the vector
    assertThat(d.decodeRecord(vector, 0, vector.length, TupleEncoding.V5).get("args")).isSameAs(dict.get(3));
    assertThat(failure(d, "11 01 02 47")).startsWith("value reference to undefined dictionary index 7 at byte offset ");
  }

  /** docs/formats/tfs.md, "4.3 Bodies": a vector reference overwrites elements 0…count-1 of the existing vector. */
  @Test
  void aVectorReferenceOverwritesElementsFromTheStart() throws Exception {
    TupleDictionary dict = new TupleDictionary();
    // #1 root, #2 name 'args', #3 vector ["a", "b", "c"]
    Tuple root = decode(dict, TupleEncoding.V5, "91 84 'args' A3 C1 'a' C1 'b' C1 'c'");
    TupleDecoder decoder = new TupleDecoder(dict);
    // root (#1) gets 1 entry: name #2 = vector #3 updated with 1 element.
    byte[] one = Hex.bytes("11 01 02 21 03 C1 'z'");
    assertThat(decoder.decodeRecord(one, 0, one.length, TupleEncoding.V5)).isSameAs(root);
    assertThat(root.get("args")).isEqualTo(VectorValue.of(StringValue.of("z"), StringValue.of("b"), StringValue.of("c")));
    assertThat(dict.get(3)).isSameAs(root.get("args"));
    // Four elements: the first three are overwritten, the fourth appended.
    byte[] four = Hex.bytes("11 01 02 24 03 C1 'p' C1 'q' C1 'r' B0 07");
    decoder.decodeRecord(four, 0, four.length, TupleEncoding.V5);
    assertThat(root.get("args")).isEqualTo(VectorValue.of(StringValue.of("p"), StringValue.of("q"),
        StringValue.of("r"), IntegerValue.of(7)));
    // A reference with 0 elements only points at the vector.
    byte[] none = Hex.bytes("11 01 02 20 03");
    decoder.decodeRecord(none, 0, none.length, TupleEncoding.V5);
    assertThat(((VectorValue) root.get("args")).size()).isEqualTo(4);
    assertThat(decoder.entriesApplied()).isEqualTo(3);
    assertThat(decoder.entriesObsoleted()).isEqualTo(3);
  }

  @Test
  void aVectorReferenceMustNameAVector() {
    TupleDictionary dict = new TupleDictionary();
    assertThatCode(() -> decode(dict, TupleEncoding.V5, "91 84 'args' A1 C1 'a'")).doesNotThrowAnyException();
    byte[] toName = Hex.bytes("11 01 02 21 02 C1 'z'");
    assertThatThrownBy(() -> new TupleDecoder(dict).decodeRecord(toName, 0, toName.length, TupleEncoding.V5))
        .isInstanceOf(TupleFormatException.class)
        .hasMessageContaining("vector reference to dictionary index 2, which is a name");
    byte[] deletion = Hex.bytes("11 01 02 21 03 80");
    assertThatThrownBy(() -> new TupleDecoder(dict).decodeRecord(deletion, 0, deletion.length, TupleEncoding.V5))
        .isInstanceOf(TupleFormatException.class).hasMessageContaining("deletion marker inside a vector");
  }

  @Test
  void decodesVersion4BuffersAsTextAndEmptyTuples() throws Exception {
    Tuple root = decode(new TupleDictionary(), TupleEncoding.V4,
        "C3 89 'arguments' C2 81 '0' 8E '/etc/hello.txt' 81 '1' 81 'x' 8B 'environment' C0 84 'flag' 81 00");
    assertThat(root.getTuple("arguments").get("1")).isEqualTo(StringValue.of("x"));
    assertThat(root.getTuple("environment").isEmpty()).isTrue();
    assertThat(root.get("flag")).isSameAs(BufferValue.NULL_FLAG);
  }

  @Test
  void acceptsNonCanonicalHeadersAndEmptyStrings() throws Exception {
    // 08 03 = reference to name #3 written with an extension byte; C0 = present empty string.
    Tuple root = decode(new TupleDictionary(), TupleEncoding.V5, "92 81 'a' C0 81 'b' 91 08 02 C1 'z'");
    assertThat(root.get("a")).isEqualTo(StringValue.of(""));
    assertThat(root.getTuple("b").get("a")).isEqualTo(StringValue.of("z"));
  }

  @Test
  void roundTripsRandomVersion5Trees() {
    RandomCases.run("v5 round trip", 1000, (r, i) -> assertRoundTrip(RandomValues.v5Tree(r), TupleEncoding.V5));
  }

  @Test
  void roundTripsRandomVersion4Trees() {
    RandomCases.run("v4 round trip", 1000, (r, i) -> assertRoundTrip(RandomValues.v4Tree(r), TupleEncoding.V4));
  }

  private static void assertRoundTrip(Tuple tree, TupleEncoding encoding) {
    TupleEncoder encoder = new TupleEncoder(encoding);
    byte[] bytes = encoder.encodeRecord(tree);
    TupleDictionary dict = new TupleDictionary();
    try {
      Tuple decoded = new TupleDecoder(dict).decodeRecord(bytes, 0, bytes.length, encoding);
      assertThat(decoded).isEqualTo(tree);
    } catch (TupleFormatException e) {
      throw new AssertionError(e);
    }
    assertThat(dict.size()).isEqualTo(encoder.counter());
  }

  @Test
  void rejectsGarbageWithTheCheckedExceptionOnly() {
    RandomCases.run("garbage", 2000, (r, i) -> {
      byte[] junk = new byte[r.nextInt(64)];
      r.nextBytes(junk);
      assertDecodesOrFailsCleanly(junk, r.nextBoolean() ? TupleEncoding.V5 : TupleEncoding.V4);
    });
  }

  @Test
  void rejectsEveryTruncationAndMutationOfValidEncodings() {
    RandomCases.run("truncation", 300, (r, i) -> {
      TupleEncoding encoding = r.nextBoolean() ? TupleEncoding.V5 : TupleEncoding.V4;
      Tuple tree = encoding == TupleEncoding.V5 ? RandomValues.v5Tree(r) : RandomValues.v4Tree(r);
      byte[] bytes = new TupleEncoder(encoding).encodeRecord(tree);
      byte[] cut = Arrays.copyOf(bytes, r.nextInt(bytes.length));
      Throwable t = catchThrowable(() -> new TupleDecoder(new TupleDictionary()).decodeRecord(cut, 0, cut.length, encoding));
      assertThat(t).isInstanceOf(TupleFormatException.class);
      byte[] flipped = bytes.clone();
      for (int k = 0; k < 1 + r.nextInt(3); k++) {
        flipped[r.nextInt(flipped.length)] ^= (byte) (1 << r.nextInt(8));
      }
      assertDecodesOrFailsCleanly(flipped, encoding);
    });
  }

  /**
   * Decodes or fails with the checked exception at an offset inside the input, within 5 s, allocating
   * at most {@value #ALLOCATION_FACTOR} bytes per input byte plus {@value #ALLOCATION_SLACK} (the
   * decoder and an exception's stack trace): no length read off the input sizes an allocation.
   */
  private static void assertDecodesOrFailsCleanly(byte[] bytes, TupleEncoding encoding) {
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
      long before = allocatedByThisThread();
      try {
        new TupleDecoder(new TupleDictionary()).decodeRecord(bytes, 0, bytes.length, encoding);
      } catch (TupleFormatException expected) {
        assertThat(expected.offset()).isBetween(0L, (long) bytes.length);
      }
      assertThat(allocatedByThisThread() - before).as("bytes allocated decoding %d bytes", bytes.length)
          .isLessThanOrEqualTo(ALLOCATION_FACTOR * bytes.length + ALLOCATION_SLACK);
    });
  }

  static final long ALLOCATION_FACTOR = 256;
  static final long ALLOCATION_SLACK = 256 * 1024;

  private static long allocatedByThisThread() {
    return ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
        .getCurrentThreadAllocatedBytes();
  }

  @Test
  void aMillionEntryHeaderWithNothingBehindItFailsWithoutAllocatingForIt() {
    byte[] header = Hex.bytes("98 BD 84 40"); // immediate tuple, 1,000,000 entries (varint 3D 04 40), no body
    assertThatThrownBy(() -> new TupleDecoder(new TupleDictionary()).decodeRecord(header, 0, header.length, TupleEncoding.V5))
        .isInstanceOf(TupleFormatException.class)
        .hasMessage("tuple claims 1000000 entries but only 0 bytes remain at byte offset 0");
    assertDecodesOrFailsCleanly(header, TupleEncoding.V5);
  }

  @Test
  void boundsNesting() {
    byte[] deep = new byte[100_000];
    for (int i = 0; i < deep.length; i += 2) {
      deep[i] = (byte) 0x91; // tuple with one entry
      deep[i + 1] = (byte) 0x01; // reference to name #1 … which is a tuple: fails or nests
    }
    deep[1] = (byte) 0x80; // immediate empty name, index 2
    for (int i = 3; i < deep.length; i += 2) {
      deep[i] = 0x02;
    }
    assertThatThrownBy(() -> new TupleDecoder(new TupleDictionary()).decodeRecord(deep, 0, deep.length, TupleEncoding.V5))
        .isInstanceOf(TupleFormatException.class)
        .hasMessageContaining("nested deeper than 512");
  }

  @Test
  void reportsTheOffsetOfABadReference() {
    assertThatThrownBy(() -> decode(new TupleDictionary(), TupleEncoding.V5, "91 81 'a' 11 09"))
        .isInstanceOf(TupleFormatException.class)
        .hasMessage("tuple reference to undefined dictionary index 9 at byte offset 3");
  }

  @Test
  void rejectsTrailingBytesAndTypeErrors() {
    assertThatThrownBy(() -> decode(new TupleDictionary(), TupleEncoding.V5, "90 01"))
        .hasMessageContaining("1 bytes before the record's length");
    assertThatThrownBy(() -> decode(new TupleDictionary(), TupleEncoding.V5, "C1 'a'"))
        .hasMessageContaining("must hold a tuple");
    assertThatThrownBy(() -> decode(new TupleDictionary(), TupleEncoding.V5, "91 81 'a' D0"))
        .hasMessageContaining("reserved value type 5");
    assertThatThrownBy(() -> decode(new TupleDictionary(), TupleEncoding.V5, "91 81 'a' C8 FF FF FF FF FF FF FF FF FF 7F"))
        .isInstanceOf(TupleFormatException.class);
  }

  /** Names are refused unless UTF-8 (two bad bytes must not merge into one U+FFFD key); the message escapes them. */
  @Test
  void aNameThatIsNotUtf8IsRefusedWithItsBytesEscaped() throws Exception {
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 86 1F 20 5C 7E 7F FF C1 'x'"))
        .isEqualTo("name \"\\x1f \\x5c~\\x7f\\xff\" is not UTF-8 (names that are not UTF-8 are not supported) at byte offset 2");
    String sixtyFour = "'" + "a".repeat(63) + "' FF";
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 88 40 " + sixtyFour + " C1 'x'"))
        .contains("a".repeat(63) + "\\xff\" is not UTF-8");
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 88 41 " + sixtyFour + " 'b' C1 'x'"))
        .contains("a".repeat(63) + "\\xff...\" is not UTF-8");
    Tuple utf8 = decode(new TupleDictionary(), TupleEncoding.V5, "91 82 C3 A9 C1 'x'");
    assertThat(utf8.names()).containsExactly("\u00e9");
    // The decoder is reused for a second non-ASCII name.
    Tuple two = decode(new TupleDictionary(), TupleEncoding.V5, "92 82 C3 A9 C1 'x' 82 C3 A8 C1 'y'");
    assertThat(two.names()).containsExactly("\u00e9", "\u00e8");
  }

  /** Names are read where the record sits in a larger buffer, and stop at its end, whatever bytes follow. */
  @Test
  void namesAreReadFromTheRecordsOwnBytes() throws Exception {
    byte[] r = Hex.bytes("'zz' 93 82 'ab' C1 'x' 83 'a' C3 A9 C1 'y' 81 'q' 91 82 'cd' C1 'z' 'trailing'");
    int length = r.length - 2 - "trailing".length();
    TupleDictionary dict = new TupleDictionary();
    Tuple t = new TupleDecoder(dict).decodeRecord(r, 2, length, TupleEncoding.V5);
    assertThat(t.names()).containsExactly("ab", "a\u00e9", "q");
    assertThat(t.getTuple("q").get("cd")).isEqualTo(StringValue.of("z"));
    assertThat(dict.get(2)).isEqualTo("ab");
    // A name longer than the record is refused at the bytes after its header, not read from what follows.
    byte[] cut = Hex.bytes("91 84 'ab' 'cdef'");
    Throwable t2 = catchThrowable(() -> new TupleDecoder(new TupleDictionary()).decodeRecord(cut, 0, 4, TupleEncoding.V5));
    assertThat(t2).isInstanceOf(TupleFormatException.class)
        .hasMessage("length 4 exceeds the 2 bytes that remain at byte offset 2");
  }

  @Test
  void originsReportEachCreatedTupleAtItsHeader() throws Exception {
    TupleDecoder d = new TupleDecoder(new TupleDictionary());
    java.util.List<String> seen = new java.util.ArrayList<>();
    d.setOrigins((t, at) -> seen.add(t.names() + "@" + at));
    byte[] r = Hex.bytes("00 00 92 81 'a' 91 81 'b' C1 'x' 81 'c' 90");
    Tuple root = d.decodeRecord(r, 2, r.length - 2, TupleEncoding.V5);
    // Reported when created, before their entries: offsets relative to the start of the record.
    assertThat(seen).containsExactly("[]@0", "[]@3", "[]@10");
    assertThat(root.getTuple("a").get("b")).isEqualTo(StringValue.of("x"));
    d.setOrigins(null);
    byte[] more = Hex.bytes("91 81 'a' 90");
    d.decodeRecord(more, 0, more.length, TupleEncoding.V5);
    assertThat(seen).hasSize(3);
  }

  @Test
  void aHeaderLengthPast64BitsIsRefused() {
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'a' C8 FF FF FF FF FF FF FF FF FF 7F"))
        .isEqualTo("header length field overflows 64 bits at byte offset 3");
    // Nine extension bytes after three low bits: 66 bits would be needed for this one.
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'a' CF FF FF FF FF FF FF FF FF 7F"))
        .isEqualTo("header length field overflows 64 bits at byte offset 3");
    // 3 + 8 * 7 = 59 bits fit: the length is then checked against the bytes left.
    assertThat(failure(new TupleDecoder(new TupleDictionary()), "91 81 'a' CF FF FF FF FF FF FF FF 7F"))
        .doesNotContain("overflows");
  }
}
