package dev.nanokit.core.ops;

import static dev.nanokit.testing.manifest.Values.t;
import static dev.nanokit.testing.manifest.Values.v;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.OpsConfigException;
import dev.nanokit.manifest.Tuple;
import dev.nanokit.testing.manifest.RandomCases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OpsConfigReaderTest {
  private static final OpsConfigReader READER = new OpsConfigReader();

  private static OpsConfigReader.Result read(String json) throws OpsConfigException {
    return READER.read(json, "config.json");
  }

  private static String error(String json) {
    return catchThrowableOfType(OpsConfigException.class, () -> read(json)).getMessage();
  }

  @Test
  void readsARealUsersFile() throws Exception {
    OpsConfigReader.Result r = read("{\"RunConfig\":{\"Verbose\":true,\"Ports\":[\"8083\"]},"
        + "\"Env\":{\"TEST\":\"OPS\"},\"Args\":[\"script.py\"],"
        + "\"Debugflags\":[\"trace:pf,threadrun,all\",\"debugsyscalls\"]}");
    assertThat(r.warnings()).isEmpty();
    OpsConfig c = r.config();
    assertThat(c.runConfig().verbose()).isTrue();
    assertThat(c.runConfig().ports()).containsExactly("8083");
    assertThat(c.env()).containsExactly(Map.entry("TEST", "OPS"));
    assertThat(c.args()).containsExactly("script.py");
    assertThat(c.debugflags()).containsExactly("trace:pf,threadrun,all", "debugsyscalls");
    assertThat(c.program()).isEmpty();
    assertThat(c.nameServers()).isEmpty();
    assertThat(c.manifestPassthrough()).isEqualTo(new Tuple());
  }

  @Test
  void readsEveryImageField() throws Exception {
    String json = """
        {
          "Program": "./hello", "Args": ["a", "b"], "Env": {"A": "1", "B": "2"},
          "Files": ["f1", "/f2"], "Dirs": ["d"], "MapDirs": {"/host/*.so": "/lib"},
          "Klibs": ["tls", "ntp"], "KlibDir": "/k", "Mounts": {"vol": "/mnt:ro"},
          "RunConfig": {"IPAddress": "10.0.0.2", "IPv6Address": "fe80::1", "Gateway": "10.0.0.1",
                        "NetMask": "255.255.0.0", "Ports": ["80", "443"], "ImageName": "img",
                        "Verbose": false,
                        "Nics": [{"IPAddress": "10.1.0.2", "NetMask": "255.0.0.0", "Gateway": "10.1.0.1",
                                  "IPv6Address": "::1", "BridgeName": "br0"}, {}]},
          "NameServers": ["1.1.1.1"], "ManifestPassthrough": {"debug_exit": "t"},
          "NoTrace": ["futex"], "RebootOnExit": true, "Kernel": "/kernel.img", "Boot": "/boot.img",
          "Uefi": true, "UefiBoot": "/bootx64.efi", "BaseVolumeSz": "64m", "TargetRoot": "/sysroot",
          "TFSv4": true, "CloudConfig": {"ImageName": "cloud-img", "Platform": "gcp"},
          "NanosVersion": "0.1.50", "NightlyBuild": true, "DisableArgsCopy": true,
          "LocalFilesParentDirectory": "/cfg", "home": "/ops-home"
        }
        """;
    OpsConfigReader.Result r = read(json);
    assertThat(r.warnings()).isEmpty();
    OpsConfig c = r.config();
    assertThat(c.program()).isEqualTo("./hello");
    assertThat(c.args()).containsExactly("a", "b");
    assertThat(c.env()).containsExactly(Map.entry("A", "1"), Map.entry("B", "2"));
    assertThat(c.files()).containsExactly("f1", "/f2");
    assertThat(c.dirs()).containsExactly("d");
    assertThat(c.mapDirs()).containsExactly(Map.entry("/host/*.so", "/lib"));
    assertThat(c.klibs()).containsExactly("tls", "ntp");
    assertThat(c.klibDir()).isEqualTo("/k");
    assertThat(c.mounts()).containsExactly(Map.entry("vol", "/mnt:ro"));
    OpsConfig.RunConfig rc = c.runConfig();
    assertThat(rc).isEqualTo(new OpsConfig.RunConfig("10.0.0.2", "fe80::1", "10.0.0.1", "255.255.0.0",
        List.of(new OpsConfig.Nic("10.1.0.2", "::1", "255.0.0.0", "10.1.0.1", "br0"),
            new OpsConfig.Nic("", "", "", "", "")),
        List.of("80", "443"), "img", false));
    assertThat(c.nameServers()).containsExactly("1.1.1.1");
    assertThat(c.manifestPassthrough()).isEqualTo(t("debug_exit", "t"));
    assertThat(c.noTrace()).containsExactly("futex");
    assertThat(c.rebootOnExit()).isTrue();
    assertThat(c.kernel()).isEqualTo("/kernel.img");
    assertThat(c.boot()).isEqualTo("/boot.img");
    assertThat(c.uefi()).isTrue();
    assertThat(c.uefiBoot()).isEqualTo("/bootx64.efi");
    assertThat(c.baseVolumeSz()).isEqualTo("64m");
    assertThat(c.baseVolumeBytes()).hasValue(64L << 20);
    assertThat(c.targetRoot()).isEqualTo("/sysroot");
    assertThat(c.tfsV4()).isTrue();
    assertThat(c.cloudConfig().imageName()).isEqualTo("cloud-img");
    assertThat(c.nanosVersion()).isEqualTo("0.1.50");
    assertThat(c.nightlyBuild()).isTrue();
    assertThat(c.disableArgsCopy()).isTrue();
    assertThat(c.localFilesParentDirectory()).isEqualTo("/cfg");
    assertThat(c.home()).isEqualTo("/ops-home");
  }

  @Test
  void fieldNamesMatchCaseInsensitively() throws Exception {
    OpsConfig c = read("{\"args\":[\"x\"],\"PROGRAM\":\"p\",\"runconfig\":{\"ipaddress\":\"10.0.0.9\","
        + "\"imagename\":\"i\"},\"Home\":\"/h\",\"tfsv4\":true,\"cloudCONFIG\":{\"IMAGENAME\":\"c\"}}").config();
    assertThat(c.args()).containsExactly("x");
    assertThat(c.program()).isEqualTo("p");
    assertThat(c.runConfig().ipAddress()).isEqualTo("10.0.0.9");
    assertThat(c.runConfig().imageName()).isEqualTo("i");
    assertThat(c.home()).isEqualTo("/h");
    assertThat(c.tfsV4()).isTrue();
    assertThat(c.cloudConfig().imageName()).isEqualTo("c");
  }

  @Test
  void unknownFieldsAreWarningsWithPosition() throws Exception {
    OpsConfigReader.Result r = read("{\"Foo\": {\"deep\": [1, 2]},\n \"RunConfig\": {\"Bar\": true, \"Verbose\": true},"
        + " \"Args\": [\"a\"]}");
    assertThat(r.warnings()).containsExactly(
        "config.json:1:2: unknown field \"Foo\" ignored",
        "config.json:2:16: unknown field \"RunConfig.Bar\" ignored");
    assertThat(r.config().args()).containsExactly("a");
    assertThat(r.config().runConfig().verbose()).isTrue();
  }

  @Test
  void runOnlyFieldsAreAcceptedSilently() throws Exception {
    OpsConfigReader.Result r = read("""
        {"Force": true, "BuildDir": "b", "Version": "1", "Language": "go", "Description": "d",
         "VolumesDir": "v", "TargetConfig": {"a": "b"}, "ProgramPath": "p",
         "RunConfig": {"GdbPort": 1234, "Mounts": ["x"], "Bridged": true},
         "CloudConfig": {"Zone": "z", "Tags": [{"key": "k", "value": "v"}], "RootVolume": {"size": 1}}}
        """);
    assertThat(r.warnings()).isEmpty();
    assertThat(r.config()).isEqualTo(OpsConfig.empty());
  }

  @Test
  void runTimeFieldsAreKeptForRunningTheImage() throws Exception {
    OpsConfig.RunConfig rc = read("""
        {"RunConfig": {"Memory": "512M", "CPUs": 2, "Accel": false, "Ports": ["8083"], "UDPPorts": ["5309", "53-5353"]}}
        """).config().runConfig();
    assertThat(rc.memory()).isEqualTo("512M");
    assertThat(rc.cpus()).isEqualTo(2);
    assertThat(rc.accel()).contains(false);
    assertThat(rc.ports()).containsExactly("8083");
    assertThat(rc.udpPorts()).containsExactly("5309", "53-5353");
    assertThat(OpsConfig.empty().runConfig().accel()).isEmpty();
    assertThatThrownBy(() -> read("{\"RunConfig\": {\"CPUs\": -1}}"))
        .hasMessageContaining("field \"RunConfig.CPUs\" must be a whole number from 0 to 2147483647");
    assertThatThrownBy(() -> read("{\"RunConfig\": {\"CPUs\": \"2\"}}"))
        .hasMessageContaining("field \"RunConfig.CPUs\" must be a whole number");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "{\"Args\":\"script.py\"}          | config.json:1:9: field \"Args\" must be an array of strings",
      "{\"Args\":[\"a\", 1]}             | config.json:1:15: field \"Args\" must be an array of strings",
      "{\"args\":{}}                     | config.json:1:9: field \"Args\" must be an array of strings",
      "{\"Program\":5}                   | config.json:1:12: field \"Program\" must be a string",
      "{\"Uefi\":\"true\"}               | config.json:1:9: field \"Uefi\" must be true or false",
      "{\"Env\":{\"A\":1}}               | config.json:1:13: field \"Env\" must be an object with string values",
      "{\"Env\":[]}                      | config.json:1:8: field \"Env\" must be an object with string values",
      "{\"RunConfig\":[]}                | config.json:1:14: field \"RunConfig\" must be an object",
      "{\"RunConfig\":{\"Ports\":[80]}}  | config.json:1:24: field \"RunConfig.Ports\" must be an array of strings",
      "{\"RunConfig\":{\"Nics\":[1]}}    | config.json:1:23: field \"RunConfig.Nics\" must be an array of objects",
      "{\"RunConfig\":{\"Nics\":[{\"IPAddress\":1}]}} | config.json:1:36: field \"RunConfig.Nics.IPAddress\" must be a string",
      "{\"ManifestPassthrough\":[]}      | config.json:1:24: field \"ManifestPassthrough\" must be an object",
      "{\"ManifestPassthrough\":{\"a\":{\"b\":null}}} | config.json:1:34: field \"ManifestPassthrough.a.b\" must not be null (a manifest value is a string, array or object)",
      "{\"BaseVolumeSz\":\"1GB\"}        | config.json:1:17: field \"BaseVolumeSz\": invalid size \"1GB\" (expected digits followed by an optional k, m or g)",
      "{\"BaseVolumeSz\":64}             | config.json:1:17: field \"BaseVolumeSz\" must be a string",
      "[]                                | config.json:1:1: configuration must be a JSON object",
      "``                                | config.json:1:1: empty configuration (expected a JSON object)",
      "{} {}                             | config.json:1:4: unexpected content after the configuration object",
  })
  void wrongTypesAreOneLineErrorsWithPosition(String json, String message) {
    assertThat(error(json)).isEqualTo(message);
  }

  @Test
  void invalidJsonIsOneLineWithPosition() {
    for (String json : List.of("{\"Args\": [}", "{\"Args\": [\"a\"", "{'Args': []}", "{\"Args\": [],}",
        "{\"a\" 1}", "{\"Program\": \"x\n", "{// comment\n}", "\uFEFF{}")) {
      OpsConfigException e = catchThrowableOfType(OpsConfigException.class, () -> read(json));
      assertThat(e).as(json).isNotNull();
      assertThat(e.getMessage()).as(json).matches("config\\.json:\\d+:\\d+: invalid JSON: [^\\n]+")
          .doesNotContain("Source:");
      assertThat(e.line()).isPositive();
      assertThat(e.sourceName()).isEqualTo("config.json");
    }
    assertThat(error("{\n  \"Args\": [\n}")).startsWith("config.json:3:1: invalid JSON: Unexpected close marker '}'");
    // Jackson's nesting limit has no location of its own; the parser's is used.
    assertThat(error("{\"ManifestPassthrough\":{\"a\":" + "[".repeat(2000) + "]".repeat(2000) + "}}"))
        .matches("config\\.json:1:\\d+: invalid JSON: Document nesting depth \\(1001\\) exceeds the maximum allowed.*");
  }

  @Test
  void nullLeavesAFieldAtItsValue() throws Exception {
    OpsConfig c = read("{\"Args\":[\"a\"], \"args\":null, \"Program\":null, \"Uefi\":null, \"RunConfig\":null,"
        + " \"Env\":null, \"ManifestPassthrough\":null, \"RunConfig\":{\"Nics\":[null]}}").config();
    assertThat(c.args()).containsExactly("a");
    assertThat(c.program()).isEmpty();
    assertThat(c.runConfig().nics()).containsExactly(new OpsConfig.Nic("", "", "", "", ""));
    assertThat(read("null").config()).isEqualTo(OpsConfig.empty());
  }

  @Test
  void repeatedFieldsReplaceListsAndMergeObjects() throws Exception {
    OpsConfig c = read("{\"Args\":[\"a\"],\"args\":[\"b\",\"c\"],\"Env\":{\"A\":\"1\",\"B\":\"2\"},"
        + "\"env\":{\"A\":\"3\"},\"RunConfig\":{\"Verbose\":true},\"RunConfig\":{\"Ports\":[\"1\"]},"
        + "\"ManifestPassthrough\":{\"x\":\"1\"},\"ManifestPassthrough\":{\"y\":\"2\"}}").config();
    assertThat(c.args()).containsExactly("b", "c");
    assertThat(c.env()).containsExactly(Map.entry("A", "3"), Map.entry("B", "2"));
    assertThat(c.runConfig().verbose()).isTrue();
    assertThat(c.runConfig().ports()).containsExactly("1");
    assertThat(c.manifestPassthrough()).isEqualTo(t("x", "1", "y", "2"));
  }

  @Test
  void passthroughBecomesAManifestTreeWithNumbersAsStrings() throws Exception {
    OpsConfigReader.Result r = read("""
        {"ManifestPassthrough": {
          "consoles": ["+net", "-serial"],
          "firewall": {"rules": [{"port": 22, "action": "drop"}]},
          "exec_wait_for_ip4_secs": 10, "mtu": 1.5e3, "ratio": 0.25, "neg": -0, "big": 123456789012345678901234567890,
          "debug_exit": true, "idle": false
        }}
        """);
    assertThat(r.config().manifestPassthrough()).isEqualTo(t(
        "consoles", v("+net", "-serial"),
        "firewall", t("rules", v(t("port", "22", "action", "drop"))),
        "exec_wait_for_ip4_secs", "10", "mtu", "1500", "ratio", "0.25", "neg", "0",
        "big", "123456789012345678901234567890",
        "debug_exit", "true", "idle", "false"));
    assertThat(r.warnings()).containsExactly("config.json:5:31: field \"ManifestPassthrough.idle\" is false, "
        + "stored as the string \"false\": the kernel treats any value of a flag as set");
    assertThat(error("{\"ManifestPassthrough\":{\"x\":1e999999}}"))
        .isEqualTo("config.json:1:29: field \"ManifestPassthrough.x\": number 1e999999 is out of range");
  }

  @Test
  void addressesThatAreNotIpAddressesAreDropped() throws Exception {
    OpsConfigReader.Result r = read("{\"RunConfig\":{\"IPAddress\":\"my-host\",\"Gateway\":\"10.0.0.1\","
        + "\"NetMask\":\"255.255.255.0%eth0\",\"IPv6Address\":\"not checked\"}}");
    assertThat(r.config().runConfig().ipAddress()).isEmpty();
    assertThat(r.config().runConfig().gateway()).isEqualTo("10.0.0.1");
    assertThat(r.config().runConfig().netMask()).isEmpty();
    assertThat(r.config().runConfig().ipv6Address()).isEqualTo("not checked");
    assertThat(r.warnings()).containsExactly(
        "config.json:1:27: field \"RunConfig.IPAddress\" value \"my-host\" is not an IP address; ignored",
        "config.json:1:68: field \"RunConfig.NetMask\" value \"255.255.255.0%eth0\" is not an IP address; ignored");
    assertThat(OpsConfigReader.isIpAddress("::ffff:10.0.0.1")).isTrue();
    assertThat(OpsConfigReader.isIpAddress("010.0.0.1")).isFalse();
  }

  @Test
  void expandsEnvironmentOnlyWhenOpsRenderConfigIsTrue() throws Exception {
    String json = "{\"Program\":\"$APP_DIR/app\",\"Args\":[\"${APP_DIR}\", \"$$\", \"cost: $5\"]}";
    Map<String, String> env = Map.of("APP_DIR", "/srv", "ops_render_config", "true");
    OpsConfig c = READER.withEnvironment(env).read(json, "c.json").config();
    assertThat(c.program()).isEqualTo("/srv/app");
    assertThat(c.args()).containsExactly("/srv", "", "cost: ");
    OpsConfig plain = READER.withEnvironment(Map.of("APP_DIR", "/srv")).read(json, "c.json").config();
    assertThat(plain.program()).isEqualTo("$APP_DIR/app");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "plain          | plain",
      "$X             | x",
      "${X}y          | xy",
      "$Xy            | ''",
      "a$             | a$",
      "a$ b           | a$ b",
      "$-x            | x",
      "${}z           | z",
      "${X            | X",
      "${A B}         | ab",
      "$1$?           | ''",
      "${1}           | ''",
      "é$X中          | éx中",
  })
  void expandEnvFollowsGoOsExpand(String text, String expected) {
    Map<String, String> env = Map.of("X", "x", "A B", "ab");
    assertThat(OpsConfigReader.expandEnv(text, env)).isEqualTo(expected.equals("''") ? "" : expected);
  }

  @Test
  void readsFilesLikeOps(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(file, "{\"Files\":[\"a\"],\"LocalFilesParentDirectory\":\"/elsewhere\"}");
    OpsConfig c = READER.read(file).config();
    assertThat(c.files()).containsExactly("a");
    assertThat(c.localFilesParentDirectory()).isEqualTo(dir.toString());
    Files.writeString(file, "{\"Args\":1}");
    assertThatThrownBy(() -> READER.read(file))
        .isInstanceOf(OpsConfigException.class)
        .hasMessage(file + ":1:9: field \"Args\" must be an array of strings");
  }

  @Test
  void bytesAreUtf8AndSourceNameIsOptional() throws Exception {
    assertThat(READER.read("{\"Program\":\"é\"}".getBytes(StandardCharsets.UTF_8), null).config().program())
        .isEqualTo("é");
    OpsConfigException e = catchThrowableOfType(OpsConfigException.class, () -> READER.read("{\"Args\":1}", null));
    assertThat(e.getMessage()).isEqualTo("1:9: field \"Args\" must be an array of strings");
    assertThat(e.reason()).isEqualTo("field \"Args\" must be an array of strings");
    assertThat(e.column()).isEqualTo(9);
  }

  @Test
  void invalidUtf8IsOneLineWithPosition() {
    byte[] bad = {'{', '"', 'P', 'r', 'o', 'g', 'r', 'a', 'm', '"', ':', '"', (byte) 0xC3, '(', '"', '}'};
    OpsConfigException e = catchThrowableOfType(OpsConfigException.class, () -> READER.read(bad, "config.json"));
    assertThat(e).isNotNull();
    assertThat(e.getMessage()).isEqualTo("config.json:1:13: invalid UTF-8 byte 0xC3 at byte offset 12");
    byte[] second = "{\n \"Args\": [\"é\", \"\u00ff".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(catchThrowableOfType(OpsConfigException.class, () -> READER.read(second, "c.json")).getMessage())
        .isEqualTo("c.json:2:12: invalid UTF-8 byte 0xE9 at byte offset 13");
  }

  @Test
  void mutatedConfigsReadOrFailWithOneLine() {
    byte[] real = ("{\"Program\":\"node\",\"Args\":[\"a\",\"b\"],\"Env\":{\"K\":\"V\"},\"Dirs\":[\"x\"],"
        + "\"RunConfig\":{\"Ports\":[\"80\"],\"Verbose\":true},\"ManifestPassthrough\":{\"a\":{\"b\":[\"1\",2]}},"
        + "\"BaseVolumeSz\":\"64m\",\"Klibs\":[\"ntp\"],\"Mounts\":{\"v\":\"/m\"}}").getBytes(StandardCharsets.UTF_8);
    RandomCases.run("config mutants", 2000, (r, i) -> {
      byte[] m = java.util.Arrays.copyOf(real, r.nextInt(5) == 0 ? r.nextInt(real.length) : real.length);
      for (int k = 0; k < 1 + r.nextInt(3) && m.length > 0; k++) {
        m[r.nextInt(m.length)] = (byte) r.nextInt(256);
      }
      try {
        READER.read(m, "config.json");
      } catch (OpsConfigException e) {
        assertThat(e.getMessage()).startsWith("config.json:").doesNotContain("\n");
      } catch (IOException e) {
        throw new AssertionError("not an OpsConfigException: " + e, e);
      }
    });
  }

  @Test
  void aNulCharacterInAStringIsAnError() {
    assertThat(error("{\"Program\": \"/bin/a\\u0000b\"}"))
        .isEqualTo("config.json:1:13: field \"Program\": a NUL character is not allowed");
    assertThat(error("{\"Args\": [\"x\", \"\\u0000\"]}")).contains("field \"Args\": a NUL character is not allowed");
    assertThat(error("{\"Env\": {\"A\": \"\\u0000\"}}")).contains("field \"Env\": a NUL character is not allowed");
  }
}
