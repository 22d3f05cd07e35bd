package dev.floatip.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * User and group names from {@code /etc/passwd} and {@code /etc/group} (paths injectable). Only
 * these files: no NSS, so no directory service can make a check or a hook wait. Shared by script
 * checks ({@code track.scripts[].user}) and notify hooks ({@code notify.user}).
 */
public final class Accounts {

  /** A user: its ids, {@code gid} being the primary group. */
  record Account(String name, long uid, long gid) {}

  private final Path passwd;
  private final Path group;

  public Accounts(Path passwd, Path group) {
    this.passwd = passwd;
    this.group = group;
  }

  /**
   * Resolves {@code user[:group]} (names or numbers) to ids. A user without a group runs with its
   * primary group; a numeric user not in the passwd file needs an explicit group.
   *
   * @throws IllegalArgumentException with a message for the check's status
   */
  public RunAs resolve(String spec) {
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    Optional<Account> account =
        isNumber(userPart) ? byUid(Long.parseLong(userPart)) : byName(userPart);
    if (account.isEmpty() && userPart.equals("root")) {
      account = Optional.of(new Account("root", 0, 0)); // root is uid 0 even without a passwd
    }
    if (account.isEmpty() && !isNumber(userPart)) {
      throw new IllegalArgumentException("no user \"" + userPart + "\" in " + passwd);
    }
    long uid = isNumber(userPart) ? Long.parseLong(userPart) : account.get().uid();
    long gid;
    if (groupPart != null && !groupPart.isEmpty()) {
      gid = isNumber(groupPart) ? Long.parseLong(groupPart) : groupId(groupPart);
    } else if (account.isPresent()) {
      gid = account.get().gid();
    } else {
      throw new IllegalArgumentException(
          "uid " + uid + " is not in " + passwd + ": give the group too, e.g. " + uid + ":" + uid);
    }
    return new RunAs(spec, uid, gid);
  }

  Optional<Account> byName(String name) {
    return accounts().stream().filter(a -> a.name().equals(name)).findFirst();
  }

  Optional<Account> byUid(long uid) {
    return accounts().stream().filter(a -> a.uid() == uid).findFirst();
  }

  private long groupId(String name) {
    for (String line : lines(group)) {
      String[] f = line.split(":", -1);
      if (f.length >= 3 && f[0].equals(name) && isNumber(f[2])) {
        return Long.parseLong(f[2]);
      }
    }
    throw new IllegalArgumentException("no group \"" + name + "\" in " + group);
  }

  private List<Account> accounts() {
    return lines(passwd).stream()
        .map(line -> line.split(":", -1))
        .filter(f -> f.length >= 4 && isNumber(f[2]) && isNumber(f[3]))
        .map(f -> new Account(f[0], Long.parseLong(f[2]), Long.parseLong(f[3])))
        .toList();
  }

  private static List<String> lines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (IOException e) {
      return List.of();
    }
  }

  static boolean isNumber(String s) {
    return !s.isEmpty() && s.length() <= 10 && s.chars().allMatch(c -> c >= '0' && c <= '9');
  }
}
