package dev.nanokit.elf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Malformed input must end in {@link ElfFormatException} or a parse, never another exception, OOM
 * or hang. Seeds: fixed ones for reproducibility plus one fresh seed per run (printed); set
 * {@code -Dnanokit.seed=N} to replay a failure.
 */
class HostileInputTest {
  private static final int MUTANTS_PER_SEED = 1500;

  @Test
  void everyTruncationOfASmallElf() {
    for (TestElf t : List.of(
        TestElf.x64().interp("/lib64/ld-linux-x86-64.so.2").needed("libc.so.6").soname("x.so")
            .rpath("/a").runpath("/b").buildId(new byte[20]),
        TestElf.x64().cls(32).order(java.nio.ByteOrder.BIG_ENDIAN).interp("/lib/ld.so.1")
            .needed("libc.so.6").buildId(new byte[8]))) {
      byte[] full = t.build();
      assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
        for (int len = 0; len < full.length; len++) {
          try {
            ElfFile.read(new MemoryChannel(full, len), "trunc");
            // A prefix can only parse if everything referenced lies inside it.
          } catch (ElfFormatException expected) {
            assertThat(expected.getMessage()).startsWith("trunc: ").contains(" at byte offset ");
          } catch (Throwable t2) {
            throw new AssertionError("truncation to " + len + " bytes threw " + t2, t2);
          }
        }
      });
    }
  }

  @Test
  void byteFlipMutantsOfARealBinary() throws IOException {
    byte[] original = sampleBinary();
    ElfFile base = ElfFile.read(new MemoryChannel(original), "sample");
    // Most of a binary is code; bias mutations towards the structures the parser reads.
    List<long[]> hot = new ArrayList<>();
    hot.add(new long[] {0, Math.min(original.length, 4096)});
    for (ProgramHeader ph : base.programHeaders()) {
      if (ph.type() == ProgramHeader.PT_DYNAMIC || ph.type() == ProgramHeader.PT_NOTE
          || ph.type() == ProgramHeader.PT_INTERP) {
        hot.add(new long[] {ph.offset(), ph.filesz()});
      }
    }
    base.section(".dynstr").ifPresent(s -> hot.add(new long[] {s.offset(), s.size()}));
    for (SectionHeader s : base.sectionHeaders()) {
      if (s.type() == SectionHeader.SHT_STRTAB && s.name().equals(".shstrtab")) {
        hot.add(new long[] {s.offset(), s.size()});
      }
    }
    if (!base.sectionHeaders().isEmpty()) {
      long shoff = original.length - (long) base.sectionHeaders().size() * (base.elfClass() == 64 ? 64 : 40);
      hot.add(new long[] {Math.max(0, shoff), original.length - Math.max(0, shoff)});
    }

    long fresh = System.nanoTime();
    String prop = System.getProperty("nanokit.seed");
    List<Long> seeds = prop != null ? List.of(Long.parseLong(prop)) : List.of(1L, 42L, fresh);
    System.out.println("HostileInputTest fresh seed: " + fresh + " (replay with -Dnanokit.seed=N)");
    for (long seed : seeds) {
      int[] outcomes = new int[2];
      assertTimeoutPreemptively(Duration.ofSeconds(120), () -> runMutants(original, hot, seed, outcomes),
          "seed " + seed + " timed out");
      System.out.println("seed " + seed + ": " + outcomes[0] + " parsed, " + outcomes[1]
          + " rejected with ElfFormatException");
    }
  }

  private static void runMutants(byte[] original, List<long[]> hot, long seed, int[] outcomes) {
    Random rnd = new Random(seed);
    byte[] buf = new byte[original.length];
    byte[] interesting = {0, (byte) 0xFF, 0x7F, (byte) 0x80, 1, 2, 0x40};
    for (int m = 0; m < MUTANTS_PER_SEED; m++) {
      System.arraycopy(original, 0, buf, 0, buf.length);
      int flips = 1 + rnd.nextInt(8);
      StringBuilder desc = new StringBuilder();
      for (int k = 0; k < flips; k++) {
        int pos;
        if (rnd.nextInt(4) == 0) {
          pos = rnd.nextInt(buf.length);
        } else {
          long[] r = hot.get(rnd.nextInt(hot.size()));
          pos = (int) (r[0] + (r[1] <= 0 ? 0 : Math.floorMod(rnd.nextLong(), r[1])));
          pos = Math.min(pos, buf.length - 1);
        }
        byte v = rnd.nextBoolean() ? (byte) (buf[pos] ^ (1 << rnd.nextInt(8)))
            : interesting[rnd.nextInt(interesting.length)];
        buf[pos] = v;
        desc.append(pos).append('=').append(v & 0xFF).append(' ');
      }
      int len = rnd.nextInt(10) == 0 ? rnd.nextInt(buf.length + 1) : buf.length;
      try {
        ElfFile.read(new MemoryChannel(buf, len), "mutant");
        outcomes[0]++;
      } catch (ElfFormatException e) {
        outcomes[1]++;
      } catch (Throwable t) {
        fail("seed " + seed + " mutant " + m + " (len " + len + ", " + desc + ") threw " + t, t);
      }
    }
  }

  /** /bin/ls when present, else a synthetic ELF with every structure the parser reads. */
  private static byte[] sampleBinary() throws IOException {
    Path ls = Path.of("/bin/ls");
    if (Files.isRegularFile(ls) && Files.size(ls) < (64 << 20)) {
      byte[] b = Files.readAllBytes(ls);
      try {
        ElfFile.read(new MemoryChannel(b), "ls");
        return b;
      } catch (ElfFormatException e) {
        // not an ELF host; fall through
      }
    }
    return TestElf.x64().interp("/lib64/ld-linux-x86-64.so.2").needed("libc.so.6", "libm.so.6")
        .soname("x.so").rpath("/a:$ORIGIN").runpath("/b").buildId(new byte[20]).build();
  }
}
