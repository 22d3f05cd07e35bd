package dev.floatip.testing.apiserver;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who a request comes from, as kube-apiserver's authenticators name it (user.Info): a user name and
 * groups. ServiceAccounts are {@code system:serviceaccount:NS:NAME} in the groups {@code
 * system:serviceaccounts}, {@code system:serviceaccounts:NS} and {@code system:authenticated}.
 */
public record UserInfo(String name, Set<String> groups) {

  public static final String SERVICE_ACCOUNT_PREFIX = "system:serviceaccount:";

  public static final String MASTERS = "system:masters";
  public static final String AUTHENTICATED = "system:authenticated";

  public UserInfo {
    // keeps the order: kube prints the groups in escalation messages as the authenticator made them
    groups = Collections.unmodifiableSet(new LinkedHashSet<>(groups));
  }

  /** A ServiceAccount's identity, as the ServiceAccount token authenticator returns it. */
  public static UserInfo serviceAccount(String namespace, String name) {
    Set<String> groups = new LinkedHashSet<>();
    groups.add("system:serviceaccounts");
    groups.add("system:serviceaccounts:" + namespace);
    groups.add(AUTHENTICATED);
    return new UserInfo(SERVICE_ACCOUNT_PREFIX + namespace + ":" + name, groups);
  }

  /** A cluster administrator (group system:masters: every request is allowed). */
  public static UserInfo admin() {
    return user("kubernetes-admin", MASTERS);
  }

  /** A plain user in {@code groups} plus system:authenticated, as authenticators add it. */
  public static UserInfo user(String name, String... groups) {
    Set<String> all = new LinkedHashSet<>(java.util.List.of(groups));
    all.add(AUTHENTICATED);
    return new UserInfo(name, all);
  }
}
