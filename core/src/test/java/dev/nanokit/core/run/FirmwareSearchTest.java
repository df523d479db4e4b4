package dev.nanokit.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FirmwareSearchTest {
  @TempDir Path root;

  private Path place(String absolute) throws Exception {
    Path p = root.resolve(absolute.substring(1));
    Files.createDirectories(p.getParent());
    return Files.write(p, new byte[] {1});
  }

  @Test
  void firstPlaceInOrderWins() throws Exception {
    assertThat(new FirmwareSearch(root).find("amd64")).isEmpty();
    Path homebrew = place("/opt/homebrew/share/qemu/edk2-x86_64-code.fd");
    assertThat(new FirmwareSearch(root).find("amd64")).contains(homebrew);
    Path fedora = place("/usr/share/edk2/ovmf/OVMF_CODE.fd");
    assertThat(new FirmwareSearch(root).find("amd64")).contains(fedora);
    Path debian = place("/usr/share/OVMF/OVMF_CODE_4M.fd");
    assertThat(new FirmwareSearch(root).find("amd64")).contains(debian);
  }

  @Test
  void arm64HasItsOwnPlacesAndPackage() throws Exception {
    place("/usr/share/OVMF/OVMF_CODE_4M.fd");
    assertThat(new FirmwareSearch(root).find("arm64")).isEmpty();
    Path aavmf = place("/usr/share/AAVMF/AAVMF_CODE.fd");
    assertThat(new FirmwareSearch(root).find("arm64")).contains(aavmf);
    assertThat(FirmwareSearch.debianPackage("arm64")).isEqualTo("qemu-efi-aarch64");
    assertThat(FirmwareSearch.debianPackage("amd64")).isEqualTo("ovmf");
  }

  @Test
  void aDirectoryIsNotFirmware() throws Exception {
    Files.createDirectories(root.resolve("usr/share/OVMF/OVMF_CODE_4M.fd"));
    assertThat(new FirmwareSearch(root).find("amd64")).isEmpty();
  }
}
