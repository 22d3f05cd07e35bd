package dev.floatip.testing.apiserver;

/**
 * The callers the test API server knows, each with a fixed bearer token: a cluster administrator
 * (tests' setup, kubectl, {@code floatip get}) and the chart's two ServiceAccounts in namespace
 * {@value #NAMESPACE} (manifests/install.yaml; the agents' one is created by the operator).
 */
public enum Identity {
  ADMIN("floatip-test-admin-token", UserInfo.admin()),
  OPERATOR(
      "floatip-test-operator-token",
      UserInfo.serviceAccount(Identity.NAMESPACE, "floatip-operator")),
  AGENT("floatip-test-agent-token", UserInfo.serviceAccount(Identity.NAMESPACE, "floatip-agent"));

  /** The chart's release namespace with default values. */
  public static final String NAMESPACE = "floatip";

  private final String token;
  private final UserInfo user;

  Identity(String token, UserInfo user) {
    this.token = token;
    this.user = user;
  }

  public String token() {
    return token;
  }

  public UserInfo user() {
    return user;
  }

  /** {@code admin}, {@code operator} or {@code agent}. */
  public static Identity parse(String name) {
    return valueOf(name.strip().toUpperCase(java.util.Locale.ROOT));
  }
}
