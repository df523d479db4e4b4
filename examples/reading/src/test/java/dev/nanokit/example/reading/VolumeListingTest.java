package dev.nanokit.example.reading;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.tfs.TfsWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeListingTest {
  @TempDir Path tmp;

  @Test
  void writesAndListsAVolumeWithNanokitTfsAlone() throws Exception {
    Path image = tmp.resolve("v.img");
    TfsWriter.create().addFile("/etc/hostname", "uniboot\n".getBytes()).addFile("/app/data.bin", new byte[70_000])
        .addDirectory("/empty").writeTo(image);
    assertThat(VolumeListing.files(image)).containsExactly("70000 /app/data.bin", "8 /etc/hostname");
  }

  @Test
  void noThirdPartyLibraryComesWithNanokitTfs() {
    for (String other : List.of("com.fasterxml.jackson.databind.ObjectMapper",
        "org.apache.commons.compress.archivers.tar.TarArchiveEntry", "com.google.common.collect.ImmutableList",
        "picocli.CommandLine", "dev.nanokit.core.NanosImage")) {
      assertThatThrownBy(() -> Class.forName(other)).as(other).isInstanceOf(ClassNotFoundException.class);
    }
  }
}
