package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.TupleFormatException;
import dev.nanokit.manifest.codec.TupleDecoder;
import dev.nanokit.manifest.codec.TupleDictionary;
import dev.nanokit.manifest.codec.TupleEncoding;
import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.manifest.RandomCases;
import dev.nanokit.testing.tfs.RawVolume;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsFormatException;
import dev.nanokit.tfs.TfsReadOptions;
import java.util.ArrayList;
import java.util.List;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** {@link LogReader} against docs/formats/tfs.md, "3 The log" (block 0, extension chain, records) and "7.3 What the running kernel appends (read-write mount)" (END_OF_LOG). */
class LogReaderTest {
  /** A root with one name: {@code (a:x)}. */
  private static final String ROOT = "91 81 'a' C1 'x'";

  private static LogReader.Log read(byte[] image) throws IOException {
    return new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length),
        TfsReadOptions.defaults()).read();
  }

  private static TfsFormatException failure(byte[] image) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> read(image));
    assertThat(t).isInstanceOf(TfsFormatException.class);
    return (TfsFormatException) t;
  }

  @Test
  void readsBlockZeroHeaderAndFollowsTheLinkToTheFirstExtension() throws IOException {
    byte[] image = new RawVolume(2000, "demo", 5).tuple(Hex.bytes(ROOT)).build();
    LogReader.Log log = read(image);
    assertThat(log.label()).isEqualTo("demo");
    assertThat(log.uuid()).containsExactly(Hex.bytes("00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF"));
    assertThat(log.extensions()).containsExactly(new LogExtension(0, 1, 5), new LogExtension(1, 1024, 5));
    assertThat(log.root().get("a")).isEqualTo(StringValue.of("x"));
    // "7.3 What the running kernel appends (read-write mount)": the END_OF_LOG byte sits after magic(6) version(1) size(2) and the 8-byte record.
    assertThat(log.end()).isEqualTo(new LogReader.EndOfLog(1, 6 + 1 + 2 + 3 + 5));
    assertThat(image[512 + log.end().position()]).isEqualTo((byte) 0x01);
    assertThat(log.entriesApplied()).isEqualTo(1);
    assertThat(log.entriesObsoleted()).isZero();
  }

  @Test
  void aLabelOf31BytesIsTheLongestAccepted() throws IOException {
    String longest = "L".repeat(31);
    assertThat(read(new RawVolume(2000, longest, 5).tuple(Hex.bytes(ROOT)).build()).label()).isEqualTo(longest);
    for (int n : new int[] {32, 256}) {
      TfsFormatException e = failure(new RawVolume(2000, "L".repeat(n), 5).tuple(Hex.bytes(ROOT)).build());
      assertThat(e.getMessage()).contains("volume label longer than 31 bytes");
      assertThat(e.offset()).isEqualTo(6 + 1 + 1 + 16);
    }
  }

  @Test
  void labelsAreUtf8() throws IOException {
    String label = "h\u00e9t\u00e9";
    assertThat(label.getBytes(StandardCharsets.UTF_8)).hasSize(6);
    assertThat(read(new RawVolume(2000, label, 5).tuple(Hex.bytes(ROOT)).build()).label()).isEqualTo(label);
  }

  @Test
  void anExtensionWhoseSizeDiffersFromItsLinkIsRejectedAtItsSizeField() {
    byte[] image = new RawVolume(2000, "", 5).tuple(Hex.bytes(ROOT)).build();
    // Extension at block 1: magic, version 05, size 1024 = 88 00; make it say 1023 = 87 7F.
    assertThat(image[512 + 7]).isEqualTo((byte) 0x88);
    image[512 + 7] = (byte) 0x87;
    image[512 + 8] = (byte) 0x7F;
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).contains("says it is 1023 blocks long but its link says 1024");
    assertThat(e.offset()).isEqualTo(512 + 7);
  }

  @Test
  void blockZeroSizeFieldIsNotCheckedAgainstALink() throws IOException {
    byte[] image = new RawVolume(2000, "", 5).tuple(Hex.bytes(ROOT)).build();
    image[7] = 0x07; // block 0 says 7 blocks; it has no link pointing at it
    assertThat(read(image).root().get("a")).isEqualTo(StringValue.of("x"));
  }

  @Test
  void linksAreFollowedNotScannedAndLoopsAreRejected() {
    byte[] image = new RawVolume(3000, "", 5).tuple(Hex.bytes(ROOT)).raw(0x05, 0x01, 0x88, 0x00).build();
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).contains("loops back to block 1");
  }

  @Test
  void anExtensionOutsideTheVolumeIsRejectedAtItsLink() {
    byte[] image = new RawVolume(3000, "", 5).tuple(Hex.bytes(ROOT)).link(1000, 5).build();
    // Only the first 1100 blocks exist; the link to block 1000 of 1024 blocks runs past them.
    byte[] cut = java.util.Arrays.copyOf(image, 1100 * 512);
    TfsFormatException e = failure(cut);
    assertThat(e.getMessage()).contains("log extension at block 1000 (1024 blocks) lies outside");
    assertThat(cut[(int) e.offset()]).isEqualTo((byte) 0x05);
  }

  @Test
  void anExtensionMayEndExactlyAtTheEndOfTheVolumeAndTheMetadataLimitIsInclusive() throws IOException {
    byte[] image = new RawVolume(1025, "", 5).tuple(Hex.bytes(ROOT)).build(); // block 0 + 1024 blocks
    assertThat(read(image).root().get("a")).isEqualTo(StringValue.of("x"));
    TfsFormatException e = failure(java.util.Arrays.copyOf(image, image.length - 512));
    assertThat(e.getMessage()).contains("log extension at block 1 (1024 blocks) lies outside");
    TfsReadOptions exact = TfsReadOptions.builder().setMaxMetadataBytes(1025 * 512L).build();
    assertThat(new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length), exact).read().root())
        .isNotNull();
    TfsReadOptions less = TfsReadOptions.builder().setMaxMetadataBytes(1025 * 512L - 1).build();
    assertThatThrownBy(() -> new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length), less).read())
        .isInstanceOf(TfsFormatException.class).hasMessageContaining("exceed the metadata limit");
  }

  @Test
  void aLinkedExtensionWithoutMagicIsRejected() {
    byte[] image = new RawVolume(3000, "", 5).tuple(Hex.bytes(ROOT)).link(1500, 5).build();
    image[1500 * 512] = 'X';
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).contains("log extension at block 1500 has no NVMTFS magic");
    assertThat(e.offset()).isEqualTo(1500 * 512);
  }

  @Test
  void aSplitTupleIsDecodedWithTheEncodingOfTheExtensionThatStartedIt() throws IOException {
    // v4: immediate tuple 1 entry = C1, name 'a' = 81 'a', buffer "x" = 81 'x' (v4 text).
    byte[] v4root = Hex.bytes("C1 81 'a' 81 'x'");
    byte[] image = new RawVolume(3000, "", 4).raw(0x02, 5, 2, v4root[0], v4root[1]).link(1500, 5)
        .raw(0x03, 3, v4root[2], v4root[3], v4root[4]).build();
    LogReader.Log log = read(image);
    assertThat(log.root().get("a")).isEqualTo(StringValue.of("x"));
    assertThat(log.extensions()).extracting(LogExtension::version).containsExactly(4, 4, 5);
    assertThat(log.end().extensionIndex()).isEqualTo(2);
  }

  @Test
  void updatesInALaterExtensionApplyToTheRootOfTheFirst() throws IOException {
    byte[] image = new RawVolume(3000, "", 5).tuple(Hex.bytes(ROOT)).link(1500, 5)
        .tuple(Hex.bytes("11 01 02 C1 'y'")).build();
    LogReader.Log log = read(image);
    Tuple root = log.root();
    assertThat(root.get("a")).isEqualTo(StringValue.of("y"));
    assertThat(log.entriesApplied()).isEqualTo(2);
    assertThat(log.entriesObsoleted()).isEqualTo(1);
  }

  @Test
  void recordErrorsNameTheirByte() {
    assertThat(failure(new RawVolume(2000, "", 5).raw(0x09).build()).getMessage())
        .contains("unknown log record type 0x09");
    assertThat(failure(new RawVolume(2000, "", 5).build()).getMessage()).contains("log defines no root tuple");
    assertThat(failure(new RawVolume(2000, "", 5).raw(0x03, 0x01, 0x00).build()).getMessage())
        .contains("TUPLE_EXTENDED without a pending tuple");
    TfsFormatException longSegment = failure(new RawVolume(2000, "", 5).raw(0x02, 0x02, 0x03, 0x90, 0x00, 0x00).build());
    assertThat(longSegment.getMessage()).contains("segment of 3 bytes is longer than its tuple (2)");
    assertThat(longSegment.offset()).isEqualTo(512 + 9 + 2);
    TfsFormatException zeroLink = failure(new RawVolume(2000, "", 5).tuple(Hex.bytes(ROOT)).raw(0x05, 0x10, 0x00).build());
    assertThat(zeroLink.getMessage()).contains("block count of 0");
    TfsFormatException endInside = failure(new RawVolume(2000, "", 5).raw(0x02, 0x05, 0x01, 0x91).build());
    assertThat(endInside.getMessage()).contains("log ends inside a tuple split across extensions");
    TfsFormatException badTuple = failure(new RawVolume(2000, "", 5).tuple(Hex.bytes("91 81 'a' 15")).build());
    assertThat(badTuple.getMessage()).startsWith("bad tuple: ");
    assertThat(badTuple.offset()).isBetween(512L + 9 + 3, 512L + 9 + 3 + 5);
  }

  @Test
  void endOfSegmentRecordsAreSkipped() throws IOException {
    byte[] image = new RawVolume(2000, "", 5).raw(0x04, 0x04).tuple(Hex.bytes(ROOT)).raw(0x04).build();
    assertThat(read(image).end()).isEqualTo(new LogReader.EndOfLog(1, 9 + 2 + 8 + 1));
  }

  @Test
  void anUnsupportedVersionIsRejectedAtItsByte() {
    byte[] image = new RawVolume(2000, "", 5).tuple(Hex.bytes(ROOT)).build();
    image[6] = 0x06;
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).contains("unsupported TFS version 6");
    assertThat(e.offset()).isEqualTo(6);
    image[6] = 0x05;
    image[0] = 'X';
    assertThat(failure(image).getMessage()).contains("not a TFS volume");
  }

  @Test
  void theMetadataLimitBoundsTheChain() {
    byte[] image = new RawVolume(3000, "", 5).tuple(Hex.bytes(ROOT)).link(1500, 5).build();
    TfsReadOptions small = TfsReadOptions.builder().setMaxMetadataBytes(1500 * 512L).build();
    assertThatThrownBy(() -> new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length), small).read())
        .isInstanceOf(TfsFormatException.class).hasMessageContaining("exceed the metadata limit");
  }

  /**
   * Random record histories: after every record the decoder's root equals the model; the whole
   * history, its records split at random across extensions, read by {@link LogReader} equals it too.
   */
  @Test
  void randomRecordHistoriesReadBackAsTheirModel() {
    boolean pit = Boolean.getBoolean("nanokit.pit");
    int[] records = {0};
    RandomCases.run("log record histories", pit ? 10 : 60, (random, c) -> {
      LogHistories h = new LogHistories(random);
      TupleDictionary dict = new TupleDictionary();
      TupleDecoder decoder = new TupleDecoder(dict);
      List<byte[]> log = new ArrayList<>();
      log.add(h.rootRecord());
      int steps = 20 + random.nextInt(60);
      for (int i = 0; i <= steps; i++) {
        byte[] r = i == 0 ? log.get(0) : h.updateRecord();
        if (i > 0) {
          log.add(r);
        }
        try {
          decoder.decodeRecord(r, 0, r.length, TupleEncoding.V5);
        } catch (TupleFormatException e) {
          throw new AssertionError("record " + i + " " + Hex.format(r) + ": " + e, e);
        }
        assertThat(dict.root()).as("after record %d %s", i, Hex.format(r)).isEqualTo(h.expected());
      }
      assertThat(decoder.entriesApplied()).isEqualTo(h.entries);
      records[0] += log.size();
      RawVolume raw = new RawVolume(1 + 1024 * 8, "", 5);
      int next = 1025;
      for (byte[] r : log) {
        if (next < 1 + 1024 * 7 && r.length > 2 && random.nextInt(6) == 0) {
          raw.splitTuple(r, 1 + random.nextInt(r.length - 1), next);
          next += 1024;
        } else {
          raw.tuple(r);
        }
      }
      try {
        LogReader.Log read = read(raw.build());
        assertThat(read.root()).isEqualTo(h.expected());
        assertThat(read.entriesApplied()).isEqualTo(h.entries);
        assertThat(read.extensions()).hasSize(2 + (next - 1025) / 1024);
      } catch (IOException e) {
        throw new AssertionError(e);
      }
    });
    System.out.println("[LogReaderTest] " + records[0] + " random records checked against the model");
  }

  /** A volume whose extensions are 1 block long; records start at 512 + 8 (magic, version, size 1). */
  private static RawVolume smallExtension() {
    return new RawVolume(4, "", 5, 1);
  }

  private static int[] repeat(int b, int n) {
    int[] out = new int[n];
    java.util.Arrays.fill(out, b);
    return out;
  }

  @Test
  void anExtensionFilledWithoutATerminatorIsRejectedAtItsEnd() {
    // Records start at 8 in a 1-block extension (magic 6, version 1, size 1).
    TfsFormatException noEnd = failure(smallExtension().tuple(Hex.bytes(ROOT)).raw(repeat(0x04, 512 - 8 - 8)).buildUnterminated());
    assertThat(noEnd.getMessage()).contains("log extension at block 1 ends without END_OF_LOG or a link");
    assertThat(noEnd.offset()).isEqualTo(1024);
    int[] cut = repeat(0x04, 512 - 8 - 8);
    cut[cut.length - 1] = 0x02;
    TfsFormatException midRecord = failure(smallExtension().tuple(Hex.bytes(ROOT)).raw(cut).buildUnterminated());
    assertThat(midRecord.getMessage()).contains("log extension ends in the middle of a record");
    assertThat(midRecord.offset()).isEqualTo(1024);
  }

  @Test
  void aSegmentMayFillItsExtensionButNotRunPastIt() {
    int room = 512 - 8 - 1 - 2 - 2; // type, total (2-byte varint), length (2-byte varint)
    int[] fill = new int[5 + room];
    fill[0] = 0x02;
    fill[1] = 0x80 | ((room + 1) >> 7); // total: one byte more, so the tuple stays pending
    fill[2] = (room + 1) & 0x7f;
    fill[3] = 0x80 | (room >> 7);
    fill[4] = room & 0x7f;
    // The segment ends exactly at the end: what fails is the missing record after it.
    assertThat(failure(smallExtension().raw(fill).buildUnterminated()).getMessage())
        .contains("ends without END_OF_LOG or a link");
    fill[4] = (room + 1) & 0x7f;
    TfsFormatException past = failure(smallExtension().raw(fill).buildUnterminated());
    assertThat(past.getMessage()).contains("segment of " + (room + 1) + " bytes runs past its extension");
    assertThat(past.offset()).isEqualTo(512 + 8 + 3);
  }

  @Test
  void splitRecordsAreCheckedAgainstWhatIsPending() throws IOException {
    // 02 total 5, first 2 bytes; a second TUPLE_AVAILABLE while 3 are missing.
    TfsFormatException again = failure(new RawVolume(2000, "", 5).raw(0x02, 0x05, 0x02, 0x91, 0x81).tuple(Hex.bytes(ROOT)).build());
    assertThat(again.getMessage()).contains("TUPLE_AVAILABLE while a split tuple is still pending");
    assertThat(again.offset()).isEqualTo(512 + 9 + 5);
    TfsFormatException tooLong = failure(new RawVolume(2000, "", 5).raw(0x02, 0x05, 0x02, 0x91, 0x81, 0x03, 0x04, 'a', 0xC1, 'x', 0).build());
    assertThat(tooLong.getMessage()).contains("TUPLE_EXTENDED of 4 bytes is longer than the 3 bytes it may hold");
    assertThat(tooLong.offset()).isEqualTo(512 + 9 + 6);
    // Exactly the missing bytes complete it.
    byte[] ok = new RawVolume(2000, "", 5).raw(0x02, 0x05, 0x02, 0x91, 0x81, 0x03, 0x03, 'a', 0xC1, 'x').build();
    assertThat(read(ok).root().get("a")).isEqualTo(StringValue.of("x"));
  }

  @Test
  void aSplitTupleLargerThanTheMetadataLimitIsRefusedBeforeItIsCollected() throws IOException {
    byte[] image = new RawVolume(3000, "", 5).splitTuple(Hex.bytes(ROOT), 2, 1500).build();
    TfsReadOptions exact = TfsReadOptions.builder().setMaxMetadataBytes(1025 * 512L + 1024 * 512L).build();
    assertThat(new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length), exact).read().root().get("a"))
        .isEqualTo(StringValue.of("x"));
    // A 2-block chain against a limit of 2^17 bytes: a pending tuple of exactly 2^17 bytes is collected.
    TfsReadOptions small = TfsReadOptions.builder().setMaxMetadataBytes(1L << 17).build();
    byte[] limit = smallExtension().raw(0x02, 0x88, 0x80, 0x00, 0x01, 0x91).build();
    assertThatThrownBy(() -> new LogReader(new VolumeChannel(new ByteArrayChannel(limit), 0, limit.length), small).read())
        .isInstanceOf(TfsFormatException.class).hasMessageContaining("log ends inside a tuple split across extensions");
    byte[] huge = smallExtension().raw(0x02, 0x88, 0x80, 0x01, 0x01, 0x91).build(); // total 2^17 + 1
    TfsFormatException e = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(() ->
        new LogReader(new VolumeChannel(new ByteArrayChannel(huge), 0, huge.length), small).read());
    assertThat(e.getMessage()).contains("tuple of 131073 bytes exceeds the metadata limit (maxMetadataBytes)");
    assertThat(e.offset()).isEqualTo(512 + 8);
  }

  @Test
  void varintsInRecordsAreBounded() {
    TfsFormatException overflow = failure(new RawVolume(2000, "", 5).raw(0x02, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F).build());
    assertThat(overflow.getMessage()).contains("varint overflows 64 bits");
    assertThat(overflow.offset()).isEqualTo(512 + 9 + 1);
    // A tuple length of 2^64 - 4507 (a negative long): refused where it is read, not used as a length.
    TfsFormatException negative = failure(new RawVolume(2000, "", 5)
        .raw(0x02, 0x81, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xDC, 0x65).build());
    assertThat(negative.getMessage()).contains("varint 18446744073709547109 is out of range (above 2^63 - 1)");
    assertThat(negative.offset()).isEqualTo(512 + 9 + 1);
    TfsFormatException longVarint = failure(new RawVolume(2000, "", 5).raw(0x02).raw(repeat(0x80, 10)).raw(0x00).build());
    assertThat(longVarint.getMessage()).contains("varint longer than 10 bytes");
    assertThat(longVarint.offset()).isEqualTo(512 + 9 + 1);
  }

  @Test
  void errorsInASplitTupleNameTheByteInThePieceThatHoldsIt() {
    // "91 81 'a' D0": the reserved type D0 is the first byte of the second piece.
    byte[] image = new RawVolume(3000, "", 5).splitTuple(Hex.bytes("91 81 'a' D0"), 3, 1500).build();
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).isEqualTo("bad tuple: reserved value type 5 at byte offset " + (1500 * 512 + 9 + 2));
    assertThat(image[(int) e.offset()]).isEqualTo((byte) 0xD0);
    // The same byte in the first piece: before the link.
    byte[] first = new RawVolume(3000, "", 5).splitTuple(Hex.bytes("91 81 'a' D0"), 4, 1500).build();
    TfsFormatException f = failure(first);
    assertThat(first[(int) f.offset()]).isEqualTo((byte) 0xD0);
    assertThat(f.offset()).isEqualTo(512 + 9 + 3 + 3);
  }

  @Test
  void originsGiveTheByteOfEveryCreatedTuple() throws IOException {
    // A root with 70 empty child tuples, named 00..69, to outgrow the first 64 origin slots.
    StringBuilder listing = new StringBuilder("98 46");
    for (int i = 0; i < 70; i++) {
      listing.append(String.format(" 82 '%02d' 90", i));
    }
    byte[] tuple = Hex.bytes(listing.toString());
    byte[] image = new RawVolume(2000, "", 5).tuple(tuple).build();
    LogReader.Log log = read(image);
    // 02, total and length (2-byte varints each): the tuple starts at 512 + 9 + 5.
    long start = 512 + 9 + 5;
    assertThat(log.originOf(log.root())).isEqualTo(start);
    assertThat(log.originOf(log.root().getTuple("00"))).isEqualTo(start + 2 + 3);
    assertThat(log.originOf(log.root().getTuple("69"))).isEqualTo(start + 2 + 70 * 4 - 1);
    assertThat(image[(int) log.originOf(log.root().getTuple("69"))]).isEqualTo((byte) 0x90);
    assertThat(log.originOf(new Tuple())).isEqualTo(-1);
    // In a split tuple, the child that starts in the second piece is found there.
    byte[] split = new RawVolume(3000, "", 5).splitTuple(Hex.bytes("92 81 'a' 90 81 'b' 90"), 5, 1500).build();
    LogReader.Log s = read(split);
    assertThat(s.originOf(s.root().getTuple("b"))).isEqualTo(1500 * 512 + 9 + 2 + 1);
    assertThat(s.originOf(s.root().getTuple("a"))).isEqualTo(512 + 9 + 3 + 3);
  }

  @Test
  void blockZeroOutsideThePartitionIsReportedAtThePartitionsStart() {
    byte[] image = new byte[4096];
    // The magic is there (a file of zeros is "no NVMTFS magic" first); the partition is too short for block 0.
    System.arraycopy(TfsFormat.MAGIC, 0, image, 1024, TfsFormat.MAGIC.length);
    TfsFormatException e = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(() ->
        new LogReader(new VolumeChannel(new ByteArrayChannel(image), 1024, 511), TfsReadOptions.defaults()).read());
    assertThat(e.getMessage()).contains("log extension at block 0 (1 blocks) lies outside the filesystem of 511 bytes");
    assertThat(e.offset()).isEqualTo(1024);
  }

  @Test
  void aLinkWhoseByteOffsetOverflowsIsOutsideTheVolume() {
    // Block 2^55 + 1 times 512 wraps to byte 512, the first extension: only the block number check sees it.
    long block = (1L << 55) + 1;
    java.io.ByteArrayOutputStream link = new java.io.ByteArrayOutputStream();
    link.write(0x05);
    dev.nanokit.manifest.codec.Varint.write(link, block);
    dev.nanokit.manifest.codec.Varint.write(link, 1024);
    int[] record = new int[link.size()];
    for (int i = 0; i < record.length; i++) {
      record[i] = link.toByteArray()[i] & 0xff;
    }
    byte[] image = new RawVolume(2000, "", 5).tuple(Hex.bytes(ROOT)).raw(record).build();
    // The volume claims 2^47 bytes, so only block numbers past 2^38 are outside it.
    TfsFormatException e = (TfsFormatException) org.assertj.core.api.Assertions.catchThrowable(() ->
        new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, 1L << 47), TfsReadOptions.defaults()).read());
    assertThat(e.getMessage()).contains("log extension at block " + block + " (1024 blocks) lies outside the filesystem");
    assertThat(e.offset()).isEqualTo(512 + 9 + 8);
  }

  @Test
  void aTupleExtendedSegmentMayFillItsExtension() {
    // Block 1 starts a 1000-byte tuple with one byte; block 2 continues it with 501 bytes that end
    // exactly at the end of that 1-block extension (8-byte header, 03, 2-byte length).
    int[] rest = new int[3 + 501];
    rest[0] = 0x03;
    rest[1] = 0x80 | (501 >> 7);
    rest[2] = 501 & 0x7f;
    byte[] image = smallExtension().raw(0x02, 0x87, 0x68, 0x01, 0x91).link(2, 5).raw(rest).buildUnterminated();
    TfsFormatException e = failure(image);
    assertThat(e.getMessage()).contains("log extension at block 2 ends without END_OF_LOG or a link");
    assertThat(e.offset()).isEqualTo(3 * 512);
  }

  @Test
  void theOriginOfTheLastOfAFullTableIsFound() throws IOException {
    // Root and 63 children: exactly the 64 origins the table starts with.
    StringBuilder listing = new StringBuilder("98 3F");
    for (int i = 0; i < 63; i++) {
      listing.append(String.format(" 82 '%02d' 90", i));
    }
    LogReader.Log log = read(new RawVolume(2000, "", 5).tuple(Hex.bytes(listing.toString())).build());
    assertThat(log.originOf(log.root().getTuple("62"))).isEqualTo(512 + 9 + 5 + 2 + 63 * 4 - 1);
    assertThat(log.originOf(log.root())).isEqualTo(512 + 9 + 5);
  }
}
