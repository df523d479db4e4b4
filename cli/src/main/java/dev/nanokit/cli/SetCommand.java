package dev.nanokit.cli;

import dev.nanokit.manifest.ManifestParser;
import dev.nanokit.manifest.ManifestSyntaxException;
import dev.nanokit.manifest.Value;
import dev.nanokit.tfs.TfsEditor;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/**
 * {@code tfs set IMAGE KEY=VALUE...}: set root-tuple keys (boot configuration, docs/formats/manifest.md, "4 Root-tuple keys read by the kernel") in
 * place. VALUE is a manifest value, as for {@code mkimage --set}: {@code t}, {@code /bin/app},
 * {@code (USER:root)}, {@code [a b]}. An addition to docs/cli.
 */
@Command(name = "set", mixinStandardHelpOptions = true, versionProvider = CommandRunner.Version.class,
    description = {"Set root-tuple keys of the image in place.",
        "VALUE is Nanos manifest syntax: a string (t, /bin/app, \"two words\"), a tuple ((USER:root)) or a"
            + " vector ([a b])."})
final class SetCommand extends EditCommand {

  @Parameters(index = "1..*", paramLabel = "KEY=VALUE", arity = "1..*")
  List<String> settings;

  @Override
  void edit(TfsEditor editor) throws IOException {
    for (String s : settings) {
      int eq = s.indexOf('=');
      if (eq <= 0) {
        throw new ParameterException(spec.commandLine(), "expected KEY=VALUE, not '" + s + "'");
      }
      editor.setRootKey(s.substring(0, eq), parseValue(s.substring(0, eq), s.substring(eq + 1)));
    }
  }

  static Value parseValue(String key, String text) throws ManifestSyntaxException {
    return new ManifestParser().parseValue(text, key + "=");
  }
}
