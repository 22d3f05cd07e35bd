package dev.floatip.testing.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The RBAC objects the authorizer reads (Roles, ClusterRoles, RoleBindings, ClusterRoleBindings),
 * thread-safe: loaded from rendered manifests at start and kept in step with the RBAC writes the
 * server accepts. Objects are copied in and out, so callers cannot change the stored ones.
 *
 * <p>The bootstrap policy every cluster has is not stored here: {@link RbacAuthorizer} adds it
 * ({@link BootstrapPolicy}).
 */
public final class RbacPolicy {

  public static final String GROUP = "rbac.authorization.k8s.io";

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  private final Map<Key, Role> roles = new ConcurrentHashMap<>();
  private final Map<Key, ClusterRole> clusterRoles = new ConcurrentHashMap<>();
  private final Map<Key, RoleBinding> roleBindings = new ConcurrentHashMap<>();
  private final Map<Key, ClusterRoleBinding> clusterRoleBindings = new ConcurrentHashMap<>();

  private record Key(String namespace, String name) {}

  /** The RBAC objects among {@code objects}; other kinds are ignored. */
  public static RbacPolicy of(List<? extends HasMetadata> objects) {
    RbacPolicy p = new RbacPolicy();
    objects.forEach(p::put);
    return p;
  }

  /** The RBAC objects of multi-document YAML files (e.g. manifests/install.yaml). */
  public static RbacPolicy load(Path... yamlFiles) {
    List<HasMetadata> objects = new ArrayList<>();
    for (Path file : yamlFiles) {
      try (InputStream in = Files.newInputStream(file)) {
        collect(SERIALIZATION.unmarshal(in), objects);
      } catch (IOException e) {
        throw new UncheckedIOException("reading " + file, e);
      }
    }
    return of(objects);
  }

  private static void collect(Object parsed, List<HasMetadata> into) {
    if (parsed instanceof KubernetesList list) {
      list.getItems().forEach(o -> collect(o, into));
    } else if (parsed instanceof List<?> list) {
      list.forEach(o -> collect(o, into));
    } else if (parsed instanceof HasMetadata object) {
      into.add(object);
    }
  }

  /** Adds or replaces an RBAC object (other kinds are ignored). */
  public void put(HasMetadata object) {
    HasMetadata typed = typed(object);
    if (typed == null) {
      return;
    }
    Key key = new Key(typed.getMetadata().getNamespace(), typed.getMetadata().getName());
    switch (typed) {
      case Role r -> roles.put(key, copy(r));
      case ClusterRole r -> clusterRoles.put(clusterKey(key), copy(r));
      case RoleBinding b -> roleBindings.put(key, copy(b));
      case ClusterRoleBinding b -> clusterRoleBindings.put(clusterKey(key), copy(b));
      default -> {}
    }
  }

  /** Removes one: kind Role/ClusterRole/RoleBinding/ClusterRoleBinding, namespace or null. */
  public void remove(String kind, String namespace, String name) {
    switch (kind) {
      case "Role" -> roles.remove(new Key(namespace, name));
      case "ClusterRole" -> clusterRoles.remove(new Key(null, name));
      case "RoleBinding" -> roleBindings.remove(new Key(namespace, name));
      case "ClusterRoleBinding" -> clusterRoleBindings.remove(new Key(null, name));
      default -> {}
    }
  }

  public Optional<Role> role(String namespace, String name) {
    return Optional.ofNullable(roles.get(new Key(namespace, name))).map(RbacPolicy::copy);
  }

  public Optional<ClusterRole> clusterRole(String name) {
    return Optional.ofNullable(clusterRoles.get(new Key(null, name))).map(RbacPolicy::copy);
  }

  /** The RoleBindings of {@code namespace}, by name. */
  public List<RoleBinding> roleBindings(String namespace) {
    return roleBindings.entrySet().stream()
        .filter(e -> e.getKey().namespace() != null && e.getKey().namespace().equals(namespace))
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::name)))
        .map(e -> copy(e.getValue()))
        .toList();
  }

  /** Every ClusterRoleBinding, by name. */
  public List<ClusterRoleBinding> clusterRoleBindings() {
    return clusterRoleBindings.entrySet().stream()
        .sorted(Map.Entry.comparingByKey(Comparator.comparing(Key::name)))
        .map(e -> copy(e.getValue()))
        .toList();
  }

  /**
   * The object as a typed fabric8 RBAC model, or null for other kinds (a generic resource of an
   * RBAC kind, as a server that parsed JSON holds it, is converted).
   */
  static HasMetadata typed(HasMetadata object) {
    if (object == null) {
      return null;
    }
    if (object instanceof Role
        || object instanceof ClusterRole
        || object instanceof RoleBinding
        || object instanceof ClusterRoleBinding) {
      return object;
    }
    String apiVersion = object.getApiVersion();
    if (!(object instanceof GenericKubernetesResource)
        || apiVersion == null
        || !apiVersion.startsWith(GROUP + "/")) {
      return null;
    }
    Class<? extends HasMetadata> type =
        switch (String.valueOf(object.getKind())) {
          case "Role" -> Role.class;
          case "ClusterRole" -> ClusterRole.class;
          case "RoleBinding" -> RoleBinding.class;
          case "ClusterRoleBinding" -> ClusterRoleBinding.class;
          default -> null;
        };
    return type == null ? null : SERIALIZATION.convertValue(object, type);
  }

  private static Key clusterKey(Key key) {
    return new Key(null, key.name());
  }

  private static <T> T copy(T object) {
    return SERIALIZATION.clone(object);
  }
}
