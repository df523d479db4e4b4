package dev.nanokit.core.ops;

import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.OpsConfigException;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.manifest.Value;
import dev.nanokit.manifest.VectorValue;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.common.collect.ImmutableMap;
import com.google.common.net.InetAddresses;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads an ops {@code config.json} (docs/formats/manifest.md, "5.1 Loading rules", "5.2 Fields that influence the image") into an {@link OpsConfig}.
 *
 * <p>Matching ops ({@code encoding/json} into its {@code Config} struct): field names match
 * case-insensitively ({@code Home} is spelled {@code home}); JSON {@code null} leaves a field
 * unchanged; a field given twice is read twice, so lists are replaced while objects and maps are
 * merged; {@code RunConfig.IPAddress}, {@code Gateway} and {@code NetMask} that are not IP
 * addresses become "" ("5.1 Loading rules"); with {@code ops_render_config=true} in the environment given to
 * {@link #withEnvironment}, {@code $VAR} and {@code ${VAR}} are expanded first, as Go's
 * {@code os.ExpandEnv} does.
 *
 * <p>Differences, all in the direction of telling the user more: an unknown field is a warning in
 * the {@link Result} (ops fails); a field of the wrong JSON type, invalid JSON, trailing content
 * after the object, and an invalid {@code BaseVolumeSz} (which ops silently drops, "7 Ambiguities and ops/Nanos differences" item 5) are
 * an {@link OpsConfigException} whose one-line message names the field and its line:column;
 * numbers and booleans in {@code ManifestPassthrough} become strings ("7 Ambiguities and ops/Nanos differences" item 7) instead of
 * failing the build.
 *
 * <p>Jackson (databind's mapper, whose token stream carries the locations the tree model drops)
 * does all JSON tokenizing; this class only checks the shape of each field.
 */
public final class OpsConfigReader {
  private static final ObjectMapper MAPPER = JsonMapper.builder().build();
  private static final Pattern JACKSON_LOCATION =
      Pattern.compile("\\[Source: [^\\]]*?; line: (\\d+), column: (\\d+)\\]");
  /** Passthrough numbers are written out in full; an exponent this large is not a real setting. */
  private static final int MAX_PASSTHROUGH_SCALE = 1000;

  private final Map<String, String> environment;

  /** A reader that does not expand environment variables. */
  public OpsConfigReader() {
    this(Map.of());
  }

  private OpsConfigReader(Map<String, String> environment) {
    this.environment = environment;
  }

  /**
   * A reader that expands {@code $VAR}/{@code ${VAR}} from {@code environment} before parsing when
   * {@code environment} has {@code ops_render_config=true}, as ops does with the process
   * environment. Error positions then refer to the expanded text.
   */
  public OpsConfigReader withEnvironment(Map<String, String> environment) {
    return new OpsConfigReader(ImmutableMap.copyOf(environment));
  }

  /** The configuration and the warnings (one line each, with position) about what was ignored. */
  public record Result(OpsConfig config, List<String> warnings) {
    public Result {
      Objects.requireNonNull(config, "config");
      warnings = List.copyOf(warnings);
    }
  }

  /**
   * Reads a configuration file. Like ops, {@code LocalFilesParentDirectory} is then set to the
   * file's directory ({@code .} for a bare file name), whatever the file says.
   */
  public Result read(Path file) throws IOException {
    Result r = read(Files.readAllBytes(file), file.toString());
    Path parent = file.getParent();
    OpsConfig config = r.config().toBuilder()
        .localFilesParentDirectory(parent == null ? "." : parent.toString())
        .build();
    return new Result(config, r.warnings());
  }

  /**
   * Reads UTF-8 JSON; {@code sourceName} may be null. Invalid UTF-8 is an error at its line and
   * column (ops's Go decoder would put U+FFFD in its place, which turns a mis-encoded file name into
   * one that does not exist; better to say so).
   */
  public Result read(byte[] json, String sourceName) throws OpsConfigException {
    String text;
    try {
      text = dev.nanokit.manifest.text.StrictUtf8.decode(json);
    } catch (dev.nanokit.manifest.text.StrictUtf8.MalformedException e) {
      var m = e.where();
      throw new OpsConfigException(sourceName, m.line(), m.column(),
          String.format("invalid UTF-8 byte 0x%02X at byte offset %d", m.badByte(), m.byteOffset()));
    }
    return read(text, sourceName);
  }

  /** Reads JSON text; {@code sourceName} (may be null) prefixes messages. */
  public Result read(String json, String sourceName) throws OpsConfigException {
    String text = "true".equals(environment.get("ops_render_config")) ? expandEnv(json, environment) : json;
    JsonParser p = null;
    try {
      p = MAPPER.createParser(text);
      Session s = new Session(p, sourceName);
      s.readRoot();
      return new Result(s.config.build(), s.warnings);
    } catch (OpsConfigException e) {
      throw e;
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      // Constraint violations (nesting depth, number length) carry no location; the parser knows.
      if (loc == null && p != null) {
        loc = p.currentLocation();
      }
      String reason = "invalid JSON: " + oneLine(e.getOriginalMessage());
      throw loc == null
          ? new OpsConfigException(sourceName, 0, 0, reason)
          : new OpsConfigException(sourceName, loc.getLineNr(), loc.getColumnNr(), reason);
    } catch (IOException e) {
      throw new OpsConfigException(sourceName, 0, 0, "cannot read JSON: " + oneLine(String.valueOf(e.getMessage())));
    } finally {
      closeQuietly(p);
    }
  }

  private static void closeQuietly(JsonParser p) {
    if (p == null) {
      return;
    }
    try {
      p.close();
    } catch (IOException e) {
      // A parser over a String holds nothing that can fail to close.
    }
  }

  /**
   * Go's {@code os.Expand}: {@code ${name}}, {@code $name} (letters, digits, '_') and the
   * one-character shell names {@code $*}, {@code $#}, {@code $$}, {@code $@}, {@code $!},
   * {@code $?}, {@code $-}, {@code $0}…{@code $9} are replaced by their value in {@code env} (""
   * when missing); {@code ${}} and an unclosed {@code ${} are dropped; a {@code $} not followed by
   * a name stays.
   */
  public static String expandEnv(String text, Map<String, String> env) {
    StringBuilder out = new StringBuilder(text.length());
    int i = 0;
    for (int j = 0; j < text.length(); j++) {
      if (text.charAt(j) != '$' || j + 1 >= text.length()) {
        continue;
      }
      out.append(text, i, j);
      String rest = text.substring(j + 1);
      String name;
      int width;
      char c0 = rest.charAt(0);
      if (c0 == '{') {
        if (rest.length() > 2 && isShellSpecial(rest.charAt(1)) && rest.charAt(2) == '}') {
          name = rest.substring(1, 2);
          width = 3;
        } else {
          int close = rest.indexOf('}', 1);
          if (close == 1) {
            name = "";
            width = 2;
          } else if (close < 0) {
            name = "";
            width = 1;
          } else {
            name = rest.substring(1, close);
            width = close + 1;
          }
        }
      } else if (isShellSpecial(c0)) {
        name = rest.substring(0, 1);
        width = 1;
      } else {
        int k = 0;
        while (k < rest.length() && isAlphaNum(rest.charAt(k))) {
          k++;
        }
        name = rest.substring(0, k);
        width = k;
      }
      if (name.isEmpty() && width == 0) {
        out.append('$');
      } else if (!name.isEmpty()) {
        out.append(env.getOrDefault(name, ""));
      }
      j += width;
      i = j + 1;
    }
    return out.append(text, Math.min(i, text.length()), text.length()).toString();
  }

  private static boolean isShellSpecial(char c) {
    return "*#$@!?-0123456789".indexOf(c) >= 0;
  }

  private static boolean isAlphaNum(char c) {
    return c == '_' || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static String oneLine(String jacksonMessage) {
    Matcher m = JACKSON_LOCATION.matcher(jacksonMessage);
    String s = m.replaceAll("$1:$2");
    return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }

  /** Reads one field's value; the parser is on the value's first token. */
  @FunctionalInterface
  private interface FieldReader {
    void read(Session s, String path) throws IOException;
  }

  /** Canonical (Go) name and reader of a known field. */
  private record Field(String name, FieldReader reader) {}

  private static Map<String, Field> fields(Object... nameReaderPairs) {
    ImmutableMap.Builder<String, Field> b = ImmutableMap.builder();
    for (int i = 0; i < nameReaderPairs.length; i += 2) {
      String name = (String) nameReaderPairs[i];
      b.put(name.toLowerCase(Locale.ROOT), new Field(name, (FieldReader) nameReaderPairs[i + 1]));
    }
    return b.build();
  }

  private static final FieldReader IGNORED = (s, path) -> s.p.skipChildren();

  private static FieldReader string(BiConsumer<Session, String> set) {
    return (s, path) -> {
      String v = s.string(path);
      if (v != null) {
        set.accept(s, v);
      }
    };
  }

  private static FieldReader bool(BiConsumer<Session, Boolean> set) {
    return (s, path) -> {
      Boolean v = s.bool(path);
      if (v != null) {
        set.accept(s, v);
      }
    };
  }

  private static FieldReader list(BiConsumer<Session, List<String>> set) {
    return (s, path) -> {
      List<String> v = s.stringList(path);
      if (v != null) {
        set.accept(s, v);
      }
    };
  }

  /** A run-config address that must parse as an IP address, else it is dropped ("5.1 Loading rules"). */
  private static FieldReader address(BiConsumer<OpsConfig.RunConfigBuilder, String> set) {
    return (s, path) -> {
      JsonLocation at = s.p.currentTokenLocation();
      String v = s.string(path);
      if (v == null) {
        return;
      }
      if (!v.isEmpty() && !isIpAddress(v)) {
        s.warn(at, "field \"" + path + "\" value \"" + v + "\" is not an IP address; ignored");
        v = "";
      }
      set.accept(s.config.runConfig(), v);
    };
  }

  /** Go's {@code net.ParseIP}: dotted-quad IPv4 or IPv6, no zone. */
  static boolean isIpAddress(String s) {
    return s.indexOf('%') < 0 && InetAddresses.isInetAddress(s);
  }

  private static final Map<String, Field> NIC_FIELDS = fields(
      "IPAddress", string((s, v) -> s.nic.ipAddress = v),
      "IPv6Address", string((s, v) -> s.nic.ipv6Address = v),
      "NetMask", string((s, v) -> s.nic.netMask = v),
      "Gateway", string((s, v) -> s.nic.gateway = v),
      "BridgeName", string((s, v) -> s.nic.bridgeName = v));

  private static final Map<String, Field> RUN_CONFIG_FIELDS = fields(
      "IPAddress", address(OpsConfig.RunConfigBuilder::ipAddress),
      "IPv6Address", string((s, v) -> s.config.runConfig().ipv6Address(v)),
      "Gateway", address(OpsConfig.RunConfigBuilder::gateway),
      "NetMask", address(OpsConfig.RunConfigBuilder::netMask),
      "Nics", (FieldReader) Session::nics,
      "Ports", list((s, v) -> s.config.runConfig().ports(v)),
      "ImageName", string((s, v) -> s.config.runConfig().imageName(v)),
      "Verbose", bool((s, v) -> s.config.runConfig().verbose(v)),
      // What running the image under QEMU uses (NanosRun).
      "UDPPorts", list((s, v) -> s.config.runConfig().udpPorts(v)),
      "Memory", string((s, v) -> s.config.runConfig().memory(v)),
      "CPUs", (FieldReader) (s, path) -> {
        Integer v = s.integer(path);
        if (v != null) {
          s.config.runConfig().cpus(v);
        }
      },
      "Accel", bool((s, v) -> s.config.runConfig().accel(v)),
      // Only for `ops run` and cloud targets ("5.2 Fields that influence the image").
      "AtExit", IGNORED, "Bridged", IGNORED, "BridgeIPAddress", IGNORED,
      "BridgeName", IGNORED, "CanIPForward", IGNORED, "GPUs", IGNORED,
      "GPUType", IGNORED, "Debug", IGNORED, "GdbPort", IGNORED, "InstanceGroup", IGNORED,
      "InstanceName", IGNORED, "Kernel", IGNORED, "Mgmt", IGNORED,
      "Vga", IGNORED, "Mounts", IGNORED, "AttachVolumeOnInstanceCreate", IGNORED,
      "Background", IGNORED, "BackgroundDetach", IGNORED, "QMP", IGNORED, "ShowDebug", IGNORED,
      "ShowErrors", IGNORED, "ShowWarnings", IGNORED, "JSON", IGNORED, "TapName", IGNORED,
      "VolumeSizeInGb", IGNORED, "ThreadsPerCore", IGNORED);

  private static final Map<String, Field> CLOUD_CONFIG_FIELDS = fields(
      "ImageName", string((s, v) -> s.config.cloudImageName(v)),
      "BucketName", IGNORED, "BucketNamespace", IGNORED, "ConfidentialVM", IGNORED,
      "DedicatedHostID", IGNORED, "DomainName", IGNORED, "StaticIP", IGNORED, "EnableIPv6", IGNORED,
      "Flavor", IGNORED, "ImageType", IGNORED, "InstanceProfile", IGNORED, "KMS", IGNORED,
      "Platform", IGNORED, "ProjectID", IGNORED, "RootVolume", IGNORED, "SecurityGroup", IGNORED,
      "SkipImportVerify", IGNORED, "Spot", IGNORED, "Subnet", IGNORED, "Tags", IGNORED,
      "UserData", IGNORED, "VPC", IGNORED, "Zone", IGNORED);

  private static final Map<String, Field> CONFIG_FIELDS = fields(
      "Program", string((s, v) -> s.config.program(v)),
      "Args", list((s, v) -> s.config.args(v)),
      "Env", (FieldReader) (s, path) -> s.stringMap(path, s.config::putEnv),
      "Files", list((s, v) -> s.config.files(v)),
      "Dirs", list((s, v) -> s.config.dirs(v)),
      "MapDirs", (FieldReader) (s, path) -> s.stringMap(path, s.config::putMapDir),
      "Klibs", list((s, v) -> s.config.klibs(v)),
      "KlibDir", string((s, v) -> s.config.klibDir(v)),
      "Mounts", (FieldReader) (s, path) -> s.stringMap(path, s.config::putMount),
      "RunConfig", (FieldReader) (s, path) -> s.object(path, RUN_CONFIG_FIELDS),
      "NameServers", list((s, v) -> s.config.nameServers(v)),
      "ManifestPassthrough", (FieldReader) Session::passthrough,
      "Debugflags", list((s, v) -> s.config.debugflags(v)),
      "NoTrace", list((s, v) -> s.config.noTrace(v)),
      "RebootOnExit", bool((s, v) -> s.config.rebootOnExit(v)),
      "Kernel", string((s, v) -> s.config.kernel(v)),
      "Boot", string((s, v) -> s.config.boot(v)),
      "Uefi", bool((s, v) -> s.config.uefi(v)),
      "UefiBoot", string((s, v) -> s.config.uefiBoot(v)),
      "BaseVolumeSz", (FieldReader) Session::baseVolumeSz,
      "TargetRoot", string((s, v) -> s.config.targetRoot(v)),
      "TFSv4", bool((s, v) -> s.config.tfsV4(v)),
      "CloudConfig", (FieldReader) (s, path) -> s.object(path, CLOUD_CONFIG_FIELDS),
      "NanosVersion", string((s, v) -> s.config.nanosVersion(v)),
      "NightlyBuild", bool((s, v) -> s.config.nightlyBuild(v)),
      "DisableArgsCopy", bool((s, v) -> s.config.disableArgsCopy(v)),
      "LocalFilesParentDirectory", string((s, v) -> s.config.localFilesParentDirectory(v)),
      "home", string((s, v) -> s.config.home(v)),
      // Only for `ops run`, deployment or packaging metadata ("5.2 Fields that influence the image").
      "BuildDir", IGNORED, "TargetConfig", IGNORED, "Force", IGNORED, "ProgramPath", IGNORED,
      "Version", IGNORED, "Language", IGNORED, "Description", IGNORED, "VolumesDir", IGNORED,
      "PackageBaseURL", IGNORED, "PackageManifestURL", IGNORED);

  /** Mutable NIC fields while one {@code Nics} element is read. */
  private static final class NicBuilder {
    String ipAddress = "";
    String ipv6Address = "";
    String netMask = "";
    String gateway = "";
    String bridgeName = "";
  }

  /** State of one read. */
  private static final class Session {
    final JsonParser p;
    final String sourceName;
    final OpsConfig.Builder config = OpsConfig.builder();
    final List<String> warnings = new ArrayList<>();
    NicBuilder nic;

    Session(JsonParser p, String sourceName) {
      this.p = p;
      this.sourceName = sourceName;
    }

    void readRoot() throws IOException {
      JsonToken t = p.nextToken();
      if (t == null) {
        throw new OpsConfigException(sourceName, 1, 1, "empty configuration (expected a JSON object)");
      }
      if (t != JsonToken.VALUE_NULL) {
        if (t != JsonToken.START_OBJECT) {
          throw error("configuration must be a JSON object");
        }
        fieldsOf(null, CONFIG_FIELDS);
      }
      if (p.nextToken() != null) {
        throw error("unexpected content after the configuration object");
      }
    }

    /** The fields of the object whose '{' is the current token, up to and including its '}'. */
    void fieldsOf(String parentPath, Map<String, Field> known) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonLocation nameAt = p.currentTokenLocation();
        Field field = known.get(name.toLowerCase(Locale.ROOT));
        p.nextToken();
        if (field == null) {
          warn(nameAt, "unknown field \"" + join(parentPath, name) + "\" ignored");
          p.skipChildren();
        } else {
          field.reader().read(this, join(parentPath, field.name()));
        }
      }
    }

    private static String join(String parent, String name) {
      return parent == null ? name : parent + "." + name;
    }

    void object(String path, Map<String, Field> known) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      if (t != JsonToken.START_OBJECT) {
        throw error("field \"" + path + "\" must be an object");
      }
      fieldsOf(path, known);
    }

    String string(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_STRING) {
        throw error("field \"" + path + "\" must be a string");
      }
      return text(path);
    }

    /** The current string; a NUL cannot be in a path, an argument or an environment entry of a C program. */
    private String text(String path) throws IOException {
      String s = p.getText();
      if (s.indexOf('\0') >= 0) {
        throw error("field \"" + path + "\": a NUL character is not allowed");
      }
      return s;
    }

    Boolean bool(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
        throw error("field \"" + path + "\" must be true or false");
      }
      return t == JsonToken.VALUE_TRUE;
    }

    /** A non-negative JSON integer that fits an int (Go's int field; a negative count means nothing). */
    Integer integer(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      if (t != JsonToken.VALUE_NUMBER_INT || p.getBigIntegerValue().signum() < 0
          || p.getBigIntegerValue().bitLength() > 31) {
        throw error("field \"" + path + "\" must be a whole number from 0 to " + Integer.MAX_VALUE);
      }
      return p.getIntValue();
    }

    List<String> stringList(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return null;
      }
      String message = "field \"" + path + "\" must be an array of strings";
      if (t != JsonToken.START_ARRAY) {
        throw error(message);
      }
      List<String> out = new ArrayList<>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        if (t != JsonToken.VALUE_STRING) {
          throw error(message);
        }
        out.add(text(path));
      }
      return out;
    }

    void stringMap(String path, BiConsumer<String, String> put) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      String message = "field \"" + path + "\" must be an object with string values";
      if (t != JsonToken.START_OBJECT) {
        throw error(message);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        if (p.nextToken() != JsonToken.VALUE_STRING || key.indexOf('\0') >= 0) {
          throw error(message);
        }
        put.accept(key, text(path));
      }
    }

    void nics(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      String message = "field \"" + path + "\" must be an array of objects";
      if (t != JsonToken.START_ARRAY) {
        throw error(message);
      }
      List<OpsConfig.Nic> out = new ArrayList<>();
      while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
        nic = new NicBuilder();
        if (t == JsonToken.START_OBJECT) {
          fieldsOf(path, NIC_FIELDS);
        } else if (t != JsonToken.VALUE_NULL) {
          throw error(message);
        }
        out.add(new OpsConfig.Nic(nic.ipAddress, nic.ipv6Address, nic.netMask, nic.gateway, nic.bridgeName));
      }
      config.runConfig().nics(out);
    }

    void baseVolumeSz(String path) throws IOException {
      String v = string(path);
      if (v == null) {
        return;
      }
      try {
        config.baseVolumeSz(v);
      } catch (IllegalArgumentException e) {
        // OpsSize names the field as "BaseVolumeSz: …"; say it the way every other message does.
        String m = e.getMessage();
        throw error("field \"" + path + "\"" + m.substring(m.indexOf(':')));
      }
    }

    void passthrough(String path) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_NULL) {
        return;
      }
      if (t != JsonToken.START_OBJECT) {
        throw error("field \"" + path + "\" must be an object");
      }
      // Nesting is bounded by Jackson's StreamReadConstraints (1000 levels), so recursion is safe.
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        config.putManifestPassthrough(key, passthroughValue(path + "." + key));
      }
    }

    private Value passthroughValue(String path) throws IOException {
      switch (p.currentToken()) {
        case VALUE_STRING:
          return StringValue.of(p.getText());
        case VALUE_NUMBER_INT:
          return StringValue.of(p.getBigIntegerValue().toString());
        case VALUE_NUMBER_FLOAT: {
          BigDecimal d = p.getDecimalValue();
          if (Math.abs((long) d.scale()) > MAX_PASSTHROUGH_SCALE) {
            throw error("field \"" + path + "\": number " + p.getText() + " is out of range");
          }
          return StringValue.of(d.toPlainString());
        }
        case VALUE_TRUE:
          return StringValue.of("true");
        case VALUE_FALSE:
          warn(p.currentTokenLocation(), "field \"" + path
              + "\" is false, stored as the string \"false\": the kernel treats any value of a flag as set");
          return StringValue.of("false");
        case START_ARRAY: {
          VectorValue v = new VectorValue();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            v.add(passthroughValue(path));
          }
          return v;
        }
        case START_OBJECT: {
          Tuple tuple = new Tuple();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            p.nextToken();
            tuple.put(key, passthroughValue(path + "." + key));
          }
          return tuple;
        }
        default:
          throw error("field \"" + path + "\" must not be null (a manifest value is a string, array or object)");
      }
    }

    void warn(JsonLocation at, String message) {
      warnings.add(dev.nanokit.SyntaxException.prefix(sourceName, at.getLineNr(), at.getColumnNr()) + message);
    }

    OpsConfigException error(String reason) {
      JsonLocation at = p.currentTokenLocation();
      return new OpsConfigException(sourceName, at.getLineNr(), at.getColumnNr(), reason);
    }
  }
}
