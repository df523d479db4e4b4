package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.core.ImageEntry;
import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Directories listed before the plan walks them: the same plan, and what no walk takes is stopped. */
class ListingsAheadTest {
  @TempDir Path tmp;
  private Path cwd;
  private Path root;

  @BeforeEach
  void setUp() throws IOException {
    cwd = Files.createDirectories(tmp.resolve("work"));
    root = Files.createDirectories(tmp.resolve("root"));
    ContentPlannerTest.write(cwd.resolve("hello"), "ELF");
    for (int i = 0; i < 40; i++) {
      ContentPlannerTest.write(cwd.resolve("web/d" + i % 4 + "/f" + i + ".txt"), "file " + i);
    }
    Files.write(cwd.resolve("web/big.bin"), new byte[HostDirectoryListing.SMALL_FILE_BYTES + 1]);
  }

  private PlannerInputs inputs(Map<ImageEntry, byte[]> smallFiles) {
    return new PlannerInputs().config(OpsConfig.empty()).cwd(cwd).program("./hello", "/hello", cwd.resolve("hello"))
        .runtimeFrom(root).keepSmallFiles(smallFiles)
        .cliDirs(ContentPlannerTest.hostEntries(cwd, "web:/srv", "web:/copy"));
  }

  @Test
  void aPlanWithItsTreesListedAheadIsThePlanWithout() throws IOException {
    Map<ImageEntry, byte[]> keptWithout = new IdentityHashMap<>();
    ImagePlan without = ContentPlanner.plan(inputs(keptWithout));
    Map<ImageEntry, byte[]> keptAhead = new IdentityHashMap<>();
    ImagePlan ahead;
    try (ListingsAhead listings = ListingsAhead.start(List.of(cwd.resolve("web"), cwd.resolve("web")), true, true)) {
      ahead = ContentPlanner.plan(inputs(keptAhead).listingsAhead(listings));
    }
    assertThat(ahead.entries()).isEqualTo(without.entries());
    assertThat(ahead.notes()).isEqualTo(without.notes());
    assertThat(byPath(keptAhead)).hasSize(80).isEqualTo(byPath(keptWithout));

    // Listed ahead keeping small files, for a plan that keeps none: the same plan.
    try (ListingsAhead listings = ListingsAhead.start(List.of(cwd.resolve("web")), true, true)) {
      assertThat(ContentPlanner.plan(inputs(null).listingsAhead(listings)).entries()).isEqualTo(without.entries());
    }
  }

  @Test
  void aListingNoWalkTakesIsStoppedAndOnlyMatchingOnesAreTaken() {
    Path web = cwd.resolve("web");
    try (ListingsAhead listings = ListingsAhead.start(List.of(web, cwd.resolve("hello"), tmp.resolve("none")), true,
        false)) {
      assertThat(listings.smallFilesBudget()).as("nothing kept").isNull();
      assertThat(listings.take(web, false)).as("another ELF setting").isNull();
      assertThat(listings.take(cwd.resolve("hello"), true)).as("not a directory").isNull();
      try (HostDirectoryListing taken = listings.take(web, true)) {
        assertThat(taken).isNotNull();
        assertThat(taken.root().entries()).hasSize(5);
      }
      assertThat(listings.take(web, true)).as("taken once").isNull();
    }
  }

  private static Map<String, String> byPath(Map<ImageEntry, byte[]> kept) {
    Map<String, String> out = new TreeMap<>();
    kept.forEach((e, b) -> out.put(e.imagePath(), new String(b, java.nio.charset.StandardCharsets.UTF_8)));
    return out;
  }
}
