package dev.nanokit.tfs.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.testing.manifest.ByteArrayChannel;
import dev.nanokit.testing.manifest.Hex;
import dev.nanokit.tfs.LogExtension;
import dev.nanokit.tfs.TfsFormatException;
import dev.nanokit.tfs.TfsNoSpaceException;
import dev.nanokit.tfs.TfsReadOptions;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link LogAppender} against the split rule of docs/formats/tfs.md, "3.4 How writers fill extensions (split rule)" and the append of "7.3 What the running kernel appends (read-write mount)". */
class LogAppenderTest {

  @Test
  void aFreshChainStartsWithAnExtensionHeaderAndEndsWithEndOfLog() throws Exception {
    LogAppender a = LogAppender.fresh(1, 5, () -> {
      throw new AssertionError("no second extension needed");
    });
    a.append(Hex.bytes("90"));
    List<LogAppender.Write> w = a.finish();
    assertThat(w).hasSize(1);
    assertThat(w.get(0).volumeOffset()).isEqualTo(512);
    assertThat(w.get(0).newExtension()).isTrue();
    assertThat(Hex.format(w.get(0).bytes())).isEqualTo("4E 56 4D 54 46 53 05 88 00 02 01 01 90 01");
    assertThat(a.addedExtensions()).containsExactly(new LogExtension(1, 1024, 5));
    assertThat(a.commitOffset()).isEqualTo(-1);
  }

  @Test
  void continuingAppendsAfterTheEndOfLogByteWhichIsTheCommitByte() throws Exception {
    SpaceMap space = SpaceMap.of(4000, List.of(new long[] {0, 1025}));
    LogAppender a = LogAppender.continuing(new LogExtension(1, 1024, 5), 100, space);
    a.append(Hex.bytes("11 01 02 C1 'y'"));
    List<LogAppender.Write> w = a.finish();
    assertThat(a.commitOffset()).isEqualTo(512 + 100);
    assertThat(w).hasSize(1);
    assertThat(w.get(0).volumeOffset()).isEqualTo(512 + 101);
    assertThat(w.get(0).newExtension()).isFalse();
    assertThat(Hex.format(w.get(0).bytes())).isEqualTo("02 05 05 11 01 02 C1 79 01");
    assertThat(a.addedExtensions()).isEmpty();
    assertThat(space.freeBlocks()).isEqualTo(4000 - 1025);
  }

  @Test
  void continuingAVersion4LogOpensAFreshVersion5ExtensionFirst() throws Exception {
    SpaceMap space = SpaceMap.of(4000, List.of(new long[] {0, 1025}));
    LogAppender a = LogAppender.continuing(new LogExtension(1, 1024, 4), 50, space);
    a.append(Hex.bytes("90"));
    List<LogAppender.Write> w = a.finish();
    assertThat(a.addedExtensions()).containsExactly(new LogExtension(1025, 1024, 5));
    assertThat(w).hasSize(2);
    assertThat(Hex.format(w.get(0).bytes())).isEqualTo("05 88 01 88 00 01");
    assertThat(w.get(0).volumeOffset()).isEqualTo(512 + 51);
    assertThat(w.get(0).newExtension()).isFalse();
    assertThat(w.get(1).volumeOffset()).isEqualTo(1025 * 512L);
    assertThat(Hex.format(w.get(1).bytes())).isEqualTo("4E 56 4D 54 46 53 05 88 00 02 01 01 90 01");
  }

  @Test
  void noRoomForANewExtensionIsTheNoSpaceException() {
    SpaceMap space = SpaceMap.of(2000, List.of(new long[] {0, 1025}));
    assertThatThrownBy(() -> LogAppender.continuing(new LogExtension(1, 1024, 4), 50, space))
        .isInstanceOf(TfsNoSpaceException.class).hasMessageContaining("no free run of 524288 bytes");
  }

  /** "3.4 How writers fill extensions (split rule)": a new extension once pos + 74 >= size; records split to leave 21 bytes for the link. */
  @Test
  void tuplesSplitAcrossExtensionsLeavingRoomForTheLink() throws Exception {
    List<Long> starts = new ArrayList<>(List.of(2000L, 4000L));
    LogAppender a = LogAppender.fresh(1, 5, () -> starts.remove(0));
    byte[] big = new byte[TfsFormat.EXTENSION_BYTES - 40];
    java.util.Arrays.fill(big, (byte) 0x42);
    big[0] = (byte) 0x90;
    a.append(big);
    a.append(big);
    List<LogAppender.Write> w = a.finish();
    assertThat(a.addedExtensions()).extracting(LogExtension::startBlock).containsExactly(1L, 2000L, 4000L);
    assertThat(w).extracting(LogAppender.Write::volumeOffset).containsExactly(512L, 2000 * 512L, 4000 * 512L);
    for (LogAppender.Write x : w) {
      assertThat(x.bytes().length).isLessThanOrEqualTo(TfsFormat.EXTENSION_BYTES);
      assertThat(x.newExtension()).isTrue();
    }
    // The first extension: header, TUPLE_AVAILABLE total seg, data to size-42, link, END_OF_LOG.
    byte[] first = w.get(0).bytes();
    int avail = TfsFormat.EXTENSION_BYTES - 9 - 21 - 21;
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    head.write(0x02);
    dev.nanokit.manifest.codec.Varint.write(head, big.length);
    dev.nanokit.manifest.codec.Varint.write(head, avail);
    assertThat(java.util.Arrays.copyOfRange(first, 9, 9 + head.size())).isEqualTo(head.toByteArray());
    int linkAt = 9 + head.size() + avail;
    assertThat(Hex.format(java.util.Arrays.copyOfRange(first, linkAt, first.length))).isEqualTo("05 8F 50 88 00 01");
    assertThat(first.length + TfsFormat.LINK_RESERVE).isLessThanOrEqualTo(TfsFormat.EXTENSION_BYTES);
    // The second starts with TUPLE_EXTENDED carrying the rest of the first tuple.
    byte[] second = w.get(1).bytes();
    assertThat(second[9]).isEqualTo((byte) TfsFormat.TUPLE_EXTENDED);
    // Everything reads back as two tuples through the reader.
    byte[] image = new byte[6000 * 512];
    byte[] b0 = Hex.bytes("'NVMTFS' 05 01 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 05 01 88 00 01");
    System.arraycopy(b0, 0, image, 0, b0.length);
    for (LogAppender.Write x : w) {
      System.arraycopy(x.bytes(), 0, image, (int) x.volumeOffset(), x.bytes().length);
    }
    assertThatThrownBy(() -> new LogReader(new VolumeChannel(new ByteArrayChannel(image), 0, image.length),
        TfsReadOptions.defaults()).read())
        // The 0x42 filler is not a valid tuple body: the reader got to decoding the reassembled tuple.
        .isInstanceOf(TfsFormatException.class).hasMessageStartingWith("bad tuple");
  }

  @Test
  void anEmptyTupleIsRefused() {
    LogAppender a = LogAppender.fresh(1, 5, () -> 5);
    assertThatThrownBy(() -> a.append(new byte[0])).isInstanceOf(IllegalArgumentException.class);
  }
}
