package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.codec.TupleDictionary;
import dev.nanokit.manifest.codec.Varint;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.testing.tfs.Listing;
import dev.nanokit.testing.tfs.WrittenLog;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsVolume;
import dev.nanokit.tfs.TfsWriteResult;
import dev.nanokit.tfs.TfsWriter;
import dev.nanokit.tfs.TfsWriterTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The "3.4 How writers fill extensions (split rule)" split rule, on synthetic tuples and on a tree whose root tuple needs three extensions. */
class LogWriterTest {
  static final int SIZE = 1024 * 512;
  /** The largest first segment: extension size − header (9) − 42. */
  static final int FIRST_SEGMENT = SIZE - 9 - 42;

  @TempDir Path tmp;

  static byte[] tuple(int n) {
    byte[] t = new byte[n];
    for (int i = 0; i < n; i++) {
      t[i] = (byte) (i * 31 + 7);
    }
    return t;
  }

  @Test
  void aSmallTupleIsOneRecordInOneExtension() {
    byte[] t = tuple(113);
    List<LogWriter.Extension> chain = LogWriter.chain(t, 5, 1, 1025);
    assertThat(chain).hasSize(1);
    ByteArrayOutputStream want = new ByteArrayOutputStream();
    want.writeBytes(Hex.bytes("4E 56 4D 54 46 53 05 88 00 02 71 71"));
    want.writeBytes(t);
    want.write(1);
    assertThat(chain.get(0).bytes()).isEqualTo(want.toByteArray());
    assertThat(chain.get(0).startBlock()).isEqualTo(1);
    assertThat(chain.get(0).blocks()).isEqualTo(1024);
  }

  @Test
  void theLargestTupleThatFitsStaysInOneExtension() {
    List<LogWriter.Extension> chain = LogWriter.chain(tuple(FIRST_SEGMENT), 5, 1, 1025);
    assertThat(chain).hasSize(1);
    byte[] b = chain.get(0).bytes();
    int header = 1 + Varint.length(FIRST_SEGMENT) * 2;
    assertThat(b.length).isEqualTo(9 + header + FIRST_SEGMENT + 1);
    assertThat(b[b.length - 1]).isEqualTo((byte) TfsFormat.END_OF_LOG);
  }

  @Test
  void oneByteMoreSpillsIntoANewExtensionAfterTheData() {
    byte[] t = tuple(FIRST_SEGMENT + 1);
    List<LogWriter.Extension> chain = LogWriter.chain(t, 5, 1, 5000);
    assertThat(chain).extracting(LogWriter.Extension::startBlock).containsExactly(1L, 5000L);
    byte[] first = chain.get(0).bytes();
    int[] c = {9};
    assertThat(first[c[0]++]).isEqualTo((byte) TfsFormat.TUPLE_AVAILABLE);
    assertThat(WrittenLog.varint(first, c)).isEqualTo(t.length);
    assertThat(WrittenLog.varint(first, c)).isEqualTo(FIRST_SEGMENT);
    int linkAt = c[0] + FIRST_SEGMENT;
    assertThat(linkAt + 74).isGreaterThanOrEqualTo(SIZE);
    assertThat(Arrays.copyOfRange(first, linkAt, first.length)).isEqualTo(Hex.bytes("05 A7 08 88 00 01"));
    assertThat(chain.get(1).bytes()).isEqualTo(Hex.bytes("4E 56 4D 54 46 53 05 88 00 03 01"
        + String.format(" %02X", t[t.length - 1] & 0xff) + " 01"));
  }

  @Test
  void version4ExtensionsCarryVersion4() {
    List<LogWriter.Extension> chain = LogWriter.chain(tuple(2 * SIZE), 4, 1, 2000);
    assertThat(chain).hasSize(3);
    for (LogWriter.Extension x : chain) {
      assertThat(x.bytes()[6]).isEqualTo((byte) 4);
    }
    assertThat(chain).extracting(LogWriter.Extension::startBlock).containsExactly(1L, 2000L, 3024L);
  }

  @Test
  void theInitialExtensionIsHeaderLinkAndEnd() {
    byte[] b = LogWriter.initialExtension(5, TfsWriterTest.SPEC_UUID, "demo".getBytes(), 1);
    assertThat(b).hasSize(512);
    assertThat(Arrays.copyOf(b, 0x22)).isEqualTo(Hex.bytes(
        "4E 56 4D 54 46 53 05 01 00 11 22 33 44 55 66 77 88 99 AA BB CC DD EE FF 'demo' 00 05 01 88 00 01"));
  }

  @Test
  void aRootTupleTooBigForTwoExtensionsIsSplitOverThreeByTheRule() throws IOException {
    TfsWriter w = TfsWriter.create();
    // data first, so the further extensions land after it: 2 + 137 blocks
    w.addFile("/data/a.bin", new byte[1000]);
    w.addFile("/data/b.bin", 70_000, () -> new TfsWriterTest.PatternStream(70_000, 5));
    int files = 12_000;
    String pad = "x".repeat(88);
    for (int i = 0; i < files; i++) {
      w.addFile(String.format("/d%02d/f%05d-%s", i % 17, i, pad), new byte[0]);
    }
    w.addSymlink("/zz-link", "data/a.bin");
    Path out = tmp.resolve("big-log.img");
    TfsWriteResult r = w.writeTo(out);

    WrittenLog log = WrittenLog.read(out);
    assertThat(log.tuple.length).isBetween(2 * FIRST_SEGMENT + 1, 3 * FIRST_SEGMENT);
    long dataEnd = 1025 + 2 + 137;
    assertThat(log.extensions).extracting(WrittenLog.Extension::start).containsExactly(1L, dataEnd, dataEnd + 1024);
    assertThat(r.extensions()).containsExactly(new LogExtension(0, 1, 5), new LogExtension(1, 1024, 5),
        new LogExtension(dataEnd, 1024, 5), new LogExtension(dataEnd + 1024, 1024, 5));
    assertThat(r.usedBlocks()).isEqualTo(dataEnd + 2048);
    assertThat(r.sizeBytes()).isGreaterThanOrEqualTo((dataEnd + 2048) * 512 + TfsWriter.DEFAULT_FREE_MARGIN_BYTES);
    assertThat(r.metadataBytes()).isEqualTo(log.tuple.length);

    // record kinds: AVAILABLE + LINK, EXTENDED + LINK, EXTENDED + END_OF_LOG
    assertThat(log.extensions.get(0).records()).extracting(WrittenLog.Record::type).containsExactly(2, 5);
    assertThat(log.extensions.get(1).records()).extracting(WrittenLog.Record::type).containsExactly(3, 5);
    assertThat(log.extensions.get(2).records()).extracting(WrittenLog.Record::type).containsExactly(3, 1);
    assertThat(log.extensions.get(0).linkStart()).isEqualTo(dataEnd);
    assertThat(log.extensions.get(1).linkStart()).isEqualTo(dataEnd + 1024);

    // every segment is exactly what "3.4 How writers fill extensions (split rule)" allows; every LINK comes when pos + 74 >= size
    long remaining = log.tuple.length;
    for (WrittenLog.Extension x : log.extensions) {
      for (WrittenLog.Record rec : x.records()) {
        if (rec.type() == 2 || rec.type() == 3) {
          assertThat(rec.position() + 74).isLessThan(SIZE);
          assertThat((long) rec.segment()).isEqualTo(Math.min(SIZE - rec.position() - 42, remaining));
          remaining -= rec.segment();
        } else if (rec.type() == 5) {
          assertThat(rec.position() + 74).isGreaterThanOrEqualTo(SIZE);
        }
      }
    }
    assertThat(remaining).isZero();

    TupleDictionary dict = log.decode();
    TfsWriterTest.assertNamesDefinedOnce(dict);
    Tuple root = dict.root();
    assertThat(root.getTuple("children").names()).hasSize(17 + 2);

    try (TfsVolume v = TfsVolume.open(out)) {
      long[] count = new long[1];
      v.walk(v.root(), n -> count[0]++);
      assertThat(count[0]).isEqualTo(1 + 1 + 2 + 17 + files + 1);
      assertThat(v.lookup("/zz-link", true).orElseThrow().size()).isEqualTo(1000);
      assertThat(Listing.sha256(v.lookup("/data/b.bin", true).orElseThrow()))
          .isEqualTo(TfsWriterTest.sha256(new TfsWriterTest.PatternStream(70_000, 5).readAllBytes()));
      assertThat(v.info().extensions()).isEqualTo(r.extensions());
    }
  }
}
