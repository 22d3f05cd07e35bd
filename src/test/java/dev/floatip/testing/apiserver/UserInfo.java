package dev.floatip.testing.apiserver;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a request comes from, as kube-apiserver's authenticators name it (user.Info): a user name and
 * groups. ServiceAccounts are {@code system:serviceaccount:NS:NAME} in the groups {@code
 * system:serviceaccounts}, {@code system:serviceaccounts:NS} and {@code system:authenticated}.
 */
public record UserInfo(String name, Set<String> groups) {

  public static final String MASTERS = "system:masters";
  public static final String AUTHENTICATED = "system:authenticated";

  public UserInfo {
    groups = Set.copyOf(groups);
  }

  /** A ServiceAccount's identity, as the ServiceAccount token authenticator returns it. */
  public static UserInfo serviceAccount(String namespace, String name) {
    Set<String> groups = new LinkedHashSet<>();
    groups.add("system:serviceaccounts");
    groups.add("system:serviceaccounts:" + namespace);
    groups.add(AUTHENTICATED);
    return new UserInfo("system:serviceaccount:" + namespace + ":" + name, groups);
  }

  /** A cluster administrator (group system:masters: every request is allowed). */
  public static UserInfo admin() {
    return new UserInfo("kubernetes-admin", Set.of(MASTERS, AUTHENTICATED));
  }
}
