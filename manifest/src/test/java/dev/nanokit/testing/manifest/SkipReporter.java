package dev.nanokit.testing.manifest;

import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints every skipped test and its reason in the normal Maven output (surefire and failsafe show
 * only a count). Registered for every module's tests through the service file next to it, with
 * {@code junit.jupiter.extensions.autodetection.enabled} set in the parent pom.
 */
public final class SkipReporter implements TestWatcher {
  @Override
  public void testAborted(ExtensionContext context, Throwable cause) {
    System.out.println("[SKIPPED] " + name(context) + ": " + (cause.getMessage() == null ? cause : cause.getMessage()));
  }

  @Override
  public void testDisabled(ExtensionContext context, Optional<String> reason) {
    System.out.println("[SKIPPED] " + name(context) + ": " + reason.orElse("disabled"));
  }

  private static String name(ExtensionContext context) {
    return context.getRequiredTestClass().getSimpleName() + "." + context.getDisplayName();
  }
}
