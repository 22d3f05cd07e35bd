package dev.floatip.convert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfParserTest {

  @TempDir Path dir;

  private final List<ConvertWarning> warnings = new ArrayList<>();

  private List<ConfNode> parse(String text) throws ConfSyntaxError {
    return ConfParser.parse("k.conf", text, dir, warnings);
  }

  @Test
  void commentsWithBangAndHashAreDropped() throws ConfSyntaxError {
    List<ConfNode> nodes =
        parse(
            """
            ! a comment
            # another
            global_defs {   # trailing
               router_id LB1 ! trailing too
            }
            """);

    assertThat(nodes).hasSize(1);
    ConfNode g = nodes.getFirst();
    assertThat(g.keyword()).isEqualTo("global_defs");
    assertThat(g.children())
        .singleElement()
        .satisfies(n -> assertThat(n.args()).containsExactly("LB1"));
    assertThat(g.children().getFirst().at()).isEqualTo(new Location("k.conf", 4));
  }

  @Test
  void blocksOnOneLineAndBracesOnTheNextLine() throws ConfSyntaxError {
    List<ConfNode> nodes =
        parse(
            """
            vrrp_script chk { script "/bin/true"
                weight -60 }
            vrrp_instance VI_1
            {
                virtual_ipaddress { 192.0.2.10/24 }
                track_script {chk}
            }
            """);

    assertThat(nodes).extracting(ConfNode::keyword).containsExactly("vrrp_script", "vrrp_instance");
    assertThat(nodes.get(0).children())
        .extracting(ConfNode::keyword)
        .containsExactly("script", "weight");
    assertThat(nodes.get(0).children().get(0).args()).containsExactly("/bin/true");
    ConfNode instance = nodes.get(1);
    assertThat(instance.args()).containsExactly("VI_1");
    assertThat(instance.children().get(0).children())
        .singleElement()
        .extracting(ConfNode::keyword)
        .isEqualTo("192.0.2.10/24");
    assertThat(instance.children().get(1).children())
        .singleElement()
        .extracting(ConfNode::keyword)
        .isEqualTo("chk");
  }

  @Test
  void quotedStringsAreOneWordAndKeepCommentCharacters() throws ConfSyntaxError {
    ConfNode n = parse("notify_master \"/etc/notify.sh MASTER #1 !\" root\n").getFirst();

    assertThat(n.args()).containsExactly("/etc/notify.sh MASTER #1 !", "root");
  }

  @Test
  void includeGlobsResolveRelativeToTheIncludingFileInOrder() throws IOException, ConfSyntaxError {
    Files.createDirectories(dir.resolve("conf.d"));
    Files.writeString(dir.resolve("conf.d/b.conf"), "vrrp_instance B {\n}\n");
    Files.writeString(dir.resolve("conf.d/a.conf"), "vrrp_instance A {\n}\n");
    Files.writeString(dir.resolve("conf.d/skip.txt"), "vrrp_instance C {\n}\n");
    Files.writeString(dir.resolve("main.conf"), "include conf.d/*.conf\nvrrp_instance M {\n}\n");

    List<ConfNode> nodes = ConfParser.parse(dir.resolve("main.conf"), warnings);

    assertThat(nodes).extracting(ConfNode::arg).containsExactly("A", "B", "M");
    assertThat(nodes.getFirst().at().file()).endsWith("conf.d/a.conf");
    assertThat(warnings).isEmpty();
  }

  @Test
  void includeInsideABlockSplicesStatements() throws IOException, ConfSyntaxError {
    Files.writeString(dir.resolve("vips.conf"), "192.0.2.10/24\n192.0.2.11/24\n");

    ConfNode n = parse("virtual_ipaddress {\n  include vips.conf\n}\n").getFirst();

    assertThat(n.children())
        .extracting(ConfNode::keyword)
        .containsExactly("192.0.2.10/24", "192.0.2.11/24");
  }

  @Test
  void aGlobMatchingNothingIsAWarningAMissingFileAnError() throws ConfSyntaxError {
    parse("include nothing/*.conf\n");

    assertThat(warnings)
        .singleElement()
        .hasToString("k.conf:1: include: pattern nothing/*.conf matches no file");
    assertThatThrownBy(() -> parse("\ninclude missing.conf\n"))
        .isInstanceOf(ConfSyntaxError.class)
        .hasMessage("k.conf:2: include: missing.conf: no such file");
  }

  @Test
  void syntaxErrorsNameFileAndLine() {
    assertThatThrownBy(() -> parse("a {\n  b\n"))
        .hasMessage("k.conf:1: '{' is never closed (missing '}')");
    assertThatThrownBy(() -> parse("a {\n}\n}\n"))
        .hasMessage("k.conf:3: '}' without a matching '{'");
    assertThatThrownBy(() -> parse("x \"open\n"))
        .hasMessage("k.conf:1: unterminated quoted string");
    assertThatThrownBy(() -> parse("{\n}\n"))
        .hasMessage("k.conf:1: '{' without a keyword before it");
  }
}
