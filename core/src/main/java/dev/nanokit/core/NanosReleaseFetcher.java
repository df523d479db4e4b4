package dev.nanokit.core;

import dev.nanokit.core.host.MessageText;
import dev.nanokit.core.host.NoFollow;
import dev.nanokit.core.ops.ReleaseDirectory;
import dev.nanokit.core.ops.SafeTarExtractor;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Downloads a Nanos release into the ops release cache, laid out the way ops lays it out (ops
 * {@code lepton/image.go DownloadReleaseImages}, {@code lepton/const.go}): release {@code V} is the
 * tarball {@code <base>/V/nanos-release-linux-V.tar.gz} ({@code -virt.tar.gz} for arm64), extracted
 * directly into {@code <ops home>/V/} ({@code V-arm/} for arm64), where a {@code stage3.img} becomes
 * {@code kernel.img} when there is no {@code kernel.img}. The base is ops' {@link #DEFAULT_BASE_URI}
 * unless set; the ops home is {@code ~/.ops} unless set ({@link #opsHome} gives the one ops would use,
 * honouring {@code OPS_HOME}).
 *
 * <pre>{@code
 * NanosReleaseFetcher.Result r = NanosReleaseFetcher.create()
 *     .setOpsHome(NanosReleaseFetcher.opsHome(System.getenv(), null))
 *     .setListener(progress)
 *     .fetch("0.1.50");
 * }</pre>
 *
 * <p>A release already in the cache (its {@code kernel.img} exists) is returned without any network
 * access. Otherwise the archive is downloaded (JDK {@link HttpClient}) into a temporary file inside the
 * ops home while its SHA-256 is computed, checked against the announced length and, when given, the
 * expected SHA-256, then extracted by {@link SafeTarExtractor} (no absolute symlinks) into a temporary
 * directory inside the ops home, which is renamed to the version directory in one atomic step. On any
 * failure both temporaries are deleted: the cache is left exactly as it was, never half-filled (ops
 * itself extracts in place). Each wait (connecting, the response, every piece of the body) is bounded
 * by {@link #setTimeout}; ops gives its whole download 600 s.
 */
public final class NanosReleaseFetcher {
  /** Where ops downloads releases from ({@code releaseBaseURL} in ops {@code lepton/const.go}). */
  public static final URI DEFAULT_BASE_URI = URI.create("https://storage.googleapis.com/nanos/release/");

  /** A whole download may take this long (ops gives it 600 s), however steadily the server trickles. */
  static final Duration MAX_DOWNLOAD_TIME = Duration.ofMinutes(10);
  /** Release tarballs are tens of MiB; a server sending more without end must not fill the disk. */
  static final long MAX_ARCHIVE_BYTES = 1L << 30;

  private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");

  /**
   * What {@link #fetch} did.
   *
   * @param directory the release directory ({@code <ops home>/V} or {@code <ops home>/V-arm})
   * @param bytesDownloaded size of the downloaded archive; 0 when nothing was downloaded
   * @param cached whether the release was already in the cache (no archive was installed)
   */
  public record Result(Path directory, long bytesDownloaded, boolean cached) {}

  private Path opsHome = ReleaseDirectory.opsHome(Map.of(), Path.of(System.getProperty("user.home")));
  private URI baseUri = DEFAULT_BASE_URI;
  private String sha256;
  private boolean arm;
  private final dev.nanokit.events.EventHandlers<ImageEvent> events = new dev.nanokit.events.EventHandlers<>();
  private Duration timeout = Duration.ofSeconds(60);

  private NanosReleaseFetcher() {}

  /** A fetcher for x86_64 releases from ops' server into {@code ~/.ops}. */
  public static NanosReleaseFetcher create() {
    return new NanosReleaseFetcher();
  }

  /**
   * The ops home ops would use: {@code $OPS_HOME/.ops} when {@code OPS_HOME} is set and not empty in
   * {@code env}, else {@code <userHome>/.ops} (ops {@code lepton/const.go GetOpsHome}); a null
   * {@code userHome} is {@code $HOME} from {@code env}, else Java's {@code user.home}, as ops finds it.
   * The same directory {@link NanosImage} looks for releases in.
   */
  public static Path opsHome(Map<String, String> env, Path userHome) {
    return ReleaseDirectory.opsHome(env, userHome);
  }

  /** The ops home directory holding the release cache (created when needed). Default {@code ~/.ops}. */
  public NanosReleaseFetcher setOpsHome(Path opsHome) {
    this.opsHome = Objects.requireNonNull(opsHome, "opsHome");
    return this;
  }

  /** The http(s) directory holding {@code V/nanos-release-linux-V.tar.gz}. Default {@link #DEFAULT_BASE_URI}. */
  public NanosReleaseFetcher setBaseUri(URI baseUri) {
    Objects.requireNonNull(baseUri, "baseUri");
    String scheme = baseUri.getScheme() == null ? "" : baseUri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || baseUri.getHost() == null) {
      throw new IllegalArgumentException("not an http or https base URI: " + baseUri);
    }
    this.baseUri = baseUri;
    return this;
  }

  /** The archive's expected SHA-256 as 64 hex digits, or null (the default) not to check it. */
  public NanosReleaseFetcher setSha256(String hex) {
    if (hex != null && !SHA256.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a SHA-256 (64 hex digits): \"" + MessageText.printable(hex) + "\"");
    }
    this.sha256 = hex == null ? null : hex.toLowerCase(Locale.ROOT);
    return this;
  }

  /** {@code "x86_64"} (the default; also {@code "amd64"}) or {@code "arm64"} (also {@code "aarch64"}). */
  public NanosReleaseFetcher setArchitecture(String architecture) {
    switch (Objects.requireNonNull(architecture, "architecture")) {
      case "x86_64", "amd64" -> arm = false;
      case "arm64", "aarch64" -> arm = true;
      default -> throw new IllegalArgumentException("unknown architecture \""
          + MessageText.printable(architecture) + "\": use x86_64 or arm64");
    }
    return this;
  }

  /**
   * Calls {@code handler} with every event of type {@code type}, on the thread that called
   * {@link #fetch}: {@link ProgressEvent}s of phase {@code download} (bytes received of the announced
   * length, or -1) and {@code extract}.
   */
  public <E extends ImageEvent> NanosReleaseFetcher addEventHandler(Class<E> type, java.util.function.Consumer<? super E> handler) {
    events.add(type, handler);
    return this;
  }

  /** The longest wait for a connection, for the response, and for each piece of the body. Default 60 s. */
  public NanosReleaseFetcher setTimeout(Duration timeout) {
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout must be positive: " + timeout);
    }
    this.timeout = timeout;
    return this;
  }

  /** Where release {@code version}'s archive is downloaded from. */
  public URI releaseUri(String version) {
    checkVersion(version);
    String base = baseUri.toString();
    return URI.create(base + (base.endsWith("/") ? "" : "/") + version + "/nanos-release-linux-" + version
        + (arm ? "-virt.tar.gz" : ".tar.gz"));
  }

  /** The cache directory of release {@code version}: {@code <ops home>/V}, or {@code V-arm} for arm64. */
  public Path releaseDirectory(String version) {
    checkVersion(version);
    return opsHome.resolve(arm ? version + "-arm" : version);
  }

  /**
   * Makes release {@code version} available in the cache and returns its directory: at once, without
   * network access, when it is already there; else downloaded, verified and installed atomically.
   *
   * @throws IllegalArgumentException if {@code version} is not a plain version name ({@code 0.1.50})
   * @throws IOException with one line naming the URL and what went wrong; the cache is then unchanged
   */
  public Result fetch(String version) throws IOException {
    Path dir = releaseDirectory(version);
    if (ReleaseDirectory.isRelease(dir)) {
      return new Result(dir, 0, true);
    }
    if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
      throw new IOException(dir + " exists but holds no " + ReleaseDirectory.KERNEL + ": remove it to fetch release "
          + version);
    }
    URI uri = releaseUri(version);
    List<Path> created = new ArrayList<>();
    for (Path p = opsHome.toAbsolutePath(); p != null && !Files.exists(p, LinkOption.NOFOLLOW_LINKS); p = p.getParent()) {
      created.add(p);
    }
    Files.createDirectories(opsHome);
    String prefix = "." + dir.getFileName() + ".";
    Path archive = null;
    Path staging = null;
    try {
      archive = Files.createTempFile(opsHome, prefix + "download-", ".tar.gz");
      long size = download(uri, archive);
      events.dispatch(new ProgressEvent("extract", 0, -1));
      staging = Files.createTempDirectory(opsHome, prefix + "extract-");
      if (Files.getFileStore(staging).supportsFileAttributeView(PosixFileAttributeView.class)) {
        // a temporary directory is private (0700); the installed release is as readable as ops makes it (0755)
        Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
      }
      try (InputStream in = Files.newInputStream(archive)) {
        new SafeTarExtractor(false).extract(in, uri.toString(), staging);
      }
      Files.delete(archive);
      archive = null;
      Path kernel = staging.resolve(ReleaseDirectory.KERNEL);
      Path stage3 = staging.resolve("stage3.img");
      if (!Files.exists(kernel, LinkOption.NOFOLLOW_LINKS) && Files.isRegularFile(stage3, LinkOption.NOFOLLOW_LINKS)) {
        Files.move(stage3, kernel);
      }
      if (!Files.isRegularFile(kernel)) {
        throw new IOException(uri + ": the archive holds no " + ReleaseDirectory.KERNEL + " (nor stage3.img)");
      }
      try {
        Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (!ReleaseDirectory.isRelease(dir)) {
          throw new IOException("cannot move the extracted release to " + dir + ": " + describe(e), e);
        }
        NoFollow.delete(staging); // a concurrent fetch installed it first: theirs stays
        return new Result(dir, size, true);
      }
      staging = null;
      return new Result(dir, size, false);
    } catch (IOException | RuntimeException | Error e) {
      undo(archive, staging, created, e);
      throw e;
    }
  }

  private static void checkVersion(String version) {
    if (version == null || !VERSION.matcher(version).matches() || version.contains("..")) {
      throw new IllegalArgumentException("invalid Nanos version \"" + (version == null ? "null"
          : MessageText.printable(version)) + "\": use letters, digits, '.', '-' and '_' only, starting "
          + "with a letter or digit, without \"..\"");
    }
  }

  /** Downloads {@code uri} into {@code archive}; returns the size. Every wait is bounded by the timeout. */
  private long download(URI uri, Path archive) throws IOException {
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout)
        .followRedirects(HttpClient.Redirect.NORMAL).build();
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
    AtomicReference<QueueSubscriber> body = new AtomicReference<>();
    HttpResponse<Void> response;
    try {
      response = client.send(request, info -> {
        QueueSubscriber s = new QueueSubscriber();
        body.set(s);
        return s;
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(uri + ": interrupted");
    } catch (IOException e) {
      throw new IOException(uri + ": " + describe(e), e);
    } catch (RuntimeException e) { // the JDK client's way to reject a malformed response (a bad Content-Length)
      throw new IOException(uri + ": bad response: " + describe(e), e);
    }
    QueueSubscriber in = body.get();
    long deadline = System.nanoTime() + MAX_DOWNLOAD_TIME.toNanos();
    try {
      if (response.statusCode() != 200) {
        throw new IOException(uri + ": HTTP status " + response.statusCode()
            + (response.statusCode() == 404 ? " (no such release)" : ""));
      }
      long total;
      try {
        total = response.headers().firstValueAsLong("Content-Length").orElse(-1);
      } catch (NumberFormatException e) {
        throw new IOException(uri + ": bad Content-Length " + response.headers().firstValue("Content-Length").orElse(""));
      }
      if (total > MAX_ARCHIVE_BYTES) {
        throw new IOException(uri + ": " + total + " bytes announced, more than a release's limit of "
            + MAX_ARCHIVE_BYTES);
      }
      events.dispatch(new ProgressEvent("download", 0, total));
      MessageDigest sha = sha256();
      long done = 0;
      try (FileChannel out = FileChannel.open(archive, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
        while (true) {
          long left = deadline - System.nanoTime();
          Object item = left <= 0 ? null : in.queue.poll(Math.min(timeout.toNanos(), left), TimeUnit.NANOSECONDS);
          if (item == null && left <= timeout.toNanos()) {
            throw new IOException(uri + ": not complete after " + describe(MAX_DOWNLOAD_TIME) + " (" + done + " bytes)");
          }
          if (item == null) {
            throw new IOException(uri + ": no data for " + describe(timeout) + " after " + done + " bytes");
          }
          if (item == QueueSubscriber.COMPLETE) {
            break;
          }
          if (item instanceof Throwable t) {
            throw total >= 0 && done < total ? truncated(uri, done, total, t)
                : new IOException(uri + ": download failed after " + done + " bytes: " + describe(t), t);
          }
          @SuppressWarnings("unchecked")
          List<ByteBuffer> buffers = (List<ByteBuffer>) item;
          for (ByteBuffer b : buffers) {
            done += b.remaining();
            if (total >= 0 && done > total) {
              throw new IOException(uri + ": the server sent more than the " + total + " bytes it announced");
            }
            if (done > MAX_ARCHIVE_BYTES) {
              throw new IOException(uri + ": more than a release's limit of " + MAX_ARCHIVE_BYTES + " bytes");
            }
            sha.update(b.duplicate());
            while (b.hasRemaining()) {
              out.write(b);
            }
          }
          events.dispatch(new ProgressEvent("download", done, total));
          in.requestMore();
        }
      }
      if (total >= 0 && done < total) {
        throw truncated(uri, done, total, null);
      }
      if (sha256 != null) {
        String actual = HexFormat.of().formatHex(sha.digest());
        if (!actual.equals(sha256)) {
          throw new IOException(uri + ": SHA-256 mismatch: expected " + sha256 + ", got " + actual);
        }
      }
      return done;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(uri + ": interrupted");
    } finally {
      in.cancel();
    }
  }

  private static IOException truncated(URI uri, long done, long total, Throwable cause) {
    return new IOException(uri + ": download truncated: received " + done + " of " + total + " bytes", cause);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  /** Removes what this fetch created, so a failed fetch leaves the cache as it found it. */
  private static void undo(Path archive, Path staging, List<Path> created, Throwable failure) {
    try {
      if (archive != null) {
        Files.deleteIfExists(archive);
      }
      if (staging != null) {
        NoFollow.delete(staging);
      }
      for (Path p : created) {
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) || isNotEmpty(p)) {
          break;
        }
        Files.delete(p);
      }
    } catch (IOException | RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  private static boolean isNotEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isPresent();
    }
  }

  private static String describe(Throwable t) {
    String m = t.getMessage();
    return (m == null || m.isBlank() ? t.getClass().getSimpleName() : m).replace('\n', ' ').replace('\r', ' ');
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
  }

  /**
   * Hands the response body, one piece at a time, to the thread that called {@link #fetch}, which
   * writes it, reports progress and asks for the next piece: the listener runs on the caller's
   * thread, and an idle server is detected by a bounded {@code poll}.
   */
  private static final class QueueSubscriber implements HttpResponse.BodySubscriber<Void> {
    static final Object COMPLETE = new Object();

    final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private Flow.Subscription subscription;
    private boolean cancelled;

    @Override
    public synchronized void onSubscribe(Flow.Subscription s) {
      if (cancelled || subscription != null) {
        s.cancel();
        return;
      }
      subscription = s;
      s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> item) {
      queue.add(item);
    }

    @Override
    public void onError(Throwable t) {
      queue.add(t);
    }

    @Override
    public void onComplete() {
      queue.add(COMPLETE);
    }

    /** Complete at once: the body is read through {@link #queue}, so {@code send} returns at the headers. */
    @Override
    public CompletionStage<Void> getBody() {
      return CompletableFuture.completedFuture(null);
    }

    synchronized void requestMore() {
      if (subscription != null) {
        subscription.request(1);
      }
    }

    synchronized void cancel() {
      cancelled = true;
      if (subscription != null) {
        subscription.cancel();
      }
    }
  }
}
