package dev.floatip.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link NetnsLab} shared by the tests of a class, with its {@link VipWatch}: made before the
 * first test (skipping the class where namespaces, or keepalived, are not available) and removed
 * after the last. Register it as {@code @RegisterExtension static final SharedLab LAB = …}.
 */
public final class SharedLab implements BeforeAllCallback, AfterAllCallback {

  private final String tag;
  private final int routers;
  private final boolean keepalived;
  private NetnsLab lab;
  private VipWatch watch;

  private SharedLab(String tag, int routers, boolean keepalived) {
    this.tag = tag;
    this.routers = routers;
    this.keepalived = keepalived;
  }

  /** A lab for floatip agents ({@link NetnsLab#forAgents}). */
  public static SharedLab agents(String tag, int routers) {
    return new SharedLab(tag, routers, false);
  }

  /** The same, skipped where keepalived is not installed. */
  public static SharedLab agentsAndKeepalived(String tag, int routers) {
    return new SharedLab(tag, routers, true);
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    if (keepalived) {
      LabDaemon.assumeKeepalived();
    }
    lab = NetnsLab.forAgents(tag, routers);
    watch = new VipWatch(lab);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (lab != null) {
      lab.close();
    }
  }

  public NetnsLab lab() {
    return lab;
  }

  public VipWatch watch() {
    return watch;
  }
}
