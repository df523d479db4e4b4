// The image holds the jar, its dependency and a jlinked runtime, and runs java with the configured
// flags, class path, main class and arguments; with NANOS_KERNEL/NANOS_BOOT it boots and prints.
import dev.nanokit.tfs.TfsVolume
import java.nio.file.Files
import java.util.concurrent.TimeUnit

def image = basedir.toPath().resolve("target/with-dependency.img")
assert Files.isRegularFile(image)
def volume = TfsVolume.open(image)
try {
  assert volume.lookup("/app/with-dependency-1.0.jar", true).isPresent()
  assert volume.lookup("/app/libs/commons-lang3-3.17.0.jar", true).isPresent()
  assert volume.lookup("/usr/lib/jvm/app-runtime/lib/modules", true).isPresent()
  def root = volume.rootTuple()
  assert root.get("program").text() == "/usr/lib/jvm/app-runtime/bin/java"
  assert root.get("arguments").elements().collect { it.text() } == ["/usr/lib/jvm/app-runtime/bin/java", "-Xmx64m",
      "-cp", "/app/with-dependency-1.0.jar:/app/libs/commons-lang3-3.17.0.jar", "app.Hello", "from", "nanos"]
  def env = root.getTuple("environment")
  assert env.get("GREETING").text() == "hello"
  assert env.get("OPS_PORT").text() == "8080"
} finally {
  volume.close()
}
assert new File(basedir, "build.log").text.contains("nanokit: built ")

if (System.getenv("NANOS_KERNEL") != null && System.getenv("NANOS_BOOT") != null) {
  def expected = "Hello from nanos through commons-lang3"
  long start = System.nanoTime()
  def qemu = new ProcessBuilder("qemu-system-x86_64", "-m", "512", "-nographic", "-no-reboot", "-accel", "tcg",
      "-drive", "file=" + image + ",format=raw,if=virtio").redirectErrorStream(true).start()
  qemu.outputStream.close()
  def console = new StringBuilder()
  def reader = Thread.start {
    qemu.inputStream.newReader().eachLine { line ->
      console.append(line).append('\n')
      if (line.contains(expected)) {
        qemu.destroy()
      }
    }
  }
  if (!qemu.waitFor(240, TimeUnit.SECONDS)) {
    qemu.destroyForcibly()
  }
  reader.join(10000)
  assert console.toString().contains(expected) : "serial console:\n" + console
  println String.format(Locale.ROOT, "nanokit IT: booted to output in %.1f s under TCG", (System.nanoTime() - start) / 1e9)
}
true
