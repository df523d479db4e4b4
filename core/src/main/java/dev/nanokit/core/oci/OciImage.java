package dev.nanokit.core.oci;

import dev.nanokit.core.ImageFormatException;
import dev.nanokit.core.host.ImageRoot;
import dev.nanokit.core.host.MessageText;
import dev.nanokit.core.host.NoFollow;
import dev.nanokit.core.ops.SafeTarExtractor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * A container image read without a daemon and unpacked as a root filesystem, with the parts of its
 * configuration a unikernel needs ({@code Entrypoint}, {@code Cmd}, {@code Env}, {@code WorkingDir}).
 *
 * <p>Inputs: a {@code docker save} tarball (top-level {@code manifest.json}: {@code [{"Config",
 * "RepoTags", "Layers"}]}, Docker image spec v1.2 "Combined Image JSON + Filesystem Changeset Format";
 * preferred when present, since Docker 25 writes an OCI layout beside it), an OCI image layout
 * directory (OCI image spec {@code image-layout.md}: {@code index.json} → manifest → config and layer
 * blobs under {@code blobs/sha256/}), or either of them packed as a tar (read in place with random
 * access; a gzip-compressed tar is first decompressed into the scratch directory). An image index
 * (also a nested one, {@code image-index.md}) selects the {@code linux/amd64} manifest, else its only
 * image; attestation manifests ({@code unknown/unknown}) are not images.
 *
 * <p>Checks: every JSON document is at most {@value #MAX_JSON_BYTES} bytes; digests must be
 * {@code sha256:<64 hex>} (so a digest never names a path outside {@code blobs/}); every blob is
 * checked against its digest and size ({@code descriptor.md}), and every uncompressed layer against
 * the config's {@code rootfs.diff_ids} ({@code config.md}). Layers are gzip or plain tar, detected by
 * their first bytes; zstd, xz and bzip2 layers are refused. Each failure is one line naming the
 * archive and the document, blob or layer.
 *
 * <p>Layers are applied by {@link OciLayerApplier} into {@code <scratch>/rootfs.partial}, renamed to
 * {@code <scratch>/rootfs} once all are in.
 */
public final class OciImage {
  /** Bound on a JSON document (index, manifest, config); real ones are a few KiB. */
  public static final int MAX_JSON_BYTES = 16 << 20;
  /** Docker's PATH when the image sets none. */
  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  public static final String ROOTFS = "rootfs";
  private static final int MAX_SYMLINK_HOPS = ImageRoot.MAX_SYMLINK_HOPS;
  private static final int MAX_INDEX_DEPTH = 4;
  private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final Set<String> INDEX_TYPES = Set.of("application/vnd.oci.image.index.v1+json",
      "application/vnd.docker.distribution.manifest.list.v2+json");
  private static final Set<String> MANIFEST_TYPES = Set.of("application/vnd.oci.image.manifest.v1+json",
      "application/vnd.docker.distribution.manifest.v2+json");
  private static final Set<String> CONFIG_TYPES = Set.of("application/vnd.oci.image.config.v1+json",
      "application/vnd.docker.container.image.v1+json");
  private static final List<String> LAYER_TYPE_PREFIXES =
      List.of("application/vnd.oci.image.layer.", "application/vnd.docker.image.rootfs.");
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final String source;
  private final Path rootfs;
  private final List<String> entrypoint;
  private final List<String> cmd;
  private final List<String> env;
  private final String workingDir;
  private final String os;
  private final String architecture;

  private int skippedSpecialFiles;

  private OciImage(String source, Path rootfs, Config c) {
    this.source = source;
    this.rootfs = rootfs;
    this.entrypoint = c.entrypoint;
    this.cmd = c.cmd;
    this.env = c.env;
    this.workingDir = c.workingDir;
    this.os = c.os;
    this.architecture = c.architecture;
  }

  /**
   * Reads the image at {@code archiveOrDirectory} and unpacks its layers into
   * {@code <scratchDirectory>/rootfs} (the scratch directory is created if needed; {@code rootfs} must
   * not exist yet). Nothing is written outside the scratch directory.
   */
  public static OciImage open(Path archiveOrDirectory, Path scratchDirectory) throws IOException {
    return open(archiveOrDirectory, scratchDirectory, 0);
  }

  /**
   * As {@link #open(Path, Path)}; each gzip stream (a gzipped image tarball, every gzipped layer) may
   * expand to at most {@code maxExpandedBytes}, 0 for the default of
   * {@link SafeTarExtractor#defaultExpansionLimit} — a decompression bomb fails with one line.
   */
  public static OciImage open(Path archiveOrDirectory, Path scratchDirectory, long maxExpandedBytes) throws IOException {
    String name = archiveOrDirectory.toString();
    if (!Files.exists(archiveOrDirectory)) {
      throw new NoSuchFileException(name, null, "no such image archive or OCI layout");
    }
    Path scratch = Files.createDirectories(scratchDirectory).toAbsolutePath().normalize();
    Path rootfs = scratch.resolve(ROOTFS);
    if (Files.exists(rootfs, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(rootfs + ": already exists (give an empty scratch directory)");
    }
    Path partial = scratch.resolve(ROOTFS + ".partial");
    NoFollow.remove(partial, NoFollow.lstat(partial));
    try (Layout layout = Layout.open(archiveOrDirectory, scratch, maxExpandedBytes)) {
      Image image = layout.size("manifest.json") >= 0 ? dockerSave(layout) : ociLayout(layout);
      Files.createDirectory(partial);
      OciLayerApplier applier = new OciLayerApplier(partial);
      for (Layer layer : image.layers) {
        apply(layout, layer, applier, maxExpandedBytes);
      }
      Files.move(partial, rootfs, StandardCopyOption.ATOMIC_MOVE);
      OciImage opened = new OciImage(name, rootfs, image.config);
      opened.skippedSpecialFiles = applier.skippedSpecialFiles();
      return opened;
    } catch (IOException | RuntimeException x) {
      try {
        NoFollow.remove(partial, NoFollow.lstat(partial));
      } catch (IOException cleanup) {
        x.addSuppressed(cleanup);
      }
      throw x;
    }
  }

  /** Devices and FIFOs the layers held, left out of {@link #rootfs()}. */
  public int skippedSpecialFiles() {
    return skippedSpecialFiles;
  }

  /** The unpacked root filesystem on the host. */
  public Path rootfs() {
    return rootfs;
  }

  /** {@code config.Entrypoint} (empty if unset). */
  public List<String> entrypoint() {
    return entrypoint;
  }

  /** {@code config.Cmd} (empty if unset). */
  public List<String> cmd() {
    return cmd;
  }

  /** {@code config.Env}: {@code "K=V"} strings in the image's order (empty if unset). */
  public List<String> env() {
    return env;
  }

  /** {@code config.WorkingDir} ({@code ""} if unset). */
  public String workingDir() {
    return workingDir;
  }

  /** The config's {@code os} ({@code ""} if unset). */
  public String os() {
    return os;
  }

  /** The config's {@code architecture}, e.g. {@code amd64} ({@code ""} if unset). */
  public String architecture() {
    return architecture;
  }

  /**
   * The host path of the regular file that the absolute {@code imagePath} names inside the image (see
   * {@link ImageRoot#resolve}): symlinks followed as the image sees them, the result under
   * {@link #rootfs()} with no symlink in it.
   */
  public Path resolveInRoot(String imagePath) throws IOException {
    return new ImageRoot(rootfs, source).resolve(imagePath);
  }

  /**
   * The image path ({@code <dir>/<name>}, symlinks not resolved) of the first directory on the image's
   * {@code PATH} (its last {@code PATH=} in {@link #env()}, else {@value #DEFAULT_PATH}) where the bare
   * program {@code name} resolves to a regular file.
   */
  public String findOnPath(String name) throws IOException {
    if (name.isEmpty() || name.contains("/") || name.indexOf('\0') >= 0 || name.equals(".") || name.equals("..")) {
      throw new ImageFormatException(source + ": \"" + MessageText.printable(name) + "\" is not a bare program name");
    }
    String path = DEFAULT_PATH;
    for (String e : env) {
      if (e.startsWith("PATH=")) {
        path = e.substring("PATH=".length());
      }
    }
    for (String dir : path.split(":")) {
      if (!dir.startsWith("/")) {
        continue; // relative PATH entries depend on the working directory at run time
      }
      String candidate = (dir.endsWith("/") ? dir : dir + "/") + name;
      try {
        resolveInRoot(candidate);
        return candidate;
      } catch (ImageFormatException notHere) {
        // try the next directory
      }
    }
    throw new ImageFormatException(source + ": " + MessageText.printable(name) + ": not found on the image's PATH "
        + MessageText.printable(path));
  }

  // ---- reading the image description ----

  private record Layer(String path, String label, String digest, long size, String diffId) {}

  private record Config(List<String> entrypoint, List<String> cmd, List<String> env, String workingDir,
      String os, String architecture, List<String> diffIds) {}

  private record Image(Config config, List<Layer> layers) {}

  private record Descriptor(String mediaType, String digest, long size, String os, String architecture,
      String variant, String refName, boolean attestation) {
    public String platform() {
      if (os == null && architecture == null) {
        return "no platform";
      }
      return os + "/" + architecture + (variant == null ? "" : "/" + variant);
    }
  }

  /** {@code docker save}: {@code manifest.json} names the config and the layer tars by path. */
  private static Image dockerSave(Layout layout) throws IOException {
    String where = layout.name + ": manifest.json";
    JsonNode m = readJson(layout, "manifest.json", null, -1, where);
    if (!m.isArray() || m.isEmpty()) {
      throw new ImageFormatException(where + ": expected a list of images");
    }
    if (m.size() > 1) {
      List<String> choices = new ArrayList<>();
      for (JsonNode image : m) {
        List<String> tags = strings(image, "RepoTags", where);
        choices.add(tags.isEmpty() ? text(image, "Config", where) : String.join(" ", tags));
      }
      throw new ImageFormatException(where + ": " + m.size() + " images (save one image): "
          + MessageText.printable(String.join(", ", choices)));
    }
    JsonNode image = m.get(0);
    String configName = text(image, "Config", where);
    if (configName == null) {
      throw new ImageFormatException(where + ": no \"Config\"");
    }
    String configPath = checkedPath(configName, where + ": Config");
    String configDigest = digestOfName(configPath);
    Config config = config(readJson(layout, configPath, configDigest, -1, layout.name + ": config " + configPath),
        layout.name + ": config " + configPath);
    List<Layer> layers = new ArrayList<>();
    for (String l : strings(image, "Layers", where)) {
      String path = checkedPath(l, where + ": Layers");
      String digest = digestOfName(path);
      layers.add(new Layer(path, digest != null ? digest : path, digest, -1, null));
    }
    return new Image(config, withDiffIds(layers, config, layout.name));
  }

  /** OCI image layout: {@code index.json} → (index →)* manifest → config and layers, by digest. */
  private static Image ociLayout(Layout layout) throws IOException {
    if (layout.size("index.json") < 0) {
      throw new ImageFormatException(layout.name
          + ": neither an OCI image layout (no index.json) nor a docker save archive (no manifest.json)");
    }
    String where = layout.name + ": index.json";
    Descriptor chosen = selectManifest(layout, readJson(layout, "index.json", null, -1, where), where, 0);
    where = layout.name + ": manifest " + chosen.digest;
    JsonNode manifest = readJson(layout, blobPath(chosen.digest), chosen.digest, chosen.size, where);
    String mediaType = text(manifest, "mediaType", where);
    if (mediaType != null && !MANIFEST_TYPES.contains(mediaType)) {
      throw new ImageFormatException(where + ": media type \"" + MessageText.printable(mediaType)
          + "\" is not an image manifest");
    }
    Descriptor configDescriptor = descriptor(manifest.get("config"), where + ": config");
    if (configDescriptor.mediaType != null && !CONFIG_TYPES.contains(configDescriptor.mediaType)) {
      throw new ImageFormatException(where + ": not a container image (config media type \""
          + MessageText.printable(configDescriptor.mediaType) + "\")");
    }
    String configWhere = layout.name + ": config " + configDescriptor.digest;
    Config config = config(readJson(layout, blobPath(configDescriptor.digest), configDescriptor.digest,
        configDescriptor.size, configWhere), configWhere);
    JsonNode layerList = manifest.get("layers");
    if (layerList == null || !layerList.isArray()) {
      throw new ImageFormatException(where + ": no \"layers\" list");
    }
    List<Layer> layers = new ArrayList<>();
    for (JsonNode l : layerList) {
      Descriptor d = descriptor(l, where + ": layers[" + layers.size() + "]");
      if (d.mediaType != null && LAYER_TYPE_PREFIXES.stream().noneMatch(d.mediaType::startsWith)) {
        throw new ImageFormatException(where + ": layer " + d.digest + " has media type \""
            + MessageText.printable(d.mediaType) + "\", not a filesystem layer");
      }
      layers.add(new Layer(blobPath(d.digest), d.digest, d.digest, d.size, null));
    }
    return new Image(config, withDiffIds(layers, config, layout.name));
  }

  private static List<Layer> withDiffIds(List<Layer> layers, Config config, String name) throws ImageFormatException {
    if (config.diffIds.size() != layers.size()) {
      throw new ImageFormatException(name + ": the config lists " + config.diffIds.size()
          + " rootfs.diff_ids for " + layers.size() + " layers");
    }
    List<Layer> out = new ArrayList<>();
    for (int i = 0; i < layers.size(); i++) {
      Layer l = layers.get(i);
      out.add(new Layer(l.path, l.label, l.digest, l.size, config.diffIds.get(i)));
    }
    return out;
  }

  /** The image manifest an index stands for (see the class comment), reading nested indexes. */
  private static Descriptor selectManifest(Layout layout, JsonNode index, String where, int depth)
      throws IOException {
    JsonNode list = index.get("manifests");
    if (list == null || !list.isArray()) {
      throw new ImageFormatException(where + ": no \"manifests\" list");
    }
    Map<String, Descriptor> images = new LinkedHashMap<>(); // the same image may be listed per tag
    int i = 0;
    for (JsonNode n : list) {
      Descriptor d = descriptor(n, where + ": manifests[" + i++ + "]");
      if (!d.attestation) {
        images.putIfAbsent(d.digest, d);
      }
    }
    List<Descriptor> amd64 = images.values().stream()
        .filter(d -> "linux".equals(d.os) && "amd64".equals(d.architecture)).toList();
    Descriptor chosen;
    if (amd64.size() == 1) {
      chosen = amd64.get(0);
    } else if (amd64.isEmpty() && images.size() == 1) {
      chosen = images.values().iterator().next();
    } else if (images.isEmpty()) {
      throw new ImageFormatException(where + ": lists no image manifest");
    } else {
      List<String> choices = new ArrayList<>();
      for (Descriptor d : amd64.isEmpty() ? images.values() : amd64) {
        choices.add(d.platform() + " " + d.digest + (d.refName == null ? "" : " (" + d.refName + ")"));
      }
      throw new ImageFormatException(where + ": " + choices.size() + " images and no single linux/amd64 one: "
          + MessageText.printable(String.join(", ", choices)));
    }
    if (chosen.mediaType != null && INDEX_TYPES.contains(chosen.mediaType)) {
      if (depth >= MAX_INDEX_DEPTH) {
        throw new ImageFormatException(where + ": image indexes nested more than " + MAX_INDEX_DEPTH + " deep");
      }
      String nestedWhere = layout.name + ": image index " + chosen.digest;
      JsonNode nested = readJson(layout, blobPath(chosen.digest), chosen.digest, chosen.size, nestedWhere);
      return selectManifest(layout, nested, nestedWhere, depth + 1);
    }
    if (chosen.mediaType == null || !MANIFEST_TYPES.contains(chosen.mediaType)) {
      throw new ImageFormatException(where + ": " + chosen.digest + " has media type \""
          + MessageText.printable(String.valueOf(chosen.mediaType)) + "\", not an image manifest or index");
    }
    return chosen;
  }

  private static Descriptor descriptor(JsonNode n, String where) throws ImageFormatException {
    if (n == null || !n.isObject()) {
      throw new ImageFormatException(where + ": expected a descriptor object");
    }
    String digest = text(n, "digest", where);
    if (digest == null || !DIGEST.matcher(digest).matches()) {
      throw new ImageFormatException(where + ": digest \"" + MessageText.printable(String.valueOf(digest))
          + "\" is not sha256:<64 lowercase hex digits>");
    }
    long size = -1;
    JsonNode s = n.get("size");
    if (s != null && !s.isNull()) {
      if (!s.canConvertToExactIntegral() || !s.canConvertToLong() || s.asLong() < 0) {
        throw new ImageFormatException(where + ": size " + s + " is not a byte count");
      }
      size = s.asLong();
    }
    String os = null;
    String arch = null;
    String variant = null;
    JsonNode platform = n.get("platform");
    if (platform != null && platform.isObject()) {
      os = text(platform, "os", where + ": platform");
      arch = text(platform, "architecture", where + ": platform");
      variant = text(platform, "variant", where + ": platform");
    }
    JsonNode annotations = n.get("annotations");
    String refName = null;
    boolean attestation = "unknown".equals(os) && "unknown".equals(arch);
    if (annotations != null && annotations.isObject()) {
      refName = text(annotations, "org.opencontainers.image.ref.name", where + ": annotations");
      attestation |= "attestation-manifest".equals(text(annotations, "vnd.docker.reference.type", where));
    }
    return new Descriptor(text(n, "mediaType", where), digest, size, os, arch, variant, refName, attestation);
  }

  private static Config config(JsonNode c, String where) throws ImageFormatException {
    if (!c.isObject()) {
      throw new ImageFormatException(where + ": expected an object");
    }
    JsonNode run = c.get("config");
    List<String> entrypoint = List.of();
    List<String> cmd = List.of();
    List<String> env = List.of();
    String workingDir = "";
    if (run != null && !run.isNull()) {
      if (!run.isObject()) {
        throw new ImageFormatException(where + ": \"config\" is not an object");
      }
      entrypoint = strings(run, "Entrypoint", where);
      cmd = strings(run, "Cmd", where);
      env = strings(run, "Env", where);
      String wd = text(run, "WorkingDir", where);
      workingDir = wd == null ? "" : wd;
    }
    List<String> diffIds = List.of();
    JsonNode rootfs = c.get("rootfs");
    if (rootfs != null && rootfs.isObject()) {
      diffIds = strings(rootfs, "diff_ids", where + ": rootfs");
      for (String d : diffIds) {
        if (!DIGEST.matcher(d).matches()) {
          throw new ImageFormatException(where + ": rootfs.diff_ids entry \"" + MessageText.printable(d)
              + "\" is not sha256:<64 lowercase hex digits>");
        }
      }
    }
    String os = text(c, "os", where);
    String arch = text(c, "architecture", where);
    return new Config(entrypoint, cmd, env, workingDir, os == null ? "" : os, arch == null ? "" : arch, diffIds);
  }

  /** A string field; null if absent or JSON null. */
  private static String text(JsonNode o, String field, String where) throws ImageFormatException {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new ImageFormatException(where + ": \"" + field + "\" is not a string");
    }
    return withoutNul(v.textValue(), field, where);
  }

  /** A NUL cannot be in a path, an argument or an environment entry of a C program. */
  private static String withoutNul(String s, String field, String where) throws ImageFormatException {
    if (s.indexOf('\0') >= 0) {
      throw new ImageFormatException(where + ": \"" + field + "\" holds a NUL character");
    }
    return s;
  }

  /** A list-of-strings field, in order; empty if absent or JSON null. */
  private static List<String> strings(JsonNode o, String field, String where) throws ImageFormatException {
    JsonNode v = o.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ImageFormatException(where + ": \"" + field + "\" is not a list");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode s : v) {
      if (!s.isTextual()) {
        throw new ImageFormatException(where + ": \"" + field + "\" holds a non-string " + s.getNodeType());
      }
      out.add(withoutNul(s.textValue(), field, where));
    }
    return List.copyOf(out);
  }

  /** A path named by manifest.json, relative to the archive: no NUL, not absolute, no {@code ..}. */
  private static String checkedPath(String name, String where) throws ImageFormatException {
    String normal = Layout.normalize(name);
    if (normal == null || normal.isEmpty() || name.startsWith("/") || name.indexOf('\0') >= 0
        || Arrays.asList(name.split("/")).contains("..")) {
      throw new ImageFormatException(where + ": \"" + MessageText.printable(name)
          + "\" is not a relative path inside the archive");
    }
    return normal;
  }

  /** The digest a docker-save path carries ({@code blobs/sha256/<hex>} or {@code <hex>.json}), else null. */
  private static String digestOfName(String path) {
    String hex = path.startsWith("blobs/sha256/") ? path.substring("blobs/sha256/".length())
        : path.endsWith(".json") && path.indexOf('/') < 0 ? path.substring(0, path.length() - 5) : null;
    return hex != null && DIGEST.matcher("sha256:" + hex).matches() ? "sha256:" + hex : null;
  }

  private static String blobPath(String digest) {
    return "blobs/sha256/" + digest.substring("sha256:".length());
  }

  private static JsonNode readJson(Layout layout, String path, String digest, long expectedSize, String where)
      throws IOException {
    long size = layout.size(path);
    if (size < 0) {
      throw new ImageFormatException(where + ": " + path + " is missing");
    }
    if (size > MAX_JSON_BYTES) {
      throw new ImageFormatException(where + ": " + size + " bytes, more than the " + (MAX_JSON_BYTES >> 20)
          + " MiB allowed for a JSON document");
    }
    if (expectedSize >= 0 && size != expectedSize) {
      throw new ImageFormatException(where + ": blob is " + size + " bytes, its descriptor says " + expectedSize);
    }
    byte[] bytes;
    try (InputStream in = layout.open(path)) {
      bytes = in.readNBytes((int) size + 1);
    }
    if (bytes.length != size) {
      throw new ImageFormatException(where + ": " + path + " changed size while being read");
    }
    if (digest != null) {
      String actual = "sha256:" + HexFormat.of().formatHex(sha256().digest(bytes));
      if (!actual.equals(digest)) {
        throw new ImageFormatException(where + ": content digest is " + actual + ", not " + digest);
      }
    }
    try {
      JsonNode n = MAPPER.readTree(bytes);
      if (n == null || n.isMissingNode()) {
        throw new ImageFormatException(where + ": empty JSON document");
      }
      return n;
    } catch (JsonProcessingException x) {
      // Jackson's own locations carry a "[Source: REDACTED ...; " preamble that says nothing here.
      String why = String.valueOf(x.getOriginalMessage()).replaceAll("\\[Source: .*?; line", "[line");
      if (x.getLocation() != null) {
        why += " at line " + x.getLocation().getLineNr() + ", column " + x.getLocation().getColumnNr();
      }
      throw new ImageFormatException(where + ": not valid JSON: " + MessageText.oneLine(new IOException(why)));
    }
  }

  // ---- applying layers ----

  private static void apply(Layout layout, Layer layer, OciLayerApplier applier, long maxExpandedBytes)
      throws IOException {
    String context = layout.name + ": layer " + MessageText.printable(layer.label);
    long size = layout.size(layer.path);
    if (size < 0) {
      throw new ImageFormatException(context + ": blob " + layer.path + " is missing");
    }
    if (layer.size >= 0 && size != layer.size) {
      throw new ImageFormatException(context + ": blob is " + size + " bytes, its descriptor says " + layer.size);
    }
    MessageDigest blobDigest = sha256();
    MessageDigest diffDigest = sha256();
    try (InputStream raw = layout.open(layer.path);
        BufferedInputStream blob = new BufferedInputStream(new DigestInputStream(raw, blobDigest), 1 << 16)) {
      try {
        long limit = maxExpandedBytes > 0 ? maxExpandedBytes : SafeTarExtractor.defaultExpansionLimit(size);
        DigestInputStream tar = new DigestInputStream(decompressed(blob, context, limit), diffDigest);
        applier.apply(tar, context);
        tar.transferTo(OutputStream.nullOutputStream()); // the tar's padding counts in its diff_id
        blob.transferTo(OutputStream.nullOutputStream());
      } catch (IOException x) {
        // A blob that is not what its digest says explains any error in it best.
        if (layer.digest != null) {
          try {
            blob.transferTo(OutputStream.nullOutputStream());
            checkDigest(context, layer, blobDigest);
          } catch (ImageFormatException mismatch) {
            mismatch.addSuppressed(x);
            throw mismatch;
          } catch (IOException unreadable) {
            x.addSuppressed(unreadable);
          }
        }
        if (x instanceof ImageFormatException || x.getMessage() != null && x.getMessage().startsWith(context)) {
          throw x;
        }
        throw new IOException(context + ": " + MessageText.oneLine(x), x);
      }
    }
    if (layer.digest != null) {
      checkDigest(context, layer, blobDigest);
    }
    String diffId = "sha256:" + HexFormat.of().formatHex(diffDigest.digest());
    if (!diffId.equals(layer.diffId)) {
      throw new ImageFormatException(context + ": uncompressed layer digest is " + diffId
          + ", the config's rootfs.diff_ids says " + layer.diffId);
    }
  }

  private static void checkDigest(String context, Layer layer, MessageDigest blobDigest) throws ImageFormatException {
    String actual = "sha256:" + HexFormat.of().formatHex(blobDigest.digest());
    if (!actual.equals(layer.digest)) {
      throw new ImageFormatException(context + ": blob " + layer.path + " has digest " + actual
          + ", not the one it is named by");
    }
  }

  /** The layer's tar bytes: gzip or plain, told by the first bytes (media types are not trusted). */
  private static InputStream decompressed(BufferedInputStream in, String context, long limit) throws IOException {
    in.mark(8);
    byte[] magic = in.readNBytes(6);
    in.reset();
    if (startsWith(magic, 0x1f, 0x8b)) {
      return new SafeTarExtractor.ExpansionLimit(new GzipCompressorInputStream(in, true), context, limit);
    }
    String other = startsWith(magic, 0x28, 0xb5, 0x2f, 0xfd) ? "zstd"
        : startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0) ? "xz"
        : startsWith(magic, 'B', 'Z', 'h') ? "bzip2" : null;
    if (other != null) {
      throw new ImageFormatException(context + ": " + other
          + "-compressed layers are not supported (only gzip and uncompressed tar)");
    }
    return in;
  }

  private static boolean startsWith(byte[] b, int... prefix) {
    if (b.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((b[i] & 0xff) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException x) {
      throw new IllegalStateException("every JDK has SHA-256", x);
    }
  }

  // ---- where the files of the image are ----

  /** The files of a layout or docker-save image, by their path relative to its top. */
  private abstract static class Layout implements Closeable {
    public final String name;

    public Layout(String name) {
      this.name = name;
    }

    /** The size of the regular file at {@code path}, or -1 if there is none. */
    public abstract long size(String path) throws IOException;

    public abstract InputStream open(String path) throws IOException;

    public static Layout open(Path input, Path scratch, long maxExpandedBytes) throws IOException {
      String name = input.toString();
      if (Files.isDirectory(input)) {
        return new DirectoryLayout(name, input);
      }
      byte[] magic;
      try (InputStream in = Files.newInputStream(input)) {
        magic = in.readNBytes(6);
      }
      if (startsWith(magic, 0x1f, 0x8b)) {
        // TarFile needs random access: unpack the gzip layer once, beside the rootfs.
        Path tar = scratch.resolve("image.tar.partial");
        long limit = maxExpandedBytes > 0 ? maxExpandedBytes : SafeTarExtractor.defaultExpansionLimit(Files.size(input));
        try (InputStream in = new SafeTarExtractor.ExpansionLimit(
                new GzipCompressorInputStream(new BufferedInputStream(Files.newInputStream(input)), true), name, limit);
            OutputStream out = Files.newOutputStream(tar, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS)) {
          in.transferTo(out);
        } catch (SafeTarExtractor.ArchiveExpansionException x) {
          Files.deleteIfExists(tar);
          throw new ImageFormatException(x.getMessage(), x);
        } catch (IOException x) {
          Files.deleteIfExists(tar);
          throw new ImageFormatException(name + ": gzip: " + MessageText.oneLine(x));
        }
        return new TarLayout(name, tar, true);
      }
      if (startsWith(magic, 0x28, 0xb5, 0x2f, 0xfd) || startsWith(magic, 0xfd, '7', 'z', 'X', 'Z', 0)
          || startsWith(magic, 'B', 'Z', 'h')) {
        throw new ImageFormatException(name + ": compressed with other than gzip; decompress it first");
      }
      return new TarLayout(name, input, false);
    }

    /** {@code path} without {@code .}, empty components or a leading {@code /}; null if {@code ..} climbs out. */
    public static String normalize(String path) {
      List<String> parts = new ArrayList<>();
      for (String p : path.split("/")) {
        if (p.isEmpty() || p.equals(".")) {
          continue;
        }
        if (p.equals("..")) {
          if (parts.isEmpty()) {
            return null;
          }
          parts.remove(parts.size() - 1);
        } else {
          parts.add(p);
        }
      }
      return String.join("/", parts);
    }
  }

  private static final class DirectoryLayout extends Layout {
    private final Path dir;

    public DirectoryLayout(String name, Path dir) {
      super(name);
      this.dir = dir;
    }

    @Override
    public long size(String path) throws IOException {
      Path p = inside(path);
      return Files.isRegularFile(p) ? Files.size(p) : -1;
    }

    @Override
    public InputStream open(String path) throws IOException {
      return Files.newInputStream(inside(path));
    }

    /** {@code path} in the directory; refused when a symlink leads it out (a docker save name has no digest). */
    private Path inside(String path) throws IOException {
      Path p = dir.resolve(path);
      if (!Files.exists(p)) {
        return p;
      }
      if (!p.toRealPath().startsWith(dir.toRealPath())) {
        throw new ImageFormatException(name + ": " + MessageText.printable(path)
            + " is a symlink out of the image directory");
      }
      return p;
    }

    @Override
    public void close() {}
  }

  /** An archive read in place: entries by normalized name (the last one wins, as tar extraction does). */
  private static final class TarLayout extends Layout {
    private final TarFile tar;
    private final Path file;
    private final boolean delete;
    private final Map<String, TarArchiveEntry> entries = new HashMap<>();

    public TarLayout(String name, Path file, boolean delete) throws IOException {
      super(name);
      this.file = file;
      this.delete = delete;
      SeekableByteChannel channel = Files.newByteChannel(file);
      try {
        this.tar = new TarFile(channel, 10240, 512, "UTF-8", true);
      } catch (IOException | RuntimeException x) {
        channel.close();
        deleteIfOurs();
        throw new ImageFormatException(name + ": not a tar archive or OCI layout directory: " + MessageText.oneLine(x));
      }
      for (TarArchiveEntry e : tar.getEntries()) {
        String n = e.getName().indexOf('\0') >= 0 ? null : normalize(e.getName());
        if (n != null && !n.isEmpty()) {
          entries.put(n, e);
        }
      }
    }

    /** The regular-file entry {@code path} names, following symlinks and hard links inside the archive. */
    private TarArchiveEntry find(String path) throws ImageFormatException {
      String at = path;
      for (int hops = 0; hops <= MAX_SYMLINK_HOPS; hops++) {
        TarArchiveEntry e = at == null ? null : entries.get(at);
        if (e == null || e.isDirectory()) {
          return null;
        }
        if (e.isSymbolicLink()) {
          String target = e.getLinkName();
          int slash = at.lastIndexOf('/');
          at = normalize(target.startsWith("/") || slash < 0 ? target : at.substring(0, slash) + "/" + target);
        } else if (e.isLink()) {
          at = normalize(e.getLinkName());
        } else {
          byte f = e.getLinkFlag();
          return f == 0 || f == TarArchiveEntry.LF_NORMAL || f == TarArchiveEntry.LF_CONTIG ? e : null;
        }
      }
      throw new ImageFormatException(name + ": " + path + ": more than " + MAX_SYMLINK_HOPS + " links in the archive");
    }

    @Override
    public long size(String path) throws IOException {
      TarArchiveEntry e = find(path);
      return e == null ? -1 : e.getSize();
    }

    @Override
    public InputStream open(String path) throws IOException {
      TarArchiveEntry e = find(path);
      if (e == null) {
        throw new NoSuchFileException(name, path, "not in the archive");
      }
      return tar.getInputStream(e);
    }

    private void deleteIfOurs() throws IOException {
      if (delete) {
        Files.deleteIfExists(file);
      }
    }

    @Override
    public void close() throws IOException {
      try {
        tar.close();
      } finally {
        deleteIfOurs();
      }
    }
  }

  @Override
  public String toString() {
    return "OciImage[" + source + ", " + rootfs + ", entrypoint=" + entrypoint + ", cmd=" + cmd
        + ", env=" + env + ", workingDir=" + workingDir + "]";
  }
}
