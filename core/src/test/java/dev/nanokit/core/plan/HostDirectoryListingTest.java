package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A host tree listed ahead of the planner: every directory's entries in path order, links as links. */
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

    HostDirectoryListing listing = HostDirectoryListing.of(root);
    listing.rethrow();
    assertThat(listing.unreadable()).isFalse();
    List<String> names = listing.entries().stream().map(HostDirectoryListing.Entry::name).toList();
    assertThat(names).startsWith("d0", "d1", "d10", "d11").endsWith("dangling", "to-d3", "\u00e9").hasSize(23);

    HostDirectoryListing.Entry link = listing.entries().get(names.indexOf("to-d3"));
    assertThat(link.attributes().isSymbolicLink()).isTrue();
    assertThat(link.target()).isEqualTo("d3");
    assertThat(link.linkResolves()).isTrue();
    assertThat(link.directory()).as("a link to a directory is not followed").isNull();
    HostDirectoryListing.Entry dangling = listing.entries().get(names.indexOf("dangling"));
    assertThat(dangling.target()).isEqualTo("nowhere");
    assertThat(dangling.linkResolves()).isFalse();

    HostDirectoryListing d7 = listing.entries().get(names.indexOf("d7")).directory();
    assertThat(d7.dir()).isEqualTo(root.resolve("d7"));
    assertThat(d7.entries()).extracting(HostDirectoryListing.Entry::name).containsExactly("a.txt", "z.txt");
    assertThat(d7.entries().get(1).attributes().size()).isEqualTo(7);
  }

  @Test
  void aDirectoryThatCannotBeReadSaysSoWhenTheWalkGetsThere() {
    HostDirectoryListing listing = HostDirectoryListing.of(tmp.resolve("missing"));
    assertThat(listing.unreadable()).isTrue();
    assertThat(listing.entries()).isEmpty();
    org.assertj.core.api.Assertions.assertThatThrownBy(listing::rethrow)
        .isInstanceOf(java.nio.file.NoSuchFileException.class);
  }
}
