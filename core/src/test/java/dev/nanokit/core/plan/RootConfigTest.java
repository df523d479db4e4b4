package dev.nanokit.core.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nanokit.core.ImagePlan;
import dev.nanokit.core.OpsConfig;
import dev.nanokit.core.ops.OpsConfigReader;
import dev.nanokit.manifest.ManifestPrinter;
import dev.nanokit.manifest.StringValue;
import dev.nanokit.manifest.Tuple;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootConfigTest {
  @TempDir Path tmp;

  @BeforeEach
  void setUp() throws IOException {
    Files.writeString(tmp.resolve("hello"), "ELF");
  }

  PlannerInputs inputs(OpsConfig config) {
    return new PlannerInputs().config(config).cwd(tmp).program("./hello", "/hello", tmp.resolve("hello"));
  }

  String root(PlannerInputs in) throws IOException {
    return ManifestPrinter.print(ContentPlanner.plan(in).rootConfig());
  }

  static OpsConfig json(String text) throws IOException {
    return new OpsConfigReader().read(text, "config.json").config();
  }

  @Test
  void realUserConfig() throws IOException {
    OpsConfig c = json("{\"RunConfig\":{\"Verbose\":true,\"Ports\":[\"8083\"]},\"Env\":{\"TEST\":\"OPS\"},"
        + "\"Args\":[\"script.py\"],\"Debugflags\":[\"trace:pf,threadrun,all\",\"debugsyscalls\"]}");
    ImagePlan plan = ContentPlanner.plan(inputs(c).nanosVersion("0.1.52").imageName("hello"));
    assertThat(ManifestPrinter.print(plan.rootConfig())).isEqualTo("""
        (
            program:"/hello"
            arguments:["./hello" script.py]
            environment:(
                USER:root
                PWD:"/"
                NANOS_VERSION:0.1.52
                NANOS_ARCH:amd64
                IMAGE_NAME:hello
                TEST:OPS
                OPS_PORT:8083
            )
            "trace:pf,threadrun,all":t
            debugsyscalls:t
        )
        """);
    Tuple env = plan.rootConfig().getTuple("environment");
    assertThat(env.get("OPS_PORT")).isEqualTo(StringValue.of("8083"));
    assertThat(env.get("TEST")).isEqualTo(StringValue.of("OPS"));
    assertThat(plan.klibs()).isEmpty();
  }

  @Test
  void emptyConfigGivesTheDefaults() throws IOException {
    assertThat(root(inputs(OpsConfig.empty()).arch("arm64"))).isEqualTo("""
        (
            program:"/hello"
            arguments:["./hello"]
            environment:(
                USER:root
                PWD:"/"
                NANOS_VERSION:""
                NANOS_ARCH:arm64
                IMAGE_NAME:""
            )
        )
        """);
    OpsConfig c = OpsConfig.builder().nanosVersion("0.1.50").cloudImageName("img").build();
    assertThat(ContentPlanner.plan(inputs(c)).rootConfig().getTuple("environment").entries())
        .containsEntry("NANOS_VERSION", StringValue.of("0.1.50")).containsEntry("IMAGE_NAME", StringValue.of("img"));
  }

  @Test
  void argumentsFromCommandLineReplaceConfigArgs() throws IOException {
    OpsConfig c = OpsConfig.builder().args(List.of("a", "b")).build();
    assertThat(ContentPlanner.plan(inputs(c)).rootConfig().get("arguments").toString())
        .isEqualTo(ContentPlanner.plan(inputs(OpsConfig.empty()).cliArgs(List.of("a", "b"))).rootConfig()
            .get("arguments").toString());
    String printed = root(inputs(c).cliArgs(List.of("-v", "x y")));
    assertThat(printed).contains("arguments:[\"./hello\" -v \"x y\"]\n");
  }

  @Test
  void environmentPrecedence() throws IOException {
    OpsConfig c = OpsConfig.builder().putEnv("USER", "app").putEnv("OPS_PORT", "1").putEnv("A", "config")
        .putEnv("B", "config").build();
    OpsConfig withPorts = buildWithPorts(c, List.of("80", "443"));
    Tuple env = ContentPlanner.plan(inputs(withPorts).cliEnv(List.of("B=cli", "JAVA_OPTS=-Dx=y -Dz=w", "EMPTY=")))
        .rootConfig().getTuple("environment");
    assertThat(ManifestPrinter.print(env)).isEqualTo("""
        (
            USER:app
            PWD:"/"
            NANOS_VERSION:""
            NANOS_ARCH:amd64
            IMAGE_NAME:""
            OPS_PORT:80,443
            A:config
            B:cli
            JAVA_OPTS:"-Dx=y -Dz=w"
            EMPTY:""
        )
        """);
    // the caller's environment (--env on the command line), so it may override OPS_PORT; the config's Env may not.
    Tuple cli = ContentPlanner.plan(inputs(withPorts).cliEnv(List.of("OPS_PORT=9"))).rootConfig()
        .getTuple("environment");
    assertThat(cli.get("OPS_PORT")).isEqualTo(StringValue.of("9"));
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(c).cliEnv(List.of("NOVALUE"))))
        .hasMessage("environment entry NOVALUE: expected NAME=VALUE");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(c).cliEnv(List.of("=x"))))
        .hasMessage("environment entry =x: expected NAME=VALUE");
  }

  private static OpsConfig buildWithPorts(OpsConfig c, List<String> ports) {
    OpsConfig.Builder b = c.toBuilder();
    b.runConfig().ports(ports);
    return b.build();
  }

  @Test
  void networkKeys() throws IOException {
    OpsConfig.Builder b = OpsConfig.builder();
    b.runConfig().ipv6Address("fe80::1");
    assertThat(root(inputs(b.build()))).contains("""
            ipaddr:""
            netmask:""
            gateway:""
            ip6addr:"fe80::1"
        """);
    b.runConfig().ipAddress("10.0.0.2").netMask("255.255.0.0").gateway("10.0.0.1").ipv6Address("")
        .nics(List.of(new OpsConfig.Nic("10.1.0.2", "", "255.255.255.0", "10.1.0.1", "br0"),
            new OpsConfig.Nic("", "", "", "", "br1"),
            new OpsConfig.Nic("10.3.0.2", "fd00::3", "255.255.255.0", "10.3.0.1", "br2")));
    assertThat(root(inputs(b.build()))).endsWith("""
            ipaddr:10.1.0.2
            netmask:255.255.255.0
            gateway:10.1.0.1
            ip6addr:""
            en3:(
                ipaddr:10.3.0.2
                netmask:255.255.255.0
                gateway:10.3.0.1
                ip6addr:"fd00::3"
            )
        )
        """);
  }

  @Test
  void keyOrderAndOverrides() throws IOException {
    OpsConfig.Builder b = OpsConfig.builder().klibs(List.of("cloud_init")).putMount("vol", "/data:ro")
        .rebootOnExit(true).debugflags(List.of("noaslr", "missing_files")).noTrace(List.of("futex", "poll"))
        .putManifestPassthrough("noaslr", StringValue.of("yes"))
        .putManifestPassthrough("environment", new Tuple().put("ONLY", "this"))
        .putManifestPassthrough("firewall", new Tuple().put("rules", "x"))
        .putManifestPassthrough("log_level", StringValue.of("warn"));
    b.runConfig().ipAddress("10.0.0.2");
    PlannerInputs in = inputs(b.build()).cliKlibs(List.of("ntp", "cloud_init"))
        .set("log_level=info").set("debug_exit=t").set("consoles=[+serial -vga]");
    ImagePlan plan = ContentPlanner.plan(in);
    assertThat(ManifestPrinter.print(plan.rootConfig())).isEqualTo("""
        (
            program:"/hello"
            arguments:["./hello"]
            environment:(
                ONLY:this
            )
            klibs:bootfs
            mounts:(
                vol:"/data:ro"
            )
            ipaddr:10.0.0.2
            netmask:""
            gateway:""
            ip6addr:""
            reboot_on_exit:t
            noaslr:yes
            missing_files:t
            notrace:[futex poll]
            firewall:(
                rules:x
            )
            log_level:info
            debug_exit:t
            consoles:[+serial -vga]
        )
        """);
    assertThat(plan.klibs()).containsExactly("cloud_init", "ntp", "tls", "firewall");
    assertThat(plan.notes()).contains("klib tls added: cloud_init needs it",
        "klib firewall added: the root tuple has a firewall key");
  }

  @Test
  void radarKeyAddsImageNameAndKlibs() throws IOException {
    OpsConfig c = OpsConfig.builder().putEnv("RADAR_KEY", "k").cloudImageName("web").build();
    ImagePlan plan = ContentPlanner.plan(inputs(c));
    assertThat(plan.rootConfig().getTuple("environment").get("RADAR_IMAGE_NAME")).isEqualTo(StringValue.of("web"));
    assertThat(plan.klibs()).containsExactly("tls", "radar");
    assertThat(plan.rootConfig().get("klibs")).isEqualTo(StringValue.of("bootfs"));
  }

  @Test
  void childrenCannotBeSetAndKlibNamesAreChecked() {
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).set("children", new Tuple())))
        .hasMessage("root key children: the root directory comes from the image content and cannot be set");
    OpsConfig pass = OpsConfig.builder().putManifestPassthrough("children", new Tuple()).build();
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(pass)))
        .hasMessage("config.json ManifestPassthrough children: the root directory comes from the image content and"
            + " cannot be set");
    assertThatThrownBy(() -> ContentPlanner.plan(inputs(OpsConfig.empty()).cliKlibs(List.of("../x"))))
        .hasMessage("klib: \"../x\" is not a klib name");
    assertThatThrownBy(() -> inputs(OpsConfig.empty()).set("novalue"))
        .hasMessage("root key novalue: expected KEY=VALUE");
  }

  @Test
  void setCanOverrideProgramAndEnvironment() throws IOException {
    Files.writeString(tmp.resolve("other"), "ELF");
    ImagePlan plan = ContentPlanner.plan(inputs(OpsConfig.empty()).cliFiles(ContentPlannerTest.hostEntries(tmp, "other:/bin/other"))
        .set("program=/bin/other").set("environment=(A:b)"));
    assertThat(ManifestPrinter.print(plan.rootConfig())).isEqualTo("""
        (
            program:"/bin/other"
            arguments:["./hello"]
            environment:(
                A:b
            )
        )
        """);
  }
}
