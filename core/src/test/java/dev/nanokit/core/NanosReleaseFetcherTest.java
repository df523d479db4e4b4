package dev.nanokit.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.host.MessageText;
import dev.nanokit.core.ops.ReleaseDirectory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a loopback HTTP server serving archives built here; never the real network or ~/.ops. */
class NanosReleaseFetcherTest {
  @TempDir Path tmp;

  private static final String V = "0.1.50";
  private static final String PATH = "/nanos/release/" + V + "/nanos-release-linux-" + V + ".tar.gz";

  private HttpServer server;
  private ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  /** Request path to what the server does. */
  private final Map<String, Responder> routes = new ConcurrentHashMap<>();
  private final CountDownLatch release = new CountDownLatch(1);
  private URI base;
  private Path opsHome;

  interface Responder {
    void respond(HttpExchange x) throws IOException;
  }

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext("/", x -> {
      requests.incrementAndGet();
      try (x) {
        Responder r = routes.get(x.getRequestURI().getPath());
        if (r == null) {
          x.sendResponseHeaders(404, -1);
        } else {
          r.respond(x);
        }
      } catch (IOException expected) {
        // the truncating responders end their exchange early on purpose
      }
    });
    server.start();
    base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/nanos/release/");
    opsHome = tmp.resolve("home/.ops");
  }

  @AfterEach
  void stop() throws InterruptedException {
    release.countDown();
    server.stop(0);
    executor.shutdownNow();
    executor.awaitTermination(5, TimeUnit.SECONDS);
  }

  private NanosReleaseFetcher fetcher() {
    return NanosReleaseFetcher.create().setOpsHome(opsHome).setBaseUri(base).setTimeout(Duration.ofSeconds(10));
  }

  // --- archives --------------------------------------------------------------------------------

  private static final byte[] KERNEL = bytes(70_000, 7);
  private static final byte[] BOOT = bytes(3000, 11);
  private static final byte[] EFI = bytes(1500, 13);
  private static final byte[] TLS = bytes(900, 17);
  private static final byte[] GPU = bytes(200, 19);

  private static byte[] bytes(int n, int seed) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) (i * seed + (i >> 8));
    }
    return b;
  }

  /** name → content (byte[] file, null directory, String symlink target), in archive order. */
  private static byte[] tarGz(Map<String, Object> entries) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (GzipCompressorOutputStream gz = new GzipCompressorOutputStream(bytes);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
      for (Map.Entry<String, Object> e : entries.entrySet()) {
        TarArchiveEntry t;
        if (e.getValue() == null) {
          t = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_DIR, true);
        } else if (e.getValue() instanceof String target) {
          t = new TarArchiveEntry(e.getKey(), TarArchiveEntry.LF_SYMLINK, true);
          t.setLinkName(target);
        } else {
          t = new TarArchiveEntry(e.getKey(), true);
          t.setSize(((byte[]) e.getValue()).length);
        }
        t.setLastModifiedTime(FileTime.fromMillis(0)); // same entries, same bytes: tests name blobs by digest
        tar.putArchiveEntry(t);
        if (e.getValue() instanceof byte[] data) {
          tar.write(data);
        }
        tar.closeArchiveEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static Map<String, Object> release(String kernelName) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("./", null);
    m.put("./" + kernelName, KERNEL);
    m.put("./boot.img", BOOT);
    m.put("./bootx64.efi", EFI);
    m.put("./klibs/", null);
    m.put("./klibs/tls", TLS);
    m.put("./klibs/gpu_nvidia", GPU);
    return m;
  }

  /** What a release directory must hold afterwards, in {@link #tree} form. */
  private static Map<String, String> installed(String dir) {
    Map<String, String> m = new TreeMap<>();
    m.put(dir, "dir");
    m.put(dir + "/kernel.img", hex(KERNEL));
    m.put(dir + "/boot.img", hex(BOOT));
    m.put(dir + "/bootx64.efi", hex(EFI));
    m.put(dir + "/klibs", "dir");
    m.put(dir + "/klibs/tls", hex(TLS));
    m.put(dir + "/klibs/gpu_nvidia", hex(GPU));
    return m;
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static String sha256(byte[] b) throws Exception {
    return hex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static Responder serve(byte[] body) {
    return x -> {
      x.getResponseHeaders().set("Content-Type", "application/gzip");
      x.sendResponseHeaders(200, body.length);
      x.getResponseBody().write(body);
    };
  }

  /** Every entry under {@code root}, byte-exact: relative path → "dir", "-> target" or the content in hex. */
  private static Map<String, String> tree(Path root) throws IOException {
    Map<String, String> m = new TreeMap<>();
    if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
      return m;
    }
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String rel = root.relativize(p).toString();
        if (rel.isEmpty()) {
          continue;
        }
        m.put(rel, Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p)
            : Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "dir" : hex(Files.readAllBytes(p)));
      }
    }
    return m;
  }

  /** An ops home that already holds a release and ops' other files, so "unchanged" means something. */
  private void populatedOpsHome() throws IOException {
    Files.createDirectories(opsHome.resolve("0.1.49/klibs"));
    Files.write(opsHome.resolve("0.1.49/kernel.img"), bytes(100, 3));
    Files.writeString(opsHome.resolve("latest.txt"), "0.1.49");
    Files.createDirectories(opsHome.resolve("images"));
  }

  private void assertFailsLeavingTheCacheAsItWas(NanosReleaseFetcher f, String message) throws IOException {
    Map<String, String> before = tree(tmp);
    assertThatThrownBy(() -> f.fetch(V))
        .isInstanceOf(IOException.class)
        .satisfies(e -> assertThat(e.getMessage()).matches(message).doesNotContain("\n"));
    assertThat(tree(tmp)).isEqualTo(before);
  }

  // --- tests -----------------------------------------------------------------------------------

  @Test
  void downloadsVerifiesAndInstallsARelease() throws Exception {
    byte[] archive = tarGz(release("kernel.img"));
    routes.put(PATH, serve(archive));
    List<String> events = Collections.synchronizedList(new ArrayList<>());
    List<long[]> progress = new ArrayList<>();
    java.util.function.Consumer<ProgressEvent> listener = e -> {
      if (e.phase().equals("download") && e.isStart()) {
        events.add("start " + e.total());
      } else if (e.phase().equals("download")) {
        progress.add(new long[] {e.done(), e.total()});
      } else {
        events.add(e.phase());
      }
    };

    NanosReleaseFetcher.Result r = fetcher().setSha256(sha256(archive).toUpperCase()).addEventHandler(ProgressEvent.class, listener).fetch(V);

    assertThat(r).isEqualTo(new NanosReleaseFetcher.Result(opsHome.resolve(V), archive.length, false));
    assertThat(tree(tmp.resolve("home"))).isEqualTo(prefixed(".ops", installed(V)));
    assertThat(events).containsExactly("start " + archive.length, "extract");
    assertThat(progress).isNotEmpty();
    assertThat(progress.get(progress.size() - 1)).containsExactly(archive.length, archive.length);
    for (int i = 1; i < progress.size(); i++) {
      assertThat(progress.get(i)[0]).isGreaterThan(progress.get(i - 1)[0]);
    }
    assertThat(requests.get()).isEqualTo(1);

    // the same directory NanosImage looks in when OPS_HOME points at tmp/home
    Map<String, String> env = Map.of("OPS_HOME", tmp.resolve("home").toString());
    assertThat(ReleaseDirectory.locate(env, tmp.resolve("nobody"), V, "amd64")).map(ReleaseDirectory::directory).contains(r.directory());
  }

  private static Map<String, String> prefixed(String prefix, Map<String, String> m) {
    Map<String, String> out = new TreeMap<>();
    out.put(prefix, "dir");
    m.forEach((k, v) -> out.put(prefix + "/" + k, v));
    return out;
  }

  @Test
  void aCachedReleaseNeedsNoNetwork() throws Exception {
    routes.put(PATH, serve(tarGz(release("kernel.img"))));
    fetcher().fetch(V);
    Map<String, String> before = tree(tmp);
    routes.clear();

    NanosReleaseFetcher.Result again = fetcher().setSha256("00".repeat(32)).fetch(V);

    assertThat(again).isEqualTo(new NanosReleaseFetcher.Result(opsHome.resolve(V), 0, true));
    assertThat(requests.get()).isEqualTo(1);
    assertThat(tree(tmp)).isEqualTo(before);
  }

  @Test
  void renamesStage3ToKernel() throws Exception {
    routes.put(PATH, serve(tarGz(release("stage3.img"))));
    fetcher().fetch(V);
    assertThat(tree(opsHome)).isEqualTo(installed(V));
  }

  @Test
  void arm64UsesTheVirtArchiveAndTheArmDirectory() throws Exception {
    NanosReleaseFetcher arm = fetcher().setArchitecture("arm64");
    assertThat(arm.releaseUri(V)).isEqualTo(URI.create(base + V + "/nanos-release-linux-" + V + "-virt.tar.gz"));
    assertThat(arm.releaseDirectory(V)).isEqualTo(opsHome.resolve(V + "-arm"));
    assertThat(NanosReleaseFetcher.create().releaseUri(V)).isEqualTo(
        URI.create("https://storage.googleapis.com/nanos/release/" + V + "/nanos-release-linux-" + V + ".tar.gz"));
    routes.put("/nanos/release/" + V + "/nanos-release-linux-" + V + "-virt.tar.gz", serve(tarGz(release("kernel.img"))));

    assertThat(arm.fetch(V).directory()).isEqualTo(opsHome.resolve(V + "-arm"));
    assertThat(tree(opsHome)).isEqualTo(installed(V + "-arm"));
  }

  @Test
  void aBaseUriWithoutTrailingSlashNamesTheSameArchive() throws Exception {
    routes.put(PATH, serve(tarGz(release("kernel.img"))));
    String noSlash = base.toString().substring(0, base.toString().length() - 1);
    fetcher().setBaseUri(URI.create(noSlash)).fetch(V);
    assertThat(tree(opsHome)).isEqualTo(installed(V));
  }

  @Test
  void aWrongSha256LeavesTheCacheUnchanged() throws Exception {
    populatedOpsHome();
    byte[] archive = tarGz(release("kernel.img"));
    routes.put(PATH, serve(archive));
    String wrong = "ab".repeat(32);
    assertFailsLeavingTheCacheAsItWas(fetcher().setSha256(wrong),
        quote(base + V + "/nanos-release-linux-" + V + ".tar.gz: SHA-256 mismatch: expected " + wrong + ", got "
            + sha256(archive)));
  }

  @Test
  void aTruncatedDownloadLeavesTheCacheUnchanged() throws Exception {
    byte[] archive = tarGz(release("kernel.img"));
    routes.put(PATH, x -> {
      x.sendResponseHeaders(200, archive.length + 1000);
      x.getResponseBody().write(archive);
      x.getResponseBody().flush();
      x.close(); // fewer bytes than announced: the server drops the connection
    });
    // the ops home did not exist: not even it may be left behind
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(base + V + "/nanos-release-linux-" + V + ".tar.gz: download truncated: received ") + "\\d+"
            + quote(" of " + (archive.length + 1000) + " bytes"));
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  @Test
  void aStalledDownloadTimesOut() throws Exception {
    populatedOpsHome();
    routes.put(PATH, x -> {
      x.sendResponseHeaders(200, 5000);
      x.getResponseBody().write(new byte[100]);
      x.getResponseBody().flush();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    assertFailsLeavingTheCacheAsItWas(fetcher().setTimeout(Duration.ofMillis(300)),
        quote(base + V + "/nanos-release-linux-" + V + ".tar.gz: no data for 300 ms after ") + "\\d+ bytes");
  }

  @Test
  void aMissingReleaseIsOneLineNamingTheUrlAndStatus() throws Exception {
    populatedOpsHome();
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(base + V + "/nanos-release-linux-" + V + ".tar.gz: HTTP status 404 (no such release)"));
    routes.put(PATH, x -> x.sendResponseHeaders(503, -1));
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(base + V + "/nanos-release-linux-" + V + ".tar.gz: HTTP status 503"));
  }

  @Test
  void hostileArchivesLeaveTheCacheUnchanged() throws Exception {
    populatedOpsHome();
    String url = base + V + "/nanos-release-linux-" + V + ".tar.gz";
    Map<String, Object> dotDot = release("kernel.img");
    dotDot.put("../evil", "x".getBytes(StandardCharsets.UTF_8));
    routes.put(PATH, serve(tarGz(dotDot)));
    assertFailsLeavingTheCacheAsItWas(fetcher(), quote(url + ": refused entry \"../evil\": name contains .."));

    Map<String, Object> absolute = release("kernel.img");
    absolute.put("./klibs/passwd", "/etc/passwd");
    routes.put(PATH, serve(tarGz(absolute)));
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(url + ": refused entry \"./klibs/passwd\": symlink to /etc/passwd points outside the package"));

    Map<String, Object> through = release("kernel.img");
    through.put("./up", "klibs/..");
    through.put("./up/kernel.img", "x".getBytes(StandardCharsets.UTF_8));
    routes.put(PATH, serve(tarGz(through)));
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(url + ": refused entry \"./up/kernel.img\": would be written through the symlink up"));

    Map<String, Object> noKernel = release("kernel.img");
    noKernel.remove("./kernel.img");
    routes.put(PATH, serve(tarGz(noKernel)));
    assertFailsLeavingTheCacheAsItWas(fetcher(), quote(url + ": the archive holds no kernel.img (nor stage3.img)"));

    routes.put(PATH, serve("<html>not a tarball</html>".getBytes(StandardCharsets.UTF_8)));
    assertFailsLeavingTheCacheAsItWas(fetcher(), quote(url + ": not a readable .tar.gz: ") + ".*");
    assertThat(tmp.resolve("home/evil")).doesNotExist();
  }

  @Test
  void aVersionDirectoryWithoutKernelIsNotOverwritten() throws Exception {
    routes.put(PATH, serve(tarGz(release("kernel.img"))));
    Files.createDirectories(opsHome.resolve(V));
    Files.writeString(opsHome.resolve(V + "/notes"), "mine");
    assertFailsLeavingTheCacheAsItWas(fetcher(),
        quote(opsHome.resolve(V) + " exists but holds no kernel.img: remove it to fetch release " + V));
    assertThat(requests.get()).isZero();
  }

  @Test
  void refusesBadVersionsAndSettingsBeforeAnyRequest() {
    for (String bad : new String[] {"../0.1.50", "0.1.50/..", "a/b", "..", ".", "", "-rf", "0.1..50", "0.1.50\n",
        "0.1.50 "}) {
      assertThatThrownBy(() -> fetcher().fetch(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid Nanos version \"" + MessageText.printable(bad) + "\"");
    }
    assertThatThrownBy(() -> fetcher().fetch(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fetcher().setSha256("abc")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not a SHA-256 (64 hex digits): \"abc\"");
    assertThatThrownBy(() -> fetcher().setArchitecture("riscv64")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("unknown architecture \"riscv64\": use x86_64 or arm64");
    assertThatThrownBy(() -> fetcher().setBaseUri(URI.create("file:///srv/nanos/")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fetcher().setTimeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
    assertThat(requests.get()).isZero();
    assertThat(tmp.resolve("home")).doesNotExist();
  }

  private static String quote(String s) {
    return java.util.regex.Pattern.quote(s);
  }

  @Test
  void aMalformedContentLengthIsOneLineNamingTheUrl() throws Exception {
    populatedOpsHome();
    try (java.net.ServerSocket raw = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread t = new Thread(() -> {
        try (java.net.Socket c = raw.accept()) {
          c.getInputStream().read(new byte[4096]);
          c.getOutputStream().write("HTTP/1.1 200 OK\r\nContent-Length: abc\r\n\r\nxyz"
              .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        } catch (IOException ignored) {
          // the client gave up
        }
      });
      t.start();
      URI rawBase = URI.create("http://127.0.0.1:" + raw.getLocalPort() + "/nanos/release/");
      assertFailsLeavingTheCacheAsItWas(fetcher().setBaseUri(rawBase),
          quote(rawBase + V + "/nanos-release-linux-" + V + ".tar.gz: bad ") + ".*");
      t.join(5000);
    }
  }
}
