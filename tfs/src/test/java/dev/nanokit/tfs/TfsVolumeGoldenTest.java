package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nanokit.testing.tfs.GoldenVolumes;
import dev.nanokit.testing.tfs.Listing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The golden volumes of the shared test data (testdata/tfs under nanokit.shared) read exactly as their listings say. */
class TfsVolumeGoldenTest {
  @TempDir Path tmp;

  @ParameterizedTest
  @ValueSource(strings = {"mkfs-small", "ops-small", "ops-small-v4"})
  void readsTheSmallTreeFromEveryWriter(String name) throws Exception {
    try (TfsVolume volume = TfsVolume.open(GoldenVolumes.unpack(name, tmp))) {
      assertThat(Listing.of(volume)).isEqualTo(GoldenVolumes.expected("small-tree"));
      assertThat(volume.label()).isEqualTo("golden");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"kernel-written", "kernel-written-compacted"})
  void readsVolumesTheRunningKernelWrote(String name) throws Exception {
    try (TfsVolume volume = TfsVolume.open(GoldenVolumes.unpack(name, tmp))) {
      assertThat(Listing.of(volume)).isEqualTo(GoldenVolumes.expected(name));
    }
  }

  @Test
  void reportsTheLogChainOfTheKernelWrittenVolume() throws Exception {
    Path image = GoldenVolumes.unpack("kernel-written", tmp);
    try (TfsVolume volume = TfsVolume.open(image)) {
      TfsVolumeInfo info = volume.info();
      assertThat(info.extensions().get(0)).isEqualTo(new LogExtension(0, 1, 5));
      // mkfs's first extension plus the one the kernel linked when it ran out of room.
      assertThat(info.extensions()).hasSizeGreaterThanOrEqualTo(3);
      // A bare volume is the whole file (the README's 64 MiB was the disk it came from).
      assertThat(info.size()).isEqualTo(java.nio.file.Files.size(image)).isEqualTo(55_050_240L);
      assertThat(info.usedBytes() + info.freeBytes()).isEqualTo(info.size());
    }
  }
}
