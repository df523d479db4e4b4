package dev.nanokit.core.oci;

import static dev.nanokit.core.oci.OciLayerApplierTest.dir;
import static dev.nanokit.core.oci.OciLayerApplierTest.file;
import static dev.nanokit.core.oci.OciLayerApplierTest.hardLink;
import static dev.nanokit.core.oci.OciLayerApplierTest.symlink;
import static dev.nanokit.core.oci.OciLayerApplierTest.tar;
import static dev.nanokit.core.oci.OciLayerApplierTest.tree;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImageFormatException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

public class OciImageTest {
  public static final ObjectMapper JSON = new ObjectMapper();
  public static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";

  @TempDir Path tmp;
  public Path outside;
  public Path canary;
  public Path scratch;

  /** A layer: its uncompressed tar and whether it is stored gzipped. */
  public record L(byte[] diff, boolean gzip) {
    public byte[] stored() {
      return gzip ? OciImageTest.gzip(diff) : diff;
    }
  }

  @BeforeEach
  public void setUp() throws IOException {
    outside = Files.createDirectories(tmp.resolve("outside"));
    canary = Files.writeString(outside.resolve("passwd"), "canary");
    scratch = tmp.resolve("scratch");
  }

  // ---- the test image ----

  public ObjectNode run() {
    ObjectNode run = JSON.createObjectNode();
    run.putArray("Entrypoint").add("/usr/bin/python3");
    run.putArray("Cmd").add("main.py").add("--flag");
    run.putArray("Env").add("PATH=/usr/local/bin:/usr/bin:/bin").add("LANG=C.UTF-8").add("B=2").add("A=1");
    run.put("WorkingDir", "/app");
    return run;
  }

  /** Two layers (gzip, then plain) with a whiteout, an opaque directory, links of all kinds. */
  public List<L> layers() {
    byte[] lower = tar(dir("usr/"), dir("usr/bin/"), file("usr/bin/python3.11", "PY"),
        symlink("usr/bin/python3", "python3.11"), symlink("bin", "usr/bin"), file("etc/os-release", "debian"),
        file("etc/passwd", "root"), file("var/cache/apt/a", "A"), file("var/cache/apt/b/c", "C"),
        file("var/log/x", "x"), file("opt/app/old", "old"));
    byte[] upper = tar(file("etc/.wh.passwd", ""), file("var/cache/apt/new", "N"),
        file("var/cache/apt/.wh..wh..opq", ""), file("opt/app/new", "new"),
        symlink("usr/local/bin/py", "/usr/bin/python3"), symlink("usr/local/bin/up", "../../../../../usr/bin/python3"),
        hardLink("usr/bin/python", "usr/bin/python3.11"), file("app/main.py", "M"), symlink("loop/a", "b"),
        symlink("loop/b", "/loop/a"), symlink("etc/host", canary.toString()), dir("dev/"));
    return List.of(new L(lower, true), new L(upper, false));
  }

  public List<String> expectedTree() {
    return List.of("d app", "f app/main.py = M", "l bin -> usr/bin", "d dev", "d etc", "l etc/host -> " + canary,
        "f etc/os-release = debian", "d loop", "l loop/a -> b", "l loop/b -> /loop/a", "d opt", "d opt/app",
        "f opt/app/new = new", "f opt/app/old = old", "d usr", "d usr/bin", "f usr/bin/python = PY",
        "l usr/bin/python3 -> python3.11", "f usr/bin/python3.11 = PY", "d usr/local", "d usr/local/bin",
        "l usr/local/bin/py -> /usr/bin/python3", "l usr/local/bin/up -> ../../../../../usr/bin/python3", "d var",
        "d var/cache", "d var/cache/apt", "f var/cache/apt/new = N", "d var/log", "f var/log/x = x");
  }

  // ---- writing images ----

  public static byte[] gzip(byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(out)) {
      gz.write(b);
    } catch (IOException x) {
      throw new UncheckedIOException(x);
    }
    return out.toByteArray();
  }

  public static String sha256(byte[] b) {
    try {
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException(x);
    }
  }

  public static byte[] json(JsonNode n) throws IOException {
    return JSON.writeValueAsBytes(n);
  }

  /** Stores {@code bytes} under {@code layout/blobs/sha256/}; returns its descriptor. */
  public static ObjectNode blob(Path layout, String mediaType, byte[] bytes) throws IOException {
    String digest = sha256(bytes);
    Path p = layout.resolve("blobs/sha256/" + digest.substring(7));
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    ObjectNode d = JSON.createObjectNode();
    d.put("mediaType", mediaType).put("digest", digest).put("size", bytes.length);
    return d;
  }

  public static ObjectNode config(ObjectNode run, List<L> layers) {
    ObjectNode c = JSON.createObjectNode();
    c.put("architecture", "amd64").put("os", "linux").set("config", run);
    ArrayNode diffIds = c.putObject("rootfs").put("type", "layers").putArray("diff_ids");
    layers.forEach(l -> diffIds.add(sha256(l.diff)));
    return c;
  }

  /** Writes the config, layers and manifest blobs; returns the manifest's descriptor. */
  public static ObjectNode image(Path layout, ObjectNode config, List<L> layers) throws IOException {
    ObjectNode m = JSON.createObjectNode();
    m.put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    m.set("config", blob(layout, "application/vnd.oci.image.config.v1+json", json(config)));
    ArrayNode ls = m.putArray("layers");
    for (L l : layers) {
      ls.add(blob(layout, "application/vnd.oci.image.layer.v1.tar" + (l.gzip ? "+gzip" : ""), l.stored()));
    }
    return blob(layout, OCI_MANIFEST, json(m));
  }

  public static ObjectNode index(ObjectNode... manifests) {
    ObjectNode index = JSON.createObjectNode();
    index.put("schemaVersion", 2).put("mediaType", OCI_INDEX);
    ArrayNode list = index.putArray("manifests");
    Arrays.stream(manifests).forEach(list::add);
    return index;
  }

  public static void writeIndex(Path layout, ObjectNode index) throws IOException {
    Files.createDirectories(layout);
    Files.write(layout.resolve("index.json"), json(index));
    Files.writeString(layout.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
  }

  public Path ociLayout(Path layout, ObjectNode run, List<L> layers) throws IOException {
    ObjectNode m = image(layout, config(run, layers), layers);
    m.putObject("annotations").put("org.opencontainers.image.ref.name", "latest");
    writeIndex(layout, index(m));
    return layout;
  }

  /** Packs the files under {@code dir} into a tar, names prefixed with {@code prefix}. */
  public static Path pack(Path dir, Path out, String prefix, boolean gzip) throws IOException {
    try (OutputStream os = gzip ? new GzipCompressorOutputStream(Files.newOutputStream(out)) : Files.newOutputStream(out);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(os);
        Stream<Path> files = Files.walk(dir)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      for (Path p : files.sorted().toList()) {
        if (p.equals(dir)) {
          continue;
        }
        String name = prefix + dir.relativize(p);
        if (Files.isSymbolicLink(p)) {
          TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
          e.setLinkName(Files.readSymbolicLink(p).toString());
          e.setLastModifiedTime(FileTime.fromMillis(0));
          tar.putArchiveEntry(e);
        } else if (Files.isDirectory(p)) {
          TarArchiveEntry e = new TarArchiveEntry(name + "/", TarArchiveEntry.LF_DIR);
          e.setLastModifiedTime(FileTime.fromMillis(0));
          tar.putArchiveEntry(e);
        } else {
          TarArchiveEntry e = new TarArchiveEntry(name);
          e.setSize(Files.size(p));
          e.setLastModifiedTime(FileTime.fromMillis(0));
          tar.putArchiveEntry(e);
          Files.copy(p, tar);
        }
        tar.closeArchiveEntry();
      }
    }
    return out;
  }

  /** A docker-save directory in the pre-25 shape: {@code <id>/layer.tar}, {@code <config hex>.json}. */
  public static Path dockerSaveDir(Path dir, ObjectNode run, List<L> layers) throws IOException {
    Files.createDirectories(dir);
    byte[] config = json(config(run, layers));
    String configName = sha256(config).substring(7) + ".json";
    Files.write(dir.resolve(configName), config);
    ObjectNode image = JSON.createArrayNode().addObject();
    image.put("Config", configName).putArray("RepoTags").add("demo:latest");
    ArrayNode paths = image.putArray("Layers");
    for (int i = 0; i < layers.size(); i++) {
      String path = String.format("%064d/layer.tar", i);
      Files.createDirectories(dir.resolve(path).getParent());
      Files.write(dir.resolve(path), layers.get(i).stored());
      paths.add(path);
    }
    Files.write(dir.resolve("manifest.json"), json(JSON.createArrayNode().add(image)));
    return dir;
  }

  public OciImage open(Path input) throws IOException {
    return OciImage.open(input, scratch);
  }

  /** One line, naming {@code what}; nothing left in the scratch directory; nothing outside touched. */
  public void assertRefused(ThrowingCallable call, String... what) throws IOException {
    assertThatThrownBy(call).isInstanceOf(IOException.class)
        .satisfies(x -> assertThat(x.getMessage()).doesNotContain("\n").contains(what));
    assertThat(tree(outside)).containsExactly("f passwd = canary");
    assertThat(scratch.resolve("rootfs")).doesNotExist();
    assertThat(scratch.resolve("rootfs.partial")).doesNotExist();
  }

  // ---- reading ----

  @Test
  public void unpacksAnOciLayoutDirectoryAndReadsItsConfig() throws IOException {
    OciImage image = open(ociLayout(tmp.resolve("layout"), run(), layers()));
    assertThat(image.rootfs()).isEqualTo(scratch.toAbsolutePath().resolve("rootfs"));
    assertThat(tree(image.rootfs())).containsExactlyElementsOf(expectedTree());
    assertThat(Files.isSameFile(image.rootfs().resolve("usr/bin/python"), image.rootfs().resolve("usr/bin/python3.11")))
        .isTrue();
    assertThat(image.entrypoint()).containsExactly("/usr/bin/python3");
    assertThat(image.cmd()).containsExactly("main.py", "--flag");
    assertThat(image.env()).containsExactly("PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", "B=2", "A=1");
    assertThat(image.workingDir()).isEqualTo("/app");
    assertThat(image.os()).isEqualTo("linux");
    assertThat(image.architecture()).isEqualTo("amd64");
    try (Stream<Path> s = Files.list(scratch)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("rootfs");
    }
    assertThat(tree(outside)).containsExactly("f passwd = canary");
  }

  @Test
  public void ociTarDockerSaveAndGzippedDockerSaveGiveTheSameTree() throws IOException {
    Path oci = pack(ociLayout(tmp.resolve("layout"), run(), layers()), tmp.resolve("oci.tar"), "./", false);
    Path save = pack(dockerSaveDir(tmp.resolve("save"), run(), layers()), tmp.resolve("save.tar"), "", false);
    Path saveGz = pack(tmp.resolve("save"), tmp.resolve("save.tar.gz"), "", true);
    for (Path input : List.of(oci, save, saveGz, tmp.resolve("save"))) {
      OciImage image = OciImage.open(input, tmp.resolve("scratch-" + input.getFileName()));
      assertThat(tree(image.rootfs())).as(input.toString()).containsExactlyElementsOf(expectedTree());
      assertThat(image.env()).as(input.toString()).hasSize(4);
      assertThat(image.cmd()).as(input.toString()).containsExactly("main.py", "--flag");
      try (Stream<Path> s = Files.list(image.rootfs().getParent())) {
        assertThat(s.map(p -> p.getFileName().toString())).containsExactly("rootfs");
      }
    }
  }

  @Test
  public void dockerSaveManifestIsPreferredAndItsLayerMayBeALinkInTheArchive() throws IOException {
    // Docker 25+: manifest.json names blobs/sha256/<hex>; the OCI index beside it is not read.
    Path dir = tmp.resolve("save25");
    List<L> layers = List.of(new L(tar(file("hello", "world")), false));
    ObjectNode config = config(JSON.createObjectNode(), layers);
    String configPath = "blobs/sha256/" + blob(dir, "c", json(config)).get("digest").asText().substring(7);
    String layerPath = "blobs/sha256/" + blob(dir, "l", layers.get(0).stored()).get("digest").asText().substring(7);
    Files.createDirectories(dir.resolve("old"));
    Files.createSymbolicLink(dir.resolve("old/layer.tar"), Path.of("../" + layerPath));
    ObjectNode image = JSON.createObjectNode().put("Config", configPath);
    image.putArray("Layers").add("old/layer.tar");
    Files.write(dir.resolve("manifest.json"), json(JSON.createArrayNode().add(image)));
    Files.writeString(dir.resolve("index.json"), "not read");
    OciImage read = open(pack(dir, tmp.resolve("save25.tar"), "", false));
    assertThat(tree(read.rootfs())).containsExactly("f hello = world");
    assertThat(read.entrypoint()).isEmpty();
    assertThat(read.workingDir()).isEmpty();
  }

  @Test
  public void indexSelectsTheLinuxAmd64ImageThroughANestedIndex() throws IOException {
    Path layout = tmp.resolve("multi");
    ObjectNode arm = platform(image(layout, config(run(), armLayers()), armLayers()), "linux", "arm64");
    List<L> amdLayers = List.of(new L(tar(file("arch", "amd64")), true));
    ObjectNode amd = platform(image(layout, config(run(), amdLayers), amdLayers), "linux", "amd64");
    ObjectNode attestation = platform(blob(layout, OCI_MANIFEST, "{}".getBytes()), "unknown", "unknown");
    ObjectNode nested = blob(layout, OCI_INDEX, json(index(attestation, arm, amd)));
    writeIndex(layout, index(nested));
    assertThat(tree(open(layout).rootfs())).containsExactly("f arch = amd64");
  }

  @Test
  public void indexWithoutALinuxAmd64ImageNamesTheChoices() throws IOException {
    Path layout = tmp.resolve("multi");
    ObjectNode arm = platform(image(layout, config(run(), armLayers()), armLayers()), "linux", "arm64");
    List<L> s390 = List.of(new L(tar(file("arch", "s390x")), false));
    ObjectNode s = platform(image(layout, config(run(), s390), s390), "linux", "s390x");
    writeIndex(layout, index(arm, s));
    assertRefused(() -> open(layout), layout + ": index.json: 2 images and no single linux/amd64 one: linux/arm64 "
        + arm.get("digest").asText() + ", linux/s390x " + s.get("digest").asText());
  }

  @Test
  public void singleImageOfAnotherPlatformIsTaken() throws IOException {
    Path layout = tmp.resolve("arm");
    writeIndex(layout, index(platform(image(layout, config(run(), armLayers()), armLayers()), "linux", "arm64")));
    assertThat(tree(open(layout).rootfs())).containsExactly("f arch = arm64");
  }

  public static List<L> armLayers() {
    return List.of(new L(tar(file("arch", "arm64")), false));
  }

  public static ObjectNode platform(ObjectNode descriptor, String os, String arch) {
    descriptor.putObject("platform").put("os", os).put("architecture", arch);
    return descriptor;
  }

  // ---- inside the image ----

  @Test
  public void resolveInRootFollowsSymlinksInsideTheRoot() throws IOException {
    OciImage image = open(ociLayout(tmp.resolve("layout"), run(), layers()));
    Path python = image.rootfs().resolve("usr/bin/python3.11");
    assertThat(image.resolveInRoot("/usr/bin/python3")).isEqualTo(python);
    assertThat(image.resolveInRoot("/usr/local/bin/py")).isEqualTo(python);
    assertThat(image.resolveInRoot("/usr/local/bin/up")).isEqualTo(python);
    assertThat(image.resolveInRoot("/bin/python3")).isEqualTo(python);
    assertThat(image.resolveInRoot("/bin/../bin/./python")).isEqualTo(image.rootfs().resolve("usr/bin/python"));
    assertThat(image.resolveInRoot("/../../etc/os-release")).isEqualTo(image.rootfs().resolve("etc/os-release"));
    String where = tmp.resolve("layout") + ": ";
    assertThatThrownBy(() -> image.resolveInRoot("/loop/a"))
        .isInstanceOf(ImageFormatException.class)
        .hasMessage(where + "/loop/a: more than 40 symlinks (a loop?)");
    assertThatThrownBy(() -> image.resolveInRoot("/etc/host"))
        .hasMessage(where + "/etc/host: /" + canary.getName(0) + " does not exist in the image");
    assertThatThrownBy(() -> image.resolveInRoot("/usr/bin"))
        .hasMessage(where + "/usr/bin: resolves to /usr/bin, which is not a regular file");
    assertThatThrownBy(() -> image.resolveInRoot("/etc/os-release/x"))
        .hasMessage(where + "/etc/os-release/x: /etc/os-release is not a directory");
    assertThatThrownBy(() -> image.resolveInRoot("usr/bin/python3"))
        .hasMessage(where + "usr/bin/python3: not an absolute path in the image");
  }

  @Test
  public void findOnPathSearchesTheImagesPath() throws IOException {
    OciImage image = open(ociLayout(tmp.resolve("layout"), run(), layers()));
    assertThat(image.findOnPath("python3")).isEqualTo("/usr/bin/python3");
    assertThat(image.findOnPath("py")).isEqualTo("/usr/local/bin/py");
    assertThatThrownBy(() -> image.findOnPath("perl"))
        .hasMessage(tmp.resolve("layout") + ": perl: not found on the image's PATH /usr/local/bin:/usr/bin:/bin");
    assertThatThrownBy(() -> image.findOnPath("bin/python3"))
        .hasMessage(tmp.resolve("layout") + ": \"bin/python3\" is not a bare program name");
  }

  @Test
  public void findOnPathUsesDockersDefaultPathWithoutEnv() throws IOException {
    List<L> layers = List.of(new L(tar(file("sbin/init", "I"), file("usr/sbin/init", "U"), symlink("bin", "usr/bin"),
        file("usr/bin/sh", "S")), false));
    OciImage image = open(ociLayout(tmp.resolve("bare"), JSON.createObjectNode(), layers));
    assertThat(image.env()).isEmpty();
    assertThat(image.findOnPath("init")).isEqualTo("/usr/sbin/init");
    assertThat(image.findOnPath("sh")).isEqualTo("/usr/bin/sh");
  }

  // ---- hostile and broken inputs ----

  @Test
  public void refusesADigestThatIsAPath() throws IOException {
    Path layout = tmp.resolve("evil");
    ObjectNode d = JSON.createObjectNode().put("mediaType", OCI_MANIFEST).put("digest", "sha256:../../outside/passwd")
        .put("size", 6);
    writeIndex(layout, index(d));
    assertRefused(() -> open(layout), layout + ": index.json: manifests[0]: digest \"sha256:../../outside/passwd\""
        + " is not sha256:<64 lowercase hex digits>");
  }

  @Test
  public void refusesALayerWhoseContentIsNotItsDigest() throws IOException {
    Path layout = ociLayout(tmp.resolve("layout"), run(), layers());
    byte[] upper = layers().get(1).stored();
    Path blob = layout.resolve("blobs/sha256/" + sha256(upper).substring(7));
    byte[] changed = upper.clone();
    int at = new String(changed, StandardCharsets.ISO_8859_1).indexOf("new");
    changed[at] = 'N';
    Files.write(blob, changed);
    assertRefused(() -> open(layout), layout + ": layer " + sha256(upper) + ": blob blobs/sha256/"
        + sha256(upper).substring(7) + " has digest " + sha256(changed) + ", not the one it is named by");
  }

  /** A gzipped layer that expands past the limit is a decompression bomb: one line, nothing applied. */
  @Test
  public void refusesALayerThatExpandsPastTheLimit() throws IOException {
    byte[] zeros = new byte[4 << 20];
    List<L> bomb = List.of(new L(OciLayerApplierTest.tar(OciLayerApplierTest.file("zeros", new String(zeros,
        StandardCharsets.ISO_8859_1))), true));
    Path layout = ociLayout(tmp.resolve("layout"), run(), bomb);
    String digest = sha256(bomb.get(0).stored());
    assertThat(bomb.get(0).stored().length).isLessThan(64 << 10);
    assertRefused(() -> OciImage.open(layout, scratch, 1 << 20), layout + ": layer " + digest
        + ": expands to more than 1048576 bytes, the limit for this archive");
    // The default limit (1000 times the blob, at least 64 MiB) lets the same layer through.
    assertThat(OciImage.open(layout, tmp.resolve("scratch2")).rootfs().resolve("zeros")).hasSize(4 << 20);
  }

  /** A gzipped image tarball is bounded the same way. */
  @Test
  public void refusesAGzippedImageThatExpandsPastTheLimit() throws IOException {
    Path layout = ociLayout(tmp.resolve("layout"), run(), layers());
    Path gz = pack(layout, tmp.resolve("image.tar.gz"), "", true);
    assertRefused(() -> OciImage.open(gz, scratch, 1024), gz + ": expands to more than 1024 bytes");
  }

  @Test
  public void refusesACorruptGzipLayerByItsDigest() throws IOException {
    Path layout = ociLayout(tmp.resolve("layout"), run(), layers());
    byte[] lower = layers().get(0).stored();
    Path blob = layout.resolve("blobs/sha256/" + sha256(lower).substring(7));
    byte[] changed = lower.clone();
    changed[changed.length / 2] ^= 0x55;
    Files.write(blob, changed);
    assertRefused(() -> open(layout), layout + ": layer " + sha256(lower) + ": blob ", " has digest " + sha256(changed));
  }

  @Test
  public void refusesAnOversizedIndex() throws IOException {
    Path layout = Files.createDirectories(tmp.resolve("big"));
    try (RandomAccessFile f = new RandomAccessFile(layout.resolve("index.json").toFile(), "rw")) {
      f.setLength(17L << 20); // sparse: nothing is read before the size check
    }
    assertRefused(() -> open(layout), layout + ": index.json: 17825792 bytes, more than the 16 MiB allowed");
  }

  @Test
  public void refusesADirectoryWhoseNamesLinkOutOfIt() throws IOException {
    List<L> layers = layers();
    Path dir = dockerSaveDir(tmp.resolve("linked"), run(), layers);
    Path layer = dir.resolve(String.format("%064d/layer.tar", 1));
    Path elsewhere = Files.write(Files.createDirectories(tmp.resolve("elsewhere")).resolve("layer.tar"),
        layers.get(1).stored());
    Files.delete(layer);
    Files.createSymbolicLink(layer, elsewhere);
    assertRefused(() -> open(dir), dir + ": " + String.format("%064d/layer.tar", 1)
        + " is a symlink out of the image directory");
  }

  @Test
  public void refusesATruncatedLayer() throws IOException {
    List<L> layers = List.of(new L(tar(file("a", "first"), file("big", "x".repeat(5000))), false));
    Path dir = dockerSaveDir(tmp.resolve("save"), run(), layers);
    Path layer = dir.resolve(String.format("%064d/layer.tar", 0));
    Files.write(layer, Arrays.copyOf(layers.get(0).diff, 2048));
    Path archive = pack(dir, tmp.resolve("save.tar"), "", false);
    assertRefused(() -> open(archive), archive + ": layer " + String.format("%064d/layer.tar", 0) + ": entry \"big\": ");
  }

  @Test
  public void refusesALayerThatDoesNotMatchItsDiffId() throws IOException {
    List<L> layers = List.of(new L(tar(file("a", "A")), true));
    Path layout = tmp.resolve("layout");
    ObjectNode config = config(run(), List.of(new L(tar(file("a", "B")), true)));
    writeIndex(layout, index(image(layout, config, layers)));
    assertRefused(() -> open(layout), ": uncompressed layer digest is " + sha256(layers.get(0).diff)
        + ", the config's rootfs.diff_ids says ");
  }

  @Test
  public void refusesZstdLayers() throws IOException {
    byte[] zstd = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0, 0, 0, 0};
    Path layout = tmp.resolve("layout");
    ObjectNode config = config(run(), List.of(new L(zstd, false)));
    ObjectNode m = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", OCI_MANIFEST);
    m.set("config", blob(layout, "application/vnd.oci.image.config.v1+json", json(config)));
    m.putArray("layers").add(blob(layout, "application/vnd.oci.image.layer.v1.tar+zstd", zstd));
    writeIndex(layout, index(blob(layout, OCI_MANIFEST, json(m))));
    assertRefused(() -> open(layout), layout + ": layer " + sha256(zstd)
        + ": zstd-compressed layers are not supported (only gzip and uncompressed tar)");
  }

  @Test
  public void refusesHostileEntriesNamingArchiveLayerAndEntry() throws IOException {
    List<L> dotDot = List.of(new L(tar(file("ok", "1"), file("../outside/passwd", "pwned")), true));
    Path a = ociLayout(tmp.resolve("dotdot"), run(), dotDot);
    assertRefused(() -> open(a), a + ": layer " + sha256(dotDot.get(0).stored())
        + ": entry \"../outside/passwd\": name contains ..");

    List<L> through = List.of(new L(tar(symlink("etc", outside.toString())), false),
        new L(tar(file("etc/passwd", "pwned")), false));
    Path b = pack(dockerSaveDir(tmp.resolve("through"), run(), through), tmp.resolve("through.tar"), "", false);
    assertRefused(() -> open(b), b + ": layer " + String.format("%064d/layer.tar", 1)
        + ": entry \"etc/passwd\": would be written through the symlink etc -> " + outside);

    List<L> missing = List.of(new L(tar(hardLink("x", "etc/shadow")), false));
    Path c = ociLayout(tmp.resolve("missing"), run(), missing);
    assertRefused(() -> open(c), c + ": layer " + sha256(missing.get(0).stored())
        + ": entry \"x\": hard link to \"etc/shadow\" which is not in the image");
  }

  @Test
  public void refusesDockerSavePathsOutsideTheArchive() throws IOException {
    Path dir = dockerSaveDir(tmp.resolve("save"), run(), List.of(new L(tar(file("a", "A")), false)));
    ObjectNode m = (ObjectNode) JSON.readTree(dir.resolve("manifest.json").toFile()).get(0);
    m.putArray("Layers").add("../outside/passwd");
    Files.write(dir.resolve("manifest.json"), json(JSON.createArrayNode().add(m)));
    assertRefused(() -> open(dir), dir + ": manifest.json: Layers: \"../outside/passwd\" is not a relative path");
  }

  @Test
  public void refusesInputsThatAreNoImage() throws IOException {
    assertThatThrownBy(() -> open(tmp.resolve("nope"))).isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("nope: no such image archive or OCI layout");
    Path empty = Files.createDirectories(tmp.resolve("empty"));
    assertRefused(() -> open(empty), empty + ": neither an OCI image layout (no index.json) nor a docker save");
    Path text = Files.writeString(tmp.resolve("notes.txt"), "hello");
    assertRefused(() -> open(text), text + ": ");
    Path badJson = Files.createDirectories(tmp.resolve("badjson"));
    Files.writeString(badJson.resolve("index.json"), "{\"manifests\": [}");
    assertRefused(() -> open(badJson), badJson + ": index.json: not valid JSON: Unexpected close marker '}': "
        + "expected ']' (for Array starting at [line: 1, column: 15]) at line 1, column 16");
    Files.writeString(badJson.resolve("index.json"), "{\"manifests\": [], \"manifests\": []}");
    assertRefused(() -> open(badJson), badJson + ": index.json: not valid JSON: Duplicate field 'manifests'");
  }

  @Test
  public void refusesAnExistingRootfs() throws IOException {
    Path layout = ociLayout(tmp.resolve("layout"), run(), layers());
    Files.createDirectories(scratch.resolve("rootfs"));
    assertThatThrownBy(() -> open(layout)).hasMessage(scratch.toAbsolutePath().resolve("rootfs")
        + ": already exists (give an empty scratch directory)");
    assertThat(Files.exists(scratch.resolve("rootfs.partial"), LinkOption.NOFOLLOW_LINKS)).isFalse();
    assertThat(tree(scratch)).containsExactly("d rootfs");
  }
}
