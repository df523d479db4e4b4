package dev.nanokit.core.plan;

import dev.nanokit.core.ImageInputException;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the configuration keys of the root tuple (everything but {@code children}) from an ops
 * configuration and the {@code mkimage} command line, as ops does (docs/formats/manifest.md, "4 Root-tuple keys read by the kernel", "5.2 Fields that influence the image", "6 The tree ops builds (default content of every image)").
 *
 * <p><b>Key order</b> (deterministic; a key set again keeps its first position, as {@link Tuple#put}
 * does): {@code program}, {@code arguments}, {@code environment}, {@code klibs}, {@code mounts},
 * {@code ipaddr}, {@code netmask}, {@code gateway}, {@code ip6addr}, {@code en2}, {@code en3}, …,
 * {@code reboot_on_exit}, the {@code Debugflags} keys in config order, {@code notrace}; then the
 * {@code ManifestPassthrough} entries in config order (overriding same-named keys, as in ops), then the
 * {@code --set} entries in command-line order (overriding everything, including passthrough). A
 * passthrough or {@code --set} value replaces the whole key: {@code --set 'environment=(A:b)'}
 * replaces the entire environment.
 *
 * <p><b>Decisions where the spec is silent or nanokit differs from ops:</b>
 * <ul>
 *   <li>{@code arguments}: argv[0] is the program string as given, then {@code Args}. Any
 *       {@code --arg} replaces the configuration's {@code Args} entirely (like ops {@code --args}).
 *   <li>{@code environment} order: {@code USER=root}, {@code PWD=/}, {@code NANOS_VERSION} (may be
 *       empty), {@code NANOS_ARCH}, {@code IMAGE_NAME} (may be empty), then the config's {@code Env} in
 *       file order, then {@code OPS_PORT} (only if {@code RunConfig.Ports} is non-empty; after
 *       {@code Env}, so the config file cannot override it, as in ops), then each {@code --env} in
 *       order, then {@code RADAR_IMAGE_NAME} (ops: only if the environment has {@code RADAR_KEY} and
 *       no {@code RADAR_IMAGE_NAME}). {@code --env} comes after {@code OPS_PORT} because a flag given
 *       on the command line overrides the configuration; mkimage has no port flag, so this is the
 *       only way to change {@code OPS_PORT} without editing the file.
 *   <li>{@code --env K=V}: the value is everything after the <em>first</em> {@code =} (so
 *       {@code --env A=b=c} gives {@code b=c}). ops keeps only the text between the first and the
 *       second {@code =} (docs/formats/manifest.md, "5.1 Loading rules"), which silently truncates values such as
 *       {@code JAVA_OPTS=-Dx=y}; nanokit does what users expect. A missing {@code =} or empty name is
 *       an error.
 *   <li>{@code OPS_VERSION} is <em>not</em> set: nanokit is not ops and has no ops version to report;
 *       use {@code --env OPS_VERSION=…} or {@code Env} if a program needs it.
 *   <li>Network: if {@code RunConfig.IPAddress} or {@code IPv6Address} is non-empty, the four root
 *       keys {@code ipaddr}, {@code netmask}, {@code gateway}, {@code ip6addr} are written (empty
 *       strings included, as ops). {@code Nics[0]} does the same at the root (after, so it wins);
 *       {@code Nics[i]}, i ≥ 1, becomes tuple {@code en<i+1>} with the same four keys — ops writes
 *       only three there and so loses a secondary NIC's IPv6 address; nanokit keeps it. A NIC with
 *       neither address is left out (DHCP), like the root-level rule.
 *   <li>{@code klibs:bootfs} when the effective klib list (config {@code Klibs}, then {@code --klib},
 *       duplicates dropped, plus implied ones: {@code tls} for {@code cloud_init}, {@code firewall}
 *       for a {@code firewall} passthrough or {@code --set} key, {@code tls} and {@code radar} for
 *       {@code RADAR_KEY}) is non-empty. {@code --klib} adds to the config's list rather than
 *       replacing it.
 *   <li>{@code mounts}: values verbatim (including {@code :ro}), config order.
 *   <li>{@code children} cannot be set through a passthrough or {@code --set} (the directory tree
 *       comes from the planned entries): error.
 * </ul>
 */
public final class RootConfig {
  private RootConfig() {}

  /** argv without argv[0]: {@code --arg}s if any were given, else the configuration's {@code Args}. */
  public static List<String> arguments(PlannerInputs in) {
    return in.cliArgs().isEmpty() ? in.config().args() : in.cliArgs();
  }

  /** The {@code environment} tuple (see the class comment for the order). */
  public static Tuple environment(PlannerInputs in) throws IOException {
    OpsConfig c = in.config();
    Tuple env = new Tuple();
    env.put("USER", "root");
    env.put("PWD", "/");
    env.put("NANOS_VERSION", in.nanosVersion());
    env.put("NANOS_ARCH", in.arch());
    env.put("IMAGE_NAME", in.imageName());
    for (Map.Entry<String, String> e : c.env().entrySet()) {
      env.put(e.getKey(), e.getValue());
    }
    List<String> ports = c.runConfig().ports();
    if (!ports.isEmpty()) {
      env.put("OPS_PORT", String.join(",", ports));
    }
    for (String kv : in.cliEnv()) {
      String[] nv = parseEnv(kv);
      env.put(nv[0], nv[1]);
    }
    if (env.contains("RADAR_KEY") && !env.contains("RADAR_IMAGE_NAME")) {
      env.put("RADAR_IMAGE_NAME", in.imageName());
    }
    return env;
  }

  /** Splits an environment entry {@code NAME=VALUE} at the first {@code =}. */
  public static String[] parseEnv(String kv) throws IOException {
    int eq = kv.indexOf('=');
    if (eq <= 0) {
      throw new ImageInputException("environment entry " + kv + ": expected NAME=VALUE");
    }
    return new String[] {kv.substring(0, eq), kv.substring(eq + 1)};
  }

  /** The klibs for the boot filesystem, with a note for each implied one. */
  public static List<String> klibs(PlannerInputs in, Tuple environment, List<String> notes) throws IOException {
    Set<String> klibs = new LinkedHashSet<>();
    for (String k : in.config().klibs()) {
      klibs.add(checkKlibName("config.json Klibs", k));
    }
    for (String k : in.cliKlibs()) {
      klibs.add(checkKlibName("klib", k));
    }
    if (klibs.contains("cloud_init") && klibs.add("tls")) {
      notes.add("klib tls added: cloud_init needs it");
    }
    if ((in.config().manifestPassthrough().contains("firewall") || in.cliSettings().contains("firewall"))
        && klibs.add("firewall")) {
      notes.add("klib firewall added: the root tuple has a firewall key");
    }
    if (environment.contains("RADAR_KEY")) {
      boolean tls = klibs.add("tls");
      boolean radar = klibs.add("radar");
      if (tls || radar) {
        notes.add("klibs tls and radar added: the environment has RADAR_KEY");
      }
    }
    return new ArrayList<>(klibs);
  }

  private static String checkKlibName(String field, String name) throws IOException {
    if (name.isEmpty() || name.equals(".") || name.equals("..") || name.indexOf('/') >= 0 || name.indexOf('\0') >= 0) {
      throw new IOException(field + ": \"" + name + "\" is not a klib name");
    }
    return name;
  }

  /** The mount directory of a {@code Mounts} value: the path without a trailing {@code :ro}. */
  public static String mountDirectory(String label, String value) throws IOException {
    String dir = value.endsWith(":ro") ? value.substring(0, value.length() - 3) : value;
    String path = ContentPlanner.cleanImagePath(dir);
    if (path.equals("/")) {
      throw new IOException("config.json Mounts: " + label + ": \"" + value
          + "\": the mount directory must be a directory other than /");
    }
    return path;
  }

  /** All root-tuple keys except {@code children}. */
  public static Tuple build(PlannerInputs in, List<String> arguments, Tuple environment, List<String> klibs)
      throws IOException {
    OpsConfig c = in.config();
    Tuple root = new Tuple();
    root.put("program", in.programImagePath());
    VectorValue argv = new VectorValue();
    argv.add(StringValue.of(in.program()));
    arguments.forEach(a -> argv.add(StringValue.of(a)));
    root.put("arguments", argv);
    root.put("environment", environment.deepCopy());
    if (!klibs.isEmpty()) {
      root.put("klibs", "bootfs");
    }
    if (!c.mounts().isEmpty()) {
      Tuple mounts = new Tuple();
      for (Map.Entry<String, String> e : c.mounts().entrySet()) {
        mountDirectory(e.getKey(), e.getValue());
        mounts.put(e.getKey(), e.getValue());
      }
      root.put("mounts", mounts);
    }
    OpsConfig.RunConfig rc = c.runConfig();
    if (!rc.ipAddress().isEmpty() || !rc.ipv6Address().isEmpty()) {
      putNetwork(root, rc.ipAddress(), rc.netMask(), rc.gateway(), rc.ipv6Address());
    }
    List<OpsConfig.Nic> nics = rc.nics();
    for (int i = 0; i < nics.size(); i++) {
      OpsConfig.Nic nic = nics.get(i);
      if (nic.ipAddress().isEmpty() && nic.ipv6Address().isEmpty()) {
        continue;
      }
      if (i == 0) {
        putNetwork(root, nic.ipAddress(), nic.netMask(), nic.gateway(), nic.ipv6Address());
      } else {
        Tuple en = new Tuple();
        putNetwork(en, nic.ipAddress(), nic.netMask(), nic.gateway(), nic.ipv6Address());
        root.put("en" + (i + 1), en);
      }
    }
    if (c.rebootOnExit()) {
      root.put("reboot_on_exit", "t");
    }
    for (String flag : c.debugflags()) {
      root.put(flag, "t");
    }
    if (!c.noTrace().isEmpty()) {
      root.put("notrace", VectorValue.ofStrings(c.noTrace()));
    }
    copyInto(root, c.manifestPassthrough(), "config.json ManifestPassthrough");
    copyInto(root, in.cliSettings(), "root key");
    return root;
  }

  private static void putNetwork(Tuple t, String ip, String netmask, String gateway, String ip6) {
    t.put("ipaddr", ip);
    t.put("netmask", netmask);
    t.put("gateway", gateway);
    t.put("ip6addr", ip6);
  }

  private static void copyInto(Tuple root, Tuple from, String field) throws IOException {
    Tuple copy = from.deepCopy();
    for (Map.Entry<String, Value> e : copy.entries().entrySet()) {
      if (e.getKey().equals("children")) {
        throw new IOException(field + " children: the root directory comes from the image content and cannot be set");
      }
      root.put(e.getKey(), e.getValue());
    }
  }
}
