package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A host tree listed while the planner walks it: every directory's entries in path order, links as
 * links, regular files checked for the ELF magic when asked.
 */
class HostDirectoryListingTest {
  @TempDir Path tmp;

  @Test
  void listsEveryDirectoryInPathOrderWithWhatTheWalkAsks() throws IOException {
    Path root = tmp.resolve("root");
    for (int d = 0; d < 20; d++) {
      Path dir = Files.createDirectories(root.resolve("d" + d));
      Files.write(dir.resolve("z.txt"), new byte[d]);
      Files.write(dir.resolve("a.txt"), new byte[1]);
    }
    Files.createSymbolicLink(root.resolve("to-d3"), Path.of("d3"));
    Files.createSymbolicLink(root.resolve("dangling"), Path.of("nowhere"));
    Files.write(root.resolve("\u00e9"), new byte[2]);

    try (HostDirectoryListing walk = HostDirectoryListing.start(root, false, null)) {
      HostDirectoryListing.Directory listing = walk.root();
      listing.rethrow();
      assertThat(listing.unreadable()).isFalse();
      List<String> names = listing.entries().stream().map(HostDirectoryListing.Entry::name).toList();
      assertThat(names).startsWith("d0", "d1", "d10", "d11").endsWith("dangling", "to-d3", "\u00e9").hasSize(23);

      HostDirectoryListing.Entry link = listing.entries().get(names.indexOf("to-d3"));
      assertThat(link.kind()).isEqualTo(HostDirectoryListing.Kind.SYMLINK);
      assertThat(link.target()).isEqualTo("d3");
      assertThat(link.linkResolves()).isTrue();
      assertThat(link.directory()).as("a link to a directory is not followed").isNull();
      HostDirectoryListing.Entry dangling = listing.entries().get(names.indexOf("dangling"));
      assertThat(dangling.target()).isEqualTo("nowhere");
      assertThat(dangling.linkResolves()).isFalse();

      HostDirectoryListing.Directory d7 = listing.entries().get(names.indexOf("d7")).directory();
      assertThat(d7.dir()).isEqualTo(root.resolve("d7"));
      assertThat(d7.entries()).extracting(HostDirectoryListing.Entry::name).containsExactly("a.txt", "z.txt");
      assertThat(d7.entries().get(1).size()).isEqualTo(7);
      assertThat(d7.entries().get(1).kind()).isEqualTo(HostDirectoryListing.Kind.FILE);
      assertThat(d7.entries()).extracting(HostDirectoryListing.Entry::elfProbe).as("not asked for").containsOnlyNulls();
    }
  }

  @Test
  void aDirectoryThatCannotBeReadSaysSoWhenTheWalkGetsThere() {
    try (HostDirectoryListing walk = HostDirectoryListing.start(tmp.resolve("missing"), false, null)) {
      HostDirectoryListing.Directory listing = walk.root();
      assertThat(listing.unreadable()).isTrue();
      assertThat(listing.entries()).isEmpty();
      assertThatThrownBy(listing::rethrow).isInstanceOf(NoSuchFileException.class);
    }
  }

  @Test
  void regularFilesAreCheckedForTheElfMagicWhenAskedFor() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("root/sub"));
    Files.write(root.resolve("lib.so"), new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
    Files.write(root.resolve("text"), "#!/bin/sh\n".getBytes());
    Files.write(root.resolve("short"), new byte[] {0x7f, 'E'});
    Files.createSymbolicLink(root.resolve("link.so"), Path.of("lib.so"));

    try (HostDirectoryListing walk = HostDirectoryListing.start(tmp.resolve("root"), true, null)) {
      HostDirectoryListing.Entry sub = walk.root().entries().get(0);
      assertThat(sub.elfProbe()).as("a directory").isNull();
      assertThat(sub.directory().entries())
          .extracting(HostDirectoryListing.Entry::name, HostDirectoryListing.Entry::elfProbe)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("lib.so", true),
              org.assertj.core.groups.Tuple.tuple("link.so", null),
              org.assertj.core.groups.Tuple.tuple("short", false),
              org.assertj.core.groups.Tuple.tuple("text", false));
    }
  }

  @Test
  void smallFilesAreKeptWholeWhileTheBudgetLasts() throws IOException {
    Path root = Files.createDirectories(tmp.resolve("kept"));
    byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    Files.write(root.resolve("a.so"), elf);
    Files.write(root.resolve("b.txt"), new byte[3000]);
    Files.write(root.resolve("c.big"), new byte[HostDirectoryListing.SMALL_FILE_BYTES + 1]);
    Files.write(root.resolve("d.txt"), new byte[3000]);
    Files.write(root.resolve("e"), new byte[0]);
    AtomicLong budget = new AtomicLong(elf.length + 3000 + 10);

    try (HostDirectoryListing walk = HostDirectoryListing.start(root, true, budget)) {
      List<HostDirectoryListing.Entry> entries = walk.root().entries();
      assertThat(entries).extracting(HostDirectoryListing.Entry::name, HostDirectoryListing.Entry::elfProbe)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("a.so", true),
              org.assertj.core.groups.Tuple.tuple("b.txt", false), org.assertj.core.groups.Tuple.tuple("c.big", false),
              org.assertj.core.groups.Tuple.tuple("d.txt", false), org.assertj.core.groups.Tuple.tuple("e", false));
      assertThat(entries.get(0).content()).containsExactly(elf);
      assertThat(entries.get(1).content()).hasSize(3000);
      assertThat(entries.get(2).content()).as("above the small-file size").isNull();
      assertThat(entries.get(3).content()).as("beyond the budget").isNull();
      assertThat(entries.get(4).content()).as("an empty file fits in what is left").isEmpty();
    }
    try (HostDirectoryListing walk = HostDirectoryListing.start(root, true, null)) {
      assertThat(walk.root().entries()).allSatisfy(e -> assertThat(e.content()).as("no budget: nothing kept").isNull());
    }
  }

  @Test
  void manyDirectoriesListedOnOtherThreadsAreWaitedForInWalkOrder() throws IOException {
    Path root = tmp.resolve("wide");
    for (int a = 0; a < 30; a++) {
      for (int b = 0; b < 10; b++) {
        Files.write(Files.createDirectories(root.resolve("a" + a).resolve("b" + b)).resolve("f"), new byte[a + b]);
      }
    }
    for (int run = 0; run < 5; run++) {
      long total = 0;
      int files = 0;
      try (HostDirectoryListing walk = HostDirectoryListing.start(root, false, null)) {
        for (HostDirectoryListing.Entry a : walk.root().entries()) {
          for (HostDirectoryListing.Entry b : a.directory().entries()) {
            for (HostDirectoryListing.Entry f : b.directory().entries()) {
              total += f.size();
              files++;
            }
          }
        }
      }
      assertThat(files).isEqualTo(300);
      assertThat(total).isEqualTo(sizes());
    }
  }

  private static long sizes() {
    long total = 0;
    for (int a = 0; a < 30; a++) {
      for (int b = 0; b < 10; b++) {
        total += a + b;
      }
    }
    return total;
  }
}
