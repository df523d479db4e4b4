// The main class comes from the jar manifest; jdeps found java.logging, so the runtime has it.
import dev.nanokit.tfs.TfsVolume

def volume = TfsVolume.open(basedir.toPath().resolve("target/manifest-main-class.img"))
try {
  assert volume.rootTuple().get("arguments").elements().collect { it.text() } == ["/usr/lib/jvm/app-runtime/bin/java",
      "-cp", "/app/manifest-main-class-1.0.jar", "app.Main"]
  def release = volume.lookup("/usr/lib/jvm/app-runtime/release", true).get()
  def text = new String(release.newInputStream().readAllBytes(), "UTF-8")
  assert text.contains('MODULES="java.base java.logging"') : text
} finally {
  volume.close()
}
true
