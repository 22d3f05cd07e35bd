package dev.floatip.api.v1alpha1.crd;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * README.md's "API reference" block is what {@link ApiReference} renders from the committed CRD;
 * {@code -Dfloatip.update=true} ({@code hack/update-crds.sh}) rewrites it.
 */
class ApiReferenceTest {

  private static final Path README = Path.of("README.md");

  @Test
  void readmeBlockMatchesTheCrd() throws IOException {
    // after CrdFileTest in an update run: render from what the types generate now
    String crd =
        CrdFileTest.UPDATE
            ? CrdFile.generate()
            : Files.readString(CrdFile.COMMITTED, StandardCharsets.UTF_8);
    String block = ApiReference.render(crd);
    String readme = Files.readString(README, StandardCharsets.UTF_8);
    int begin = readme.indexOf(ApiReference.BEGIN);
    int end = readme.indexOf(ApiReference.END);
    if (begin < 0 || end < begin) {
      fail("README.md has no API reference markers (" + ApiReference.BEGIN + " ... )");
    }
    String current = readme.substring(begin, end + ApiReference.END.length() + 1);
    if (current.equals(block)) {
      return;
    }
    if (CrdFileTest.UPDATE) {
      Files.writeString(
          README, readme.substring(0, begin) + block + readme.substring(begin + current.length()));
      return;
    }
    fail(
        "README.md's API reference is stale: run "
            + CrdFile.UPDATE_COMMAND
            + "\n"
            + CrdFileTest.firstDifference(current, block));
  }
}
