package dev.nanokit.tfs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TfsReadOptionsTest {

  @Test
  void defaultsAreTheDocumentedLimits() {
    TfsReadOptions d = TfsReadOptions.defaults();
    assertThat(d.filesystem()).isEqualTo(TfsReadOptions.Filesystem.ROOT);
    assertThat(d.maxTupleDepth()).isEqualTo(512);
    assertThat(d.maxDirectoryEntries()).isEqualTo(4_000_000);
    assertThat(d.maxNameLength()).isEqualTo(4096);
    assertThat(d.maxSymlinkHops()).isEqualTo(40);
    assertThat(d.maxMetadataBytes()).isEqualTo(1L << 30);
    assertThat(d.maxFileBytes()).isEqualTo(1L << 40);
  }

  @Test
  void everySetterIsKeptAndLimitsOfOneAreAllowed() {
    TfsReadOptions o = TfsReadOptions.builder()
        .setFilesystem(TfsReadOptions.Filesystem.BOOT)
        .setMaxTupleDepth(1)
        .setMaxDirectoryEntries(1)
        .setMaxNameLength(1)
        .setMaxSymlinkHops(1)
        .setMaxMetadataBytes(512)
        .setMaxFileBytes(0)
        .build();
    assertThat(o.filesystem()).isEqualTo(TfsReadOptions.Filesystem.BOOT);
    assertThat(o.maxTupleDepth()).isEqualTo(1);
    assertThat(o.maxDirectoryEntries()).isEqualTo(1);
    assertThat(o.maxNameLength()).isEqualTo(1);
    assertThat(o.maxSymlinkHops()).isEqualTo(1);
    assertThat(o.maxMetadataBytes()).isEqualTo(512);
    assertThat(o.maxFileBytes()).isZero();
  }

  @Test
  void limitsBelowTheirMinimumAreRefusedByName() {
    TfsReadOptions.Builder b = TfsReadOptions.builder();
    assertThatThrownBy(() -> b.setMaxTupleDepth(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("maxTupleDepth must be positive: 0");
    assertThatThrownBy(() -> b.setMaxDirectoryEntries(0)).hasMessage("maxDirectoryEntries must be positive: 0");
    assertThatThrownBy(() -> b.setMaxNameLength(-1)).hasMessage("maxNameLength must be positive: -1");
    assertThatThrownBy(() -> b.setMaxSymlinkHops(0)).hasMessage("maxSymlinkHops must be positive: 0");
    assertThatThrownBy(() -> b.setMaxMetadataBytes(511)).hasMessage("maxMetadataBytes must be at least one block: 511");
    assertThatThrownBy(() -> b.setMaxFileBytes(-1)).hasMessage("maxFileBytes must not be negative: -1");
    assertThatThrownBy(() -> b.setFilesystem(null)).isInstanceOf(NullPointerException.class).hasMessage("filesystem");
  }
}
